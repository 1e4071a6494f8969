"""AdaptiveAveragePooling3D and AdaptiveMaxPooling3D: pooling 3-D inputs to a fixed output size."""

from kerasette import ops
from kerasette.layers.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive average pooling for 3D inputs: means over ``output_size`` bins per spatial axis.

    The bins adapt to the input's size (see ``BaseAdaptivePooling``), so inputs of any spatial size give the
    same output size.

    Args:
        output_size: int or tuple of 3 ints, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"`` (channels on
            axis 1).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)`` (channels_last).

    Output shape:
        5D tensor with shape ``(batch_size, out_depth, out_height, out_width, channels)`` (channels_last).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AdaptiveAveragePooling3D(1)(np.arange(8.0).reshape(1, 2, 2, 2, 1)).numpy().ravel().tolist()
        [3.5]
    """

    rank = 3
    pool_function = staticmethod(ops.adaptive_average_pool)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling for 3D inputs: maxima over ``output_size`` bins per spatial axis.

    The bins adapt to the input's size (see ``BaseAdaptivePooling``), so inputs of any spatial size give the
    same output size.

    Args:
        output_size: int or tuple of 3 ints, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"`` (channels on
            axis 1).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)`` (channels_last).

    Output shape:
        5D tensor with shape ``(batch_size, out_depth, out_height, out_width, channels)`` (channels_last).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AdaptiveMaxPooling3D(1)(np.arange(8.0).reshape(1, 2, 2, 2, 1)).numpy().ravel().tolist()
        [7.0]
    """

    rank = 3
    pool_function = staticmethod(ops.adaptive_max_pool)
