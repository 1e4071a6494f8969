"""Activation: apply a named activation function."""

from kerasette import activations
from kerasette.layers.layer import Layer


class Activation(Layer):
    """Applies ``activation`` (a name such as "relu", or a callable)."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
