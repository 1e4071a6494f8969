"""Average: the mean of the inputs, elementwise."""

from kerasette import ops
from kerasette.layers.merging.base_merge import Merge


class Average(Merge):
    """Mean of the inputs, elementwise; non-batch axes broadcast (see ``Merge``).

    >>> import numpy as np
    >>> from kerasette import layers
    >>> layers.Average()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
    [[2.0, 3.0]]
    """

    def _merge_function(self, inputs):
        total = inputs[0]
        for x in inputs[1:]:
            total = ops.add(total, x)
        return ops.divide(total, float(len(inputs)))
