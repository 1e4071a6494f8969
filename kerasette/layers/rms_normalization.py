"""RMSNormalization: scale each sample by the inverse root mean square over ``axis`` (Zhang & Sennrich, 2019)."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class RMSNormalization(Layer):
    """Root Mean Square normalization layer.

    Computes ``x / sqrt(mean(x ** 2, axis) + epsilon) * scale``, with ``scale`` a learned weight (initialized to
    ones) shaped like the normalized axes. Unlike ``LayerNormalization`` it does not center the inputs.

    Args:
        axis: int or list/tuple of ints, the non-batch axes to normalize over. Defaults to -1. As in Keras, it
            becomes a sorted list once the layer is built (and so in the config).
        epsilon: small float added to the mean square. Defaults to 1e-6.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any rank >= 2, with known sizes on ``axis``.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RMSNormalization(epsilon=0.0)
        >>> layer(np.array([[3.0, -4.0, 0.0, 0.0]])).numpy().tolist()
        [[1.2000000476837158, -1.600000023841858, 0.0, 0.0]]
        >>> [(w.name, tuple(w.shape)) for w in layer.weights]
        [('scale', (4,))]
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if not axes or not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axes):
            raise validation.invalid(self, "axis", "an int or a non-empty list of ints", axis)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = validation.number(self, "epsilon", epsilon, "a float >= 0", low=0)

    def _axes(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -rank <= a < rank for a in axes) or any(a % rank == 0 for a in axes):
            raise ValueError(f"Layer `{self.name}`: axis={self.axis} must name non-batch axes of inputs of shape "
                             f"{tuple(input_shape)}.")
        return sorted(a % rank for a in axes)

    def build(self, input_shape):
        axes = self._axes(input_shape)
        if any(input_shape[a] is None for a in axes):
            raise ValueError(f"Layer `{self.name}` needs known sizes on axis={self.axis}. Received input shape "
                             f"{tuple(input_shape)}.")
        self.scale = self.add_weight(tuple(input_shape[a] for a in axes), "ones", name="scale")
        self.axis = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]  # Keras's built form

    def call(self, inputs):
        axes = self._axes(inputs.shape)
        mean_square = ops.mean(ops.square(inputs), axis=tuple(axes), keepdims=True)
        outputs = ops.divide(inputs, ops.sqrt(ops.add(mean_square, self.epsilon)))
        broadcast = tuple(size if i in axes else 1 for i, size in enumerate(inputs.shape))
        return ops.multiply(outputs, ops.reshape(self.scale, broadcast))

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
