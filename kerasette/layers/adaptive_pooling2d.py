"""AdaptiveAveragePooling2D and AdaptiveMaxPooling2D: pooling 2-D inputs to a fixed output size."""

from kerasette import ops
from kerasette.layers.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Adaptive average pooling for 2D inputs: means over ``output_size`` bins per spatial axis.

    The bins adapt to the input's size (see ``BaseAdaptivePooling``), so inputs of any spatial size give the
    same output size.

    Args:
        output_size: int or tuple of 2 ints, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"`` (channels on
            axis 1).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)`` (channels_last).

    Output shape:
        4D tensor with shape ``(batch_size, out_height, out_width, channels)`` (channels_last).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AdaptiveAveragePooling2D(2)(np.arange(16.0).reshape(1, 4, 4, 1)).numpy().ravel().tolist()
        [2.5, 4.5, 10.5, 12.5]
    """

    rank = 2
    pool_function = staticmethod(ops.adaptive_average_pool)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling for 2D inputs: maxima over ``output_size`` bins per spatial axis.

    The bins adapt to the input's size (see ``BaseAdaptivePooling``), so inputs of any spatial size give the
    same output size.

    Args:
        output_size: int or tuple of 2 ints, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"`` (channels on
            axis 1).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)`` (channels_last).

    Output shape:
        4D tensor with shape ``(batch_size, out_height, out_width, channels)`` (channels_last).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AdaptiveMaxPooling2D(2)(np.arange(16.0).reshape(1, 4, 4, 1)).numpy().ravel().tolist()
        [5.0, 7.0, 13.0, 15.0]
    """

    rank = 2
    pool_function = staticmethod(ops.adaptive_max_pool)
