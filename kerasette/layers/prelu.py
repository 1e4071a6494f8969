"""PReLU: a leaky ReLU whose negative slopes are learned."""

import numbers

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class PReLU(Layer):
    """Parametric Rectified Linear Unit activation layer.

    Computes ``f(x) = alpha * x`` for ``x < 0`` and ``f(x) = x`` for ``x >= 0``, where ``alpha`` is a learned
    weight shaped like one input sample (``input_shape[1:]``), with size 1 along the ``shared_axes``.

    Args:
        alpha_initializer: initializer for the slopes. Defaults to ``"Zeros"``.
        alpha_regularizer: optional regularizer for the slopes.
        alpha_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to the slopes.
        shared_axes: int or list of ints, the (1-based, non-batch) axes along which the slopes are shared.
            For feature maps ``(batch, height, width, channels)``, ``shared_axes=[1, 2]`` learns one slope per
            channel. None (the default) learns one per input element.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape (rank >= 2), with known non-batch sizes.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.PReLU(alpha_initializer="ones", shared_axes=[1])
        >>> layer(np.array([[[-2.0, 3.0], [-1.0, -4.0]]])).numpy().tolist()
        [[[-2.0, 3.0], [-1.0, -4.0]]]
        >>> [tuple(w.shape) for w in layer.weights]
        [(1, 2)]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is not None:
            axes = shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes]
            if not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) and a >= 1 for a in axes):
                raise validation.invalid(self, "shared_axes", "None, or an int or a list of ints >= 1 (non-batch "
                                         "axes)", shared_axes)
            shared_axes = [int(a) for a in axes]
        self.shared_axes = shared_axes

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if axis >= len(input_shape):
                raise ValueError(f"Layer `{self.name}`: shared_axes={self.shared_axes} names an axis the inputs of "
                                 f"shape {tuple(input_shape)} do not have.")
            shape[axis - 1] = 1
        if None in shape:
            raise ValueError(f"Layer `{self.name}` needs known sizes on the axes it does not share. Received input "
                             f"shape {tuple(input_shape)} with shared_axes={self.shared_axes}.")
        self.alpha = self.add_weight(tuple(shape), self.alpha_initializer, regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint, name="alpha")

    def call(self, inputs):
        return ops.subtract(ops.relu(inputs), ops.multiply(self.alpha, ops.relu(ops.negative(inputs))))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
