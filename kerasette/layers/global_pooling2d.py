"""GlobalAveragePooling2D and GlobalMaxPooling2D: reduce over H and W."""

from kerasette import ops
from kerasette.layers.base_global_pooling import BaseGlobalPooling


class GlobalPooling2D(BaseGlobalPooling):
    """The base of the global 2-D pooling layers: reduces images over height and width.

    Subclasses set ``reduce`` (an op taking ``inputs, axis, keepdims``); the rest is ``BaseGlobalPooling``'s.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported
            and raises a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the
            output has rank 2; if True, rank 4.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 4D tensor with shape
        ``(batch_size, 1, 1, channels)``.
    """

    rank = 2


class GlobalAveragePooling2D(GlobalPooling2D):
    """Global average pooling operation for 2D data.

    Returns, for each image and channel, the mean over height and width.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported
            and raises a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the
            output has rank 2; if True, rank 4.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 4D tensor with shape
        ``(batch_size, 1, 1, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(8.0).reshape(1, 2, 2, 2)
        >>> layers.GlobalAveragePooling2D()(x).numpy().tolist()
        [[3.0, 4.0]]
        >>> layers.GlobalAveragePooling2D(keepdims=True).compute_output_shape((None, 7, 7, 64))
        (None, 1, 1, 64)
    """

    reduce = staticmethod(ops.mean)


class GlobalMaxPooling2D(GlobalPooling2D):
    """Global max pooling operation for 2D data.

    Returns, for each image and channel, the maximum over height and width.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported
            and raises a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the
            output has rank 2; if True, rank 4.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 4D tensor with shape
        ``(batch_size, 1, 1, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(8.0).reshape(1, 2, 2, 2)
        >>> layers.GlobalMaxPooling2D()(x).numpy().tolist()
        [[6.0, 7.0]]
    """

    reduce = staticmethod(ops.max)
