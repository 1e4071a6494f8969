"""LeakyReLU: ``x`` for positive inputs, ``negative_slope * x`` otherwise."""

import warnings

from kerasette import activations
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit activation layer.

    Computes ``f(x) = negative_slope * x`` for ``x < 0`` and ``f(x) = x`` for ``x >= 0``, elementwise. The
    layer allows a small gradient when the unit is not active.

    Args:
        negative_slope: float >= 0, the slope of the negative part. Defaults to 0.3 (Keras's layer default;
            the ``leaky_relu`` activation function defaults to 0.2).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...). Keras 2's
            ``alpha`` is accepted, with a deprecation warning, as ``negative_slope``.

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.LeakyReLU(negative_slope=0.5)(np.array([-10, -5, 0.0, 5, 10])).numpy().tolist()
        [-5.0, -2.5, 0.0, 5.0, 10.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` of LeakyReLU is deprecated. Use `negative_slope` instead.",
                          DeprecationWarning, stacklevel=2)
        super().__init__(**kwargs)
        self.negative_slope = validation.number(self, "negative_slope", negative_slope, "a float >= 0", low=0)

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
