"""AdaptiveAveragePooling1D and AdaptiveMaxPooling1D: pooling 1-D inputs to a fixed output size."""

from kerasette import ops
from kerasette.layers.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Adaptive average pooling for 1D inputs: means over ``output_size`` bins per spatial axis.

    The bins adapt to the input's size (see ``BaseAdaptivePooling``), so inputs of any spatial size give the
    same output size.

    Args:
        output_size: int or tuple of int, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"`` (channels on
            axis 1).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, channels)`` (channels_last).

    Output shape:
        3D tensor with shape ``(batch_size, output_size, channels)`` (channels_last).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AdaptiveAveragePooling1D(3)(np.arange(6.0).reshape(1, 6, 1)).numpy().ravel().tolist()
        [0.5, 2.5, 4.5]
    """

    rank = 1
    pool_function = staticmethod(ops.adaptive_average_pool)


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling for 1D inputs: maxima over ``output_size`` bins per spatial axis.

    The bins adapt to the input's size (see ``BaseAdaptivePooling``), so inputs of any spatial size give the
    same output size.

    Args:
        output_size: int or tuple of int, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"`` (channels on
            axis 1).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, channels)`` (channels_last).

    Output shape:
        3D tensor with shape ``(batch_size, output_size, channels)`` (channels_last).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AdaptiveMaxPooling1D(3)(np.arange(6.0).reshape(1, 6, 1)).numpy().ravel().tolist()
        [1.0, 3.0, 5.0]
    """

    rank = 1
    pool_function = staticmethod(ops.adaptive_max_pool)
