"""Reshape: change the shape of each sample (one dimension may be -1)."""

import math

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class Reshape(Layer):
    """Layer that reshapes inputs into the given shape.

    Each sample is reshaped to ``target_shape``; the batch axis is untouched. The number of values
    per sample must not change.

    Args:
        target_shape: tuple of ints, the shape of each sample, without the batch axis. At most one
            entry may be -1: its size is inferred from the input's size and the other entries.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape ``(batch_size, ...)``.

    Output shape:
        ``(batch_size, *target_shape)``, with a -1 entry resolved (None if the input has an unknown
        non-batch size).

    Raises:
        ValueError: if the input's values per sample do not fit ``target_shape``.

    Example:
        >>> from kerasette import layers
        >>> layers.Reshape((3, 4)).compute_output_shape((None, 12))
        (None, 3, 4)
        >>> layers.Reshape((-1, 2, 2)).compute_output_shape((None, 6, 2))
        (None, 3, 2, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(target_shape, (tuple, list)) or not all(
            isinstance(s, int) and (s > 0 or s == -1) for s in target_shape
        ) or list(target_shape).count(-1) > 1:
            raise validation.invalid(self, "target_shape", "a tuple of positive ints with at most one -1",
                                     target_shape)
        self.target_shape = tuple(target_shape)

    def _resolve(self, input_shape):
        size = math.prod(input_shape[1:]) if None not in input_shape[1:] else None
        known = math.prod(s for s in self.target_shape if s != -1)
        if size is None:
            return self.target_shape
        if -1 in self.target_shape:
            if size % known:
                raise self._mismatch(input_shape)
            return tuple(size // known if s == -1 else s for s in self.target_shape)
        if known != size:
            raise self._mismatch(input_shape)
        return self.target_shape

    def _mismatch(self, input_shape):
        return ValueError(
            f"Layer `{self.name}`: cannot reshape input of shape {tuple(input_shape)} "
            f"({math.prod(input_shape[1:])} values per sample) to target_shape {self.target_shape}."
        )

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0],) + self._resolve(inputs.shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(None if s == -1 else s for s in self._resolve(input_shape))

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}
