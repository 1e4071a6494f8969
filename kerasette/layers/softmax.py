"""Softmax layer."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class Softmax(Layer):
    """Softmax activation layer.

    Computes ``exp(x) / sum(exp(x))`` over ``axis``, in a numerically stable way. Calling the layer
    with ``mask`` (a tensor of the inputs' shape, 1 or True to keep and 0 or False to mask) gives the
    masked positions (nearly) zero probability.

    Args:
        axis: int or tuple of ints, the axis or axes to normalize over. Defaults to -1.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Softmax()(np.array([[1.0, 1.0, 1.0, 1.0]])).numpy().tolist()
        [[0.25, 0.25, 0.25, 0.25]]
        >>> print(np.round(layers.Softmax()(np.array([[1.0, 2.0, 3.0]]), mask=np.array([[1, 1, 0]])).numpy(), 3))
        [[0.269 0.731 0.   ]]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else tuple(axis)

    def build(self, input_shape):
        for axis in self.axis if isinstance(self.axis, tuple) else (self.axis,):
            validation.axis(self, "axis", axis, len(input_shape), allow_batch=True)

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
