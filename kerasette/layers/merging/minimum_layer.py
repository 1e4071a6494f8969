"""Minimum: minimum of the inputs, elementwise."""

from kerasette import ops
from kerasette.layers.merging.base_merge import Merge


class Minimum(Merge):
    """Computes the elementwise minimum of a list of inputs.

    It takes a list of at least 2 tensors and returns their minimum, elementwise. Non-batch axes
    broadcast as in numpy, and an input of lower rank gains size-1 axes after its batch axis, as in
    Keras (see ``Merge``). The functional form is ``layers.minimum(inputs)``.

    Args:
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A list of at least 2 tensors ``(batch_size, ...)`` whose non-batch shapes broadcast together.

    Output shape:
        ``(batch_size, ...)``, the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Minimum()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
        [[1.0, 2.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.minimum(output, x)
        return output
