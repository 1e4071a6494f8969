"""Concatenate: joins the inputs along one axis."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.merging.base_merge import Merge, _shapes_of, _show_all


class Concatenate(Merge):
    """Concatenates a list of inputs.

    It takes a list of at least 2 tensors, of the same rank and with the same sizes on every axis
    except the concatenation axis, and returns one tensor joining them along ``axis``. The
    functional form is ``layers.concatenate(inputs, axis=-1)``.

    Args:
        axis: int, the axis to concatenate along. Defaults to -1. The batch axis (0) cannot be
            concatenated and raises a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A list of at least 2 tensors ``(batch_size, ...)`` of the same rank whose shapes match except
        on ``axis``.

    Output shape:
        The common shape, with the sum of the inputs' sizes on ``axis`` (None if any is unknown).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Concatenate()([np.zeros((2, 3)), np.ones((2, 1))]).shape
        (2, 4)
        >>> x = np.arange(4.0).reshape(2, 1, 2)
        >>> layers.Concatenate(axis=1)([x, x + 10]).numpy().tolist()
        [[[0.0, 1.0], [10.0, 11.0]], [[2.0, 3.0], [12.0, 13.0]]]
        >>> a, b = layers.Input(shape=(4, 8)), layers.Input(shape=(4, 3))
        >>> layers.concatenate([a, b]).shape
        (None, 4, 11)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or axis == 0:
            raise validation.invalid(self, "axis", "a non-zero int (the batch axis cannot be concatenated)", axis)
        self.axis = int(axis)

    def call(self, inputs):
        self._merged_shape(_shapes_of(inputs))
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_mask(self, inputs, previous_mask=None):
        """Keras's rule: the inputs' masks (all-True where one has none) joined, then any over the last axis."""
        if previous_mask is None or all(m is None for m in previous_mask):
            return None
        masks = []
        for tensor, mask in zip(inputs, previous_mask):
            if mask is None:
                mask = ops.ones(tensor.shape, "bool")
            elif mask.ndim < tensor.ndim:
                mask = ops.broadcast_to(ops.expand_dims(mask, -1), tensor.shape)
            masks.append(mask)
        return ops.any(ops.concatenate(masks, axis=self.axis), axis=-1)

    def _merged_shape(self, input_shape):
        shapes = self._shape_list(input_shape)
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise self._incompatible(shapes, "All inputs of a Concatenate layer must have the same rank.")
        if not -rank <= self.axis < rank or self.axis % rank == 0:
            raise ValueError(f"Layer `{self.name}` (Concatenate) cannot concatenate along axis={self.axis}: it is "
                             f"out of range or the batch axis for inputs of shapes {_show_all(shapes)}.")
        axis = self.axis % rank
        output = []
        for i, sizes in enumerate(zip(*shapes)):
            known = {s for s in sizes if s is not None}
            if i == axis:
                output.append(None if None in sizes else sum(sizes))
            elif len(known) > 1:
                raise self._incompatible(
                    shapes, f"All axes but the concatenation axis ({self.axis}) must match."
                )
            else:
                output.append(known.pop() if known else None)
        return tuple(output)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}

