"""RepeatVector: (batch, features) -> (batch, n, features)."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats the input ``n`` times.

    Each input vector is repeated along a new axis 1.

    Args:
        n: positive int, the number of repetitions.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        2D tensor with shape ``(batch_size, features)``.

    Output shape:
        3D tensor with shape ``(batch_size, n, features)``.

    Example:
        >>> from kerasette import layers
        >>> layers.RepeatVector(3).compute_output_shape((None, 32))
        (None, 3, 32)
    """

    input_ndim = 2

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = validation.positive_int(self, "n", n)

    def call(self, inputs):
        batch, features = inputs.shape
        return ops.broadcast_to(ops.reshape(inputs, (batch, 1, features)), (batch, self.n, features))

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 2)
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
