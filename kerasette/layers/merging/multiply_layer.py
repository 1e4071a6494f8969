"""Multiply: product of the inputs, elementwise."""

from kerasette import ops
from kerasette.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Product of the inputs, elementwise; non-batch axes broadcast (see ``Merge``).

    >>> import numpy as np
    >>> from kerasette import layers
    >>> layers.Multiply()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
    [[3.0, 8.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.multiply(output, x)
        return output
