"""MaxPooling1D and AveragePooling1D: pooling over the steps of ``(batch, steps, features)`` sequences."""

from kerasette import ops
from kerasette.layers.base_pooling import BasePooling


class Pooling1D(BasePooling):
    """The base of the 1-D pooling layers (``BasePooling`` with one spatial axis and Keras's 1-D defaults).

    Args:
        pool_size: int (or tuple of 1 int), the size of the pooling window. Defaults to 2.
        strides: int (or tuple of 1 int), how far the window moves at each step. If None (the default),
            ``pool_size``.
        padding: ``"valid"`` or ``"same"``, case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` raises a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    rank = 1

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling1D(Pooling1D):
    """Max pooling operation for 1D temporal data: the maximum of each window of steps, per feature.

    Args:
        pool_size: int (or tuple of 1 int), the size of the pooling window. Defaults to 2.
        strides: int (or tuple of 1 int), how far the window moves at each step. If None (the default),
            ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(steps / strides)`` steps), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and raises a
            ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        3D tensor with shape ``(batch_size, pooled_steps, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.MaxPooling1D()(np.array([[[1.0], [3.0], [2.0], [0.0]]])).numpy()[0, :, 0].tolist()
        [3.0, 2.0]
    """

    pool_function = staticmethod(ops.max_pool)


class AveragePooling1D(Pooling1D):
    """Average pooling for 1D temporal data: the mean of each window of steps, per feature.

    With ``padding="same"`` the padding steps are not counted in the mean, as in Keras.

    Args:
        pool_size: int (or tuple of 1 int), the size of the pooling window. Defaults to 2.
        strides: int (or tuple of 1 int), how far the window moves at each step. If None (the default),
            ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(steps / strides)`` steps), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and raises a
            ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        3D tensor with shape ``(batch_size, pooled_steps, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.AveragePooling1D()(np.array([[[1.0], [3.0], [2.0], [0.0]]])).numpy()[0, :, 0].tolist()
        [2.0, 1.0]
    """

    pool_function = staticmethod(ops.average_pool)
