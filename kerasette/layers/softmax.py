"""Softmax layer."""

from kerasette import ops
from kerasette.layers.layer import Layer


class Softmax(Layer):
    """Softmax over ``axis`` (an int or a tuple of ints); ``mask`` zeroes masked positions."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else tuple(axis)

    def call(self, inputs, mask=None):
        if mask is not None:
            inputs = ops.where(ops.cast(mask, "bool"), inputs, -1e9)
        if isinstance(self.axis, tuple):
            return ops.exp(ops.subtract(inputs, _logsumexp(inputs, self.axis)))
        return ops.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis if isinstance(self.axis, int) else list(self.axis)}


def _logsumexp(x, axis):
    peak = ops.stop_gradient(ops.max(x, axis=axis, keepdims=True))
    return ops.add(ops.log(ops.sum(ops.exp(ops.subtract(x, peak)), axis=axis, keepdims=True)), peak)
