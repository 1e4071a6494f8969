"""ReLU layer with Keras's max_value, negative_slope and threshold."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class ReLU(Layer):
    """``max_value``-capped rectifier; below ``threshold`` the slope is ``negative_slope``."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise validation.invalid(self, "max_value", "a non-negative float or None", max_value)
        if negative_slope is None or negative_slope < 0:
            raise validation.invalid(self, "negative_slope", "a non-negative float", negative_slope)
        if threshold is None:
            raise validation.invalid(self, "threshold", "a float", threshold)
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)

    def call(self, inputs):
        if self.negative_slope == 0 and self.threshold == 0:
            outputs = ops.relu(inputs)
        else:
            below = ops.multiply(ops.subtract(inputs, self.threshold), self.negative_slope)
            outputs = ops.where(ops.greater_equal(inputs, self.threshold), inputs, below)
        if self.max_value is not None:
            outputs = ops.minimum(outputs, self.max_value)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
