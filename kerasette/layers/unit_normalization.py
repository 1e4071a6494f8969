"""UnitNormalization: scale each sample to unit L2 norm over the given axes."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer

_EPSILON = 1e-12  # Keras's: norms below it are treated as epsilon


class UnitNormalization(Layer):
    """Unit normalization layer: each sample is divided by its L2 norm over ``axis``.

    Computes ``x / max(sqrt(sum(x ** 2, axis)), 1e-12)``, so that the outputs along ``axis`` have norm 1 (an
    all-zero slice stays zero).

    Args:
        axis: int or list/tuple of ints, the axes to normalize over. Defaults to -1.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.UnitNormalization()(np.array([[3.0, 4.0], [0.0, 0.0]])).numpy().tolist()
        [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if not axes or not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axes):
            raise validation.invalid(self, "axis", "an int or a list/tuple of ints", axis)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)

    def call(self, inputs):
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = ops.sum(ops.square(inputs), axis=axis, keepdims=True)
        # 1 / sqrt(max(s, eps^2)) rather than 1 / max(sqrt(s), eps): no infinite sqrt slope at s = 0
        return ops.divide(inputs, ops.sqrt(ops.maximum(square_sum, _EPSILON ** 2)))

    def compute_output_shape(self, input_shape):
        for axis in self.axis if isinstance(self.axis, list) else [self.axis]:
            if not -len(input_shape) <= axis < len(input_shape):
                raise ValueError(f"Layer `{self.name}`: axis {self.axis} is out of bounds for input shape "
                                 f"{tuple(input_shape)}.")
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
