"""Activation: apply a named activation function."""

from kerasette import activations
from kerasette.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: the activation function: a callable, or the name of a function in
            ``kerasette.activations`` (such as ``"relu"`` or ``"softmax"``).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Activation("relu")(np.array([[-1.0, 2.0]])).numpy().tolist()
        [[0.0, 2.0]]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
