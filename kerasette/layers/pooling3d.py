"""MaxPooling3D and AveragePooling3D: pooling over depth, height and width of NDHWC volumes."""

from kerasette import ops
from kerasette.layers.base_pooling import BasePooling


class Pooling3D(BasePooling):
    """The base of the 3-D pooling layers (``BasePooling`` with three spatial axes and Keras's 3-D defaults).

    Args:
        pool_size: int or tuple of 3 ints, the size of the pooling window. Defaults to ``(2, 2, 2)``.
        strides: int or tuple of 3 ints, how far the window moves at each step. If None, ``pool_size``.
        padding: ``"valid"`` or ``"same"``, case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` raises a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    rank = 3

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling3D(Pooling3D):
    """Max pooling operation for 3D data (spatial or spatio-temporal): the maximum of each window, per channel.

    The pooling runs over height and width, then over depth (exact for a box window).

    Args:
        pool_size: int or tuple of 3 ints ``(depth, height, width)``, the size of the pooling window; an int
            is used on every axis. Defaults to ``(2, 2, 2)``.
        strides: int or tuple of 3 ints, how far the window moves at each step. If None (the default),
            ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(size / strides)`` positions per axis), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and raises a
            ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)``.

    Output shape:
        5D tensor with shape ``(batch_size, pooled_depth, pooled_height, pooled_width, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(16.0).reshape(1, 2, 2, 4, 1)
        >>> layers.MaxPooling3D()(x).numpy().ravel().tolist()
        [13.0, 15.0]
    """

    pool_function = staticmethod(ops.max_pool)


class AveragePooling3D(Pooling3D):
    """Average pooling operation for 3D data: the mean of each window, per channel.

    With ``padding="same"`` the padding cells are not counted in the mean, as in Keras's TensorFlow and JAX
    backends (its torch backend counts some of them when the padding is uneven).

    Args:
        pool_size: int or tuple of 3 ints ``(depth, height, width)``, the size of the pooling window; an int
            is used on every axis. Defaults to ``(2, 2, 2)``.
        strides: int or tuple of 3 ints, how far the window moves at each step. If None (the default),
            ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(size / strides)`` positions per axis), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and raises a
            ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)``.

    Output shape:
        5D tensor with shape ``(batch_size, pooled_depth, pooled_height, pooled_width, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(16.0).reshape(1, 2, 2, 4, 1)
        >>> layers.AveragePooling3D()(x).numpy().ravel().tolist()
        [6.5, 8.5]
    """

    pool_function = staticmethod(ops.average_pool)
