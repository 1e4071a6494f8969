"""Flatten: (batch, ...) -> (batch, features)."""

import math

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class Flatten(Layer):
    """Flattens every axis but the batch axis."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = validation.data_format(self, data_format)

    def call(self, inputs):
        shape = inputs.shape
        return ops.reshape(inputs, (shape[0], math.prod(shape[1:])))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
