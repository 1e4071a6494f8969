"""Subtract: the first input minus the second."""

from kerasette import ops
from kerasette.layers.merging.base_merge import Merge


class Subtract(Merge):
    """``inputs[0] - inputs[1]`` for exactly two inputs; non-batch axes broadcast (see ``Merge``).

    >>> import numpy as np
    >>> from kerasette import layers
    >>> layers.Subtract()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
    [[-2.0, 2.0]]
    """

    min_inputs = 2
    max_inputs = 2

    def _merge_function(self, inputs):
        return ops.subtract(inputs[0], inputs[1])
