"""ReLU layer with Keras's max_value, negative_slope and threshold."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class ReLU(Layer):
    """Rectified Linear Unit activation function layer.

    Computes, elementwise:

    - ``f(x) = max_value`` if ``x >= max_value``;
    - ``f(x) = x`` if ``threshold <= x < max_value``;
    - ``f(x) = negative_slope * (x - threshold)`` otherwise.

    With the defaults this is ``max(x, 0)``.

    Args:
        max_value: float >= 0, the largest output value; None (the default) means no limit.
        negative_slope: float >= 0, the slope below ``threshold``. Defaults to 0.0.
        threshold: float >= 0, the value below which the output is ``negative_slope * (x - threshold)``.
            Defaults to 0.0. Keras requires ``threshold >= 0``; kerasette also accepts a negative
            value.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.ReLU(max_value=10, negative_slope=0.5)
        >>> layer(np.array([-10, -5, 0.0, 5, 10])).numpy().tolist()
        [-5.0, -2.5, 0.0, 5.0, 10.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise validation.invalid(self, "max_value", "a non-negative float or None", max_value)
        if negative_slope is None or negative_slope < 0:
            raise validation.invalid(self, "negative_slope", "a non-negative float", negative_slope)
        if threshold is None or threshold < 0:
            raise validation.invalid(self, "threshold", "a non-negative float", threshold)
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
