"""GroupNormalization: normalize each sample over groups of channels (Wu & He, 2018)."""

import numbers

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class GroupNormalization(Layer):
    """Group normalization layer.

    Splits the channels (along ``axis``) into ``groups`` groups and normalizes each sample over every non-batch
    axis within each group: ``(x - mean) / sqrt(variance + epsilon)``, then scales by ``gamma`` and shifts by
    ``beta`` (one of each per channel). Independent of the batch size; ``groups=1`` is layer normalization
    over all features, ``groups=-1`` (one channel per group) instance normalization.

    Args:
        groups: positive int (a divisor of the number of channels), or -1 for one group per channel.
            Defaults to 32.
        axis: int, the channels axis. Defaults to -1.
        epsilon: small float added to the variance. Defaults to 1e-3.
        center: bool, whether to add the learned offset ``beta``. Defaults to True.
        scale: bool, whether to multiply by the learned ``gamma``. Defaults to True.
        beta_initializer: initializer for beta. Defaults to ``"zeros"``.
        gamma_initializer: initializer for gamma. Defaults to ``"ones"``.
        beta_regularizer: optional regularizer for beta.
        gamma_regularizer: optional regularizer for gamma.
        beta_constraint: optional constraint (``kerasette.constraints``) for beta.
        gamma_constraint: optional constraint for gamma.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any rank >= 2 with a known size along ``axis``.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.GroupNormalization(groups=2, epsilon=0.0)
        >>> layer(np.array([[1.0, 3.0, 10.0, 30.0]])).numpy().tolist()
        [[-1.0, 1.0, -1.0, 1.0]]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or (groups <= 0 and groups != -1):
            raise validation.invalid(self, "groups", "a positive int, or -1 for instance normalization", groups)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise validation.invalid(self, "axis", "an int", axis)
        self.groups, self.axis = int(groups), int(axis)
        self.epsilon = validation.number(self, "epsilon", epsilon, "a float >= 0", low=0)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        if not -len(input_shape) < self.axis < len(input_shape) or self.axis % len(input_shape) == 0:
            raise ValueError(f"Layer `{self.name}`: axis={self.axis} must name a non-batch axis of inputs of shape "
                             f"{tuple(input_shape)}.")
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"Layer `{self.name}`: axis {self.axis} of the inputs needs a known size. Received "
                             f"input shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups:
            raise ValueError(f"Layer `{self.name}`: the number of groups ({self.groups}) must divide the number of "
                             f"channels ({channels}).")
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight((channels,), self.gamma_initializer, regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if self.center:
            self.beta = self.add_weight((channels,), self.beta_initializer, regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")

    def call(self, inputs):
        shape = tuple(inputs.shape)
        axis = self.axis % len(shape)
        grouped_shape = shape[:axis] + (self.groups, shape[axis] // self.groups) + shape[axis + 1:]
        grouped = ops.reshape(inputs, grouped_shape)
        reduce = tuple(i for i in range(1, len(grouped_shape)) if i != axis)
        centered = ops.subtract(grouped, ops.mean(grouped, axis=reduce, keepdims=True))
        variance = ops.mean(ops.square(centered), axis=reduce, keepdims=True)
        outputs = ops.reshape(ops.divide(centered, ops.sqrt(ops.add(variance, self.epsilon))), shape)
        broadcast = tuple(size if i == axis else 1 for i, size in enumerate(shape))
        if self.gamma is not None:
            outputs = ops.multiply(outputs, ops.reshape(self.gamma, broadcast))
        if self.beta is not None:
            outputs = ops.add(outputs, ops.reshape(self.beta, broadcast))
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
