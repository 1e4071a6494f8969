"""ZeroPadding2D: adds rows and columns of zeros around NHWC images."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


def spatial_pairs(layer, argument, value):
    """``((top, bottom), (left, right))`` from an int, a pair ``(h, w)``, or two pairs; all ints >= 0."""
    def is_count(v):
        return isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0

    if is_count(value):
        return ((int(value),) * 2,) * 2
    if isinstance(value, (tuple, list)) and len(value) == 2:
        if all(is_count(v) for v in value):
            return tuple((int(v), int(v)) for v in value)
        if all(isinstance(p, (tuple, list)) and len(p) == 2 and all(is_count(v) for v in p) for p in value):
            return tuple((int(p[0]), int(p[1])) for p in value)
    raise validation.invalid(
        layer, argument, "an int >= 0, a tuple of 2 such ints, or a tuple of 2 tuples of 2 such ints", value
    )


class ZeroPadding2D(Layer):
    """Zero-padding layer for 2D input (e.g. pictures).

    Adds rows and columns of zeros at the top, bottom, left and right of the images.

    Args:
        padding: int >= 0, tuple of 2 ints, or tuple of 2 tuples of 2 ints. An int pads all four
            sides by the same amount; ``(h, w)`` pads ``h`` rows at the top and at the bottom and
            ``w`` columns on the left and on the right; ``((top, bottom), (left, right))`` gives each
            side. Defaults to ``(1, 1)``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported
            and raises a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, padded_rows, padded_cols, channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.ZeroPadding2D(((1, 0), (2, 3))).compute_output_shape((None, 4, 4, 3))
        (None, 5, 9, 3)
        >>> layers.ZeroPadding2D(1)(np.ones((1, 1, 1, 1))).numpy()[0, :, :, 0].tolist()
        [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """

    input_ndim = 4

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = spatial_pairs(self, "padding", padding)
        self.data_format = validation.data_format(self, data_format)

    def call(self, inputs):
        return ops.pad(inputs, [(0, 0), self.padding[0], self.padding[1], (0, 0)])

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 4)
        h, w = (None if size is None else size + sum(pair) for size, pair in zip(input_shape[1:3], self.padding))
        return (input_shape[0], h, w, input_shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": [list(p) for p in self.padding], "data_format": self.data_format}
