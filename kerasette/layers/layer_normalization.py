"""LayerNormalization: normalizes each sample over ``axis`` (Ba et al., 2016)."""

import numbers

from kerasette import initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class LayerNormalization(Layer):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta``, statistics taken per sample over ``axis``.

    Args:
        axis: an int or a list of ints, the axes to normalize over; ``gamma`` and ``beta`` have
            the input's sizes on those axes (in the order given).
        epsilon: added to the variance (default 1e-3).
        center, scale: whether to add ``beta`` / multiply by ``gamma``.
        rms_scaling: if True, ``center`` and ``scale`` are ignored and the output is
            ``x / sqrt(var + epsilon) * gamma`` (Keras 3's formula: the variance, not the mean
            square, and no centering of ``x``).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer: as in Keras.

    >>> import numpy as np
    >>> from kerasette import layers
    >>> out = layers.LayerNormalization(epsilon=0.0)(np.array([[1.0, 3.0]]))
    >>> out.numpy().tolist()
    [[-1.0, 1.0]]
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        validation.not_supported(self, beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if not axes or not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axes):
            raise validation.invalid(self, "axis", "an int or a non-empty list of ints", axis)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or epsilon < 0:
            raise validation.invalid(self, "epsilon", "a float >= 0", epsilon)
        self.epsilon = float(epsilon)
        self.center, self.scale, self.rms_scaling = bool(center), bool(scale), bool(rms_scaling)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

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
                                         name="gamma")
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(shape, self.beta_initializer, regularizer=self.beta_regularizer, name="beta")

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
            "beta_constraint": None,
            "gamma_constraint": None,
        }
