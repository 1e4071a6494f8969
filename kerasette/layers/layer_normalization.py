"""LayerNormalization: normalizes each sample over ``axis`` (Ba et al., 2016)."""

import numbers

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class LayerNormalization(Layer):
    """Layer normalization layer (Ba et al., 2016).

    Normalizes the activations of each sample independently (unlike ``BatchNormalization``, which
    normalizes each feature across the batch): the mean and variance are taken per sample over
    ``axis``, and the output is ``(x - mean) / sqrt(variance + epsilon) * gamma + beta``, with
    learned ``gamma`` and ``beta`` shaped like the normalized axes. It behaves the same in training
    and at inference.

    Args:
        axis: int or list of ints, the axis or axes to normalize over, typically the features axis
            (-1, the default). ``gamma`` and ``beta`` have the input's sizes on those axes, in the
            order given. The batch axis cannot be normalized over.
        epsilon: float >= 0 added to the variance to avoid dividing by zero. Defaults to 1e-3.
        center: bool, if True (the default) add the offset ``beta``; if False, no ``beta``.
        scale: bool, if True (the default) multiply by ``gamma``; if False, no ``gamma``.
        rms_scaling: bool, if True, ``center`` and ``scale`` are ignored and the output is
            ``x / sqrt(variance + epsilon) * gamma`` (Keras 3's formula: the variance, not the mean
            square, and no centering of ``x``). Defaults to False.
        beta_initializer: initializer for ``beta``. Defaults to ``"zeros"``.
        gamma_initializer: initializer for ``gamma``. Defaults to ``"ones"``.
        beta_regularizer: optional regularizer for ``beta``.
        gamma_regularizer: optional regularizer for ``gamma``.
        beta_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to beta after
            each update.
        gamma_constraint: optional constraint the optimizer applies to gamma after each update.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any rank >= 2, with known sizes on ``axis``.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> out = layers.LayerNormalization(epsilon=0.0)(np.array([[1.0, 3.0], [2.0, 10.0]]))
        >>> out.numpy().tolist()  # each row: mean 0, variance 1
        [[-1.0, 1.0], [-1.0, 1.0]]
        >>> layer = layers.LayerNormalization(axis=[1, 2])
        >>> layer(np.ones((2, 5, 4, 3))).shape
        (2, 5, 4, 3)
        >>> [(w.name, tuple(w.shape)) for w in layer.weights]
        [('gamma', (5, 4)), ('beta', (5, 4))]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if not axes or not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axes):
            raise validation.invalid(self, "axis", "an int or a non-empty list of ints", axis)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = validation.real(self, "epsilon", epsilon, "a finite float >= 0", 0)
        self.center, self.scale, self.rms_scaling = bool(center), bool(scale), bool(rms_scaling)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _axes(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -rank <= a < rank for a in axes) or len({a % rank for a in axes}) != len(axes):
            raise ValueError(f"Layer `{self.name}`: axis={self.axis} must name distinct axes of inputs of rank {rank}. "
                             f"Received input shape {tuple(input_shape)}.")
        return tuple(a % rank for a in axes)

    def build(self, input_shape):
        axes = self._axes(input_shape)
        if 0 in axes or any(input_shape[a] is None for a in axes):
            raise ValueError(f"Layer `{self.name}` needs known, non-batch axes to normalize over: axis={self.axis}, "
                             f"input shape {tuple(input_shape)}.")
        shape = tuple(input_shape[a] for a in axes)
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(shape, self.gamma_initializer, regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(shape, self.beta_initializer, regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")

    @staticmethod
    def _broadcast(weight, axes, input_shape):
        """``weight`` (shaped by ``axes`` in the given order) reshaped to broadcast against the input."""
        order = sorted(range(len(axes)), key=lambda i: axes[i])
        if order != list(range(len(axes))):
            weight = ops.transpose(weight, order)
        return ops.reshape(weight, tuple(size if i in axes else 1 for i, size in enumerate(input_shape)))

    def call(self, inputs):
        axes = self._axes(inputs.shape)
        centered = ops.subtract(inputs, ops.mean(inputs, axis=axes, keepdims=True))
        variance = ops.mean(ops.square(centered), axis=axes, keepdims=True)
        inv = ops.divide(1.0, ops.sqrt(ops.add(variance, self.epsilon)))
        if self.gamma is not None:
            inv = ops.multiply(inv, self._broadcast(self.gamma, axes, inputs.shape))
        if self.rms_scaling:
            return ops.multiply(inputs, inv)
        outputs = ops.multiply(centered, inv)
        if self.beta is not None:
            outputs = ops.add(outputs, self._broadcast(self.beta, axes, inputs.shape))
        return outputs

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
