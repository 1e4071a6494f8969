"""The base of MaxPooling2D and AveragePooling2D."""

from kerasette import ops
from kerasette.layers.base_pooling import BasePooling


class Pooling2D(BasePooling):
    """The base of the 2-D pooling layers: slides a window over height and width and reduces it.

    Subclasses set ``pool_function`` (an op taking ``inputs, pool_size, strides, padding``); the rest is
    ``BasePooling``'s.

    Args:
        pool_size: int or tuple of 2 ints, the height and width of the pooling window. An int uses
            the same size for both. Defaults to ``(2, 2)``.
        strides: int or tuple of 2 ints, how far the window moves at each step. If None (the
            default), ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` rows and columns), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and
            raises a ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, pooled_height, pooled_width, channels)``, where each pooled
        size is ``floor((size - pool) / strides) + 1`` with ``"valid"`` padding and
        ``floor((size - 1) / strides) + 1`` with ``"same"``.
    """

    rank = 2

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling2D(Pooling2D):
    """Max pooling operation for 2D spatial data.

    Downsamples the input along height and width by taking the maximum over a ``pool_size`` window
    for each channel, moving the window by ``strides``.

    Args:
        pool_size: int or tuple of 2 ints, the height and width of the pooling window. An int uses
            the same size for both. Defaults to ``(2, 2)``.
        strides: int or tuple of 2 ints, how far the window moves at each step. If None (the
            default), ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` rows and columns), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and
            raises a ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, pooled_height, pooled_width, channels)``, where each pooled
        size is ``floor((size - pool) / strides) + 1`` with ``"valid"`` padding and
        ``floor((size - 1) / strides) + 1`` with ``"same"``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
        >>> layers.MaxPooling2D()(x).numpy()[0, :, :, 0].tolist()
        [[5.0, 7.0], [13.0, 15.0]]
        >>> tuple(layers.MaxPooling2D(pool_size=3, strides=1, padding="same")(x).shape)
        (1, 4, 4, 1)
        >>> layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1)).compute_output_shape((None, 3, 3, 8))
        (None, 2, 2, 8)
    """

    pool_function = staticmethod(ops.max_pool)


class AveragePooling2D(Pooling2D):
    """Average pooling operation for 2D spatial data.

    Downsamples the input along height and width by taking the mean over a ``pool_size`` window for
    each channel, moving the window by ``strides``. With ``padding="same"`` the padding pixels are not
    counted in the mean, as in Keras.

    Args:
        pool_size: int or tuple of 2 ints, the height and width of the pooling window. An int uses
            the same size for both. Defaults to ``(2, 2)``.
        strides: int or tuple of 2 ints, how far the window moves at each step. If None (the
            default), ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` rows and columns), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and
            raises a ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, pooled_height, pooled_width, channels)``, where each pooled
        size is ``floor((size - pool) / strides) + 1`` with ``"valid"`` padding and
        ``floor((size - 1) / strides) + 1`` with ``"same"``.
    """

    pool_function = staticmethod(ops.average_pool)
