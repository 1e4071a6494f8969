"""Dense: ``activation(inputs @ kernel + bias)``."""

from kerasette import activations, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config
from kerasette.ops import fusion


class Dense(Layer):
    """A densely connected layer acting on the last axis."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        validation.not_supported(
            self,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        self.units = validation.positive_int(self, "units", units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                f"Layer `{self.name}` needs inputs of rank >= 2 with a known last dimension. "
                f"Received input shape {tuple(input_shape)}."
            )
        self.kernel = self.add_weight((input_shape[-1], self.units), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, name="bias")

    def call(self, inputs):
        return fusion.bias_activation(ops.matmul(inputs, self.kernel), self.bias, self.activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            **weights_config(self),
        }
