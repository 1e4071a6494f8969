"""Maximum: maximum of the inputs, elementwise."""

from kerasette import ops
from kerasette.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Computes the elementwise maximum of a list of inputs.

    It takes a list of at least 2 tensors and returns their maximum, elementwise. Non-batch axes
    broadcast as in numpy, and an input of lower rank gains size-1 axes after its batch axis, as in
    Keras (see ``Merge``). The functional form is ``layers.maximum(inputs)``.

    Args:
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A list of at least 2 tensors ``(batch_size, ...)`` whose non-batch shapes broadcast together.

    Output shape:
        ``(batch_size, ...)``, the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Maximum()([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
        [[3.0, 4.0]]
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.maximum(output, x)
        return output
