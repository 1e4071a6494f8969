"""Subtract: the first input minus the second."""

from kerasette import ops
from kerasette.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Performs elementwise subtraction.

    It takes a list of exactly 2 tensors and returns ``inputs[0] - inputs[1]``, elementwise. Non-batch
    axes broadcast as in numpy, and an input of lower rank gains size-1 axes after its batch axis, as in
    Keras (see ``Merge``). The functional form is ``layers.subtract(inputs)``.

    Args:
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A list of exactly 2 tensors ``(batch_size, ...)`` whose non-batch shapes broadcast together.

    Output shape:
        ``(batch_size, ...)``, the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Subtract()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
        [[-2.0, 2.0]]
    """

    min_inputs = 2
    max_inputs = 2

    def _merge_function(self, inputs):
        return ops.subtract(inputs[0], inputs[1])
