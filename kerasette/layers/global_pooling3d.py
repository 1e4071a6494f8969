"""GlobalAveragePooling3D and GlobalMaxPooling3D: reduce volumes over depth, height and width."""

from kerasette import ops
from kerasette.layers.base_global_pooling import BaseGlobalPooling


class GlobalPooling3D(BaseGlobalPooling):
    """The base of the global 3-D pooling layers: reduces volumes over depth, height and width.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. Defaults to False.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    rank = 3


class GlobalAveragePooling3D(GlobalPooling3D):
    """Global average pooling operation for 3D data: the mean over depth, height and width, per channel.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the output has
            rank 2; if True, rank 5.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 5D tensor with shape
        ``(batch_size, 1, 1, 1, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.GlobalAveragePooling3D()(np.arange(8.0).reshape(1, 2, 2, 1, 2)).numpy().tolist()
        [[3.0, 4.0]]
    """

    reduce = staticmethod(ops.mean)


class GlobalMaxPooling3D(GlobalPooling3D):
    """Global max pooling operation for 3D data: the maximum over depth, height and width, per channel.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the output has
            rank 2; if True, rank 5.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 5D tensor with shape
        ``(batch_size, 1, 1, 1, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.GlobalMaxPooling3D()(np.arange(8.0).reshape(1, 2, 2, 1, 2)).numpy().tolist()
        [[6.0, 7.0]]
    """

    reduce = staticmethod(ops.max)
