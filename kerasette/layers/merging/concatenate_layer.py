"""Concatenate: joins the inputs along one axis."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.merging.base_merge import Merge, _shapes_of, _show_all


class Concatenate(Merge):
    """Concatenates a list of inputs along ``axis``; every other axis must match.

    Args:
        axis: the axis to join along (default -1); the batch axis (0) is not allowed.

    >>> import numpy as np
    >>> from kerasette import layers
    >>> layers.Concatenate()([np.zeros((2, 3)), np.ones((2, 1))]).shape
    (2, 4)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or axis == 0:
            raise validation.invalid(self, "axis", "a non-zero int (the batch axis cannot be concatenated)", axis)
        self.axis = int(axis)

    def call(self, inputs):
        self._merged_shape(_shapes_of(inputs))
        return ops.concatenate(list(inputs), axis=self.axis)

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

