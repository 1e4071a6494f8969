"""ELU: the exponential linear unit as a layer."""

from kerasette import activations
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class ELU(Layer):
    """Applies an Exponential Linear Unit function to an output.

    Computes ``f(x) = x`` for ``x > 0`` and ``f(x) = alpha * (exp(x) - 1)`` otherwise, elementwise.

    Args:
        alpha: float, the scale of the negative part. Defaults to 1.0.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> [round(v, 4) for v in layers.ELU(alpha=0.5)(np.array([-1.0, 0.0, 2.0])).numpy().tolist()]
        [-0.3161, 0.0, 2.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = validation.number(self, "alpha", alpha, "a float")

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # Keras 3 leaves `alpha` out of its config (so it reloads as 1.0); kerasette keeps it, and Keras accepts it.
        return {**super().get_config(), "alpha": self.alpha}
