"""ZeroPadding1D and ZeroPadding3D (ZeroPadding2D has its own module): zeros around the spatial axes."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.spatial_pairs import pairs_config, rank_pairs


class BaseZeroPadding(Layer):
    """Adds zeros before and after each spatial axis of channels_last inputs; a subclass sets ``rank``.

    Args:
        padding: the ``(before, after)`` amounts, in any form ``spatial_pairs.rank_pairs`` accepts.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` raises a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.input_ndim = self.rank + 2
        self.padding = rank_pairs(self, "padding", padding, self.rank)
        self.data_format = validation.data_format(self, data_format)

    def call(self, inputs):
        return ops.pad(inputs, [(0, 0), *self.padding, (0, 0)])

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, self.rank + 2)
        sizes = (None if size is None else size + sum(pair) for size, pair in zip(input_shape[1:-1], self.padding))
        return (input_shape[0], *sizes, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "padding": pairs_config(self.padding), "data_format": self.data_format}


class ZeroPadding1D(BaseZeroPadding):
    """Zero-padding layer for 1D input (e.g. temporal sequence): adds zero steps at the start and the end.

    Args:
        padding: int >= 0 (the same number of steps at both ends) or tuple of 2 ints ``(start, end)``.
            Defaults to 1.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        3D tensor with shape ``(batch_size, padded_steps, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.ZeroPadding1D((1, 2))(np.ones((1, 2, 1))).numpy()[0, :, 0].tolist()
        [0.0, 1.0, 1.0, 0.0, 0.0]
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(BaseZeroPadding):
    """Zero-padding layer for 3D data (spatial or spatio-temporal): zeros around depth, height and width.

    Args:
        padding: int >= 0, tuple of 3 ints (symmetric amounts per axis), or tuple of 3 tuples of 2 ints
            ``((front, back), (top, bottom), (left, right))``. Defaults to ``((1, 1), (1, 1), (1, 1))``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, rows, cols, channels)``.

    Output shape:
        5D tensor with shape ``(batch_size, padded_depth, padded_rows, padded_cols, channels)``.

    Example:
        >>> from kerasette import layers
        >>> layers.ZeroPadding3D(((1, 0), (2, 2), (0, 3))).compute_output_shape((None, 4, 4, 4, 2))
        (None, 5, 8, 7, 2)
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
