"""BatchNormalization: batch statistics while training, moving statistics at inference."""

from kerasette import initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class BatchNormalization(Layer):
    """Normalizes over every axis but ``axis``; a frozen layer runs in inference mode (as Keras 3)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        validation.not_supported(self, beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        if isinstance(axis, (list, tuple)):  # tf.keras 2 writes axis as a one-element list
            if len(axis) != 1:
                raise validation.invalid(self, "axis", "a single int", axis)
            axis = axis[0]
        self.axis = int(axis)
        if not 0 <= momentum <= 1:
            raise validation.invalid(self, "momentum", "a float in [0, 1]", momentum)
        if epsilon <= 0:
            raise validation.invalid(self, "epsilon", "a positive float", epsilon)
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

    def build(self, input_shape):
        rank = len(input_shape)
        self._axis = self.axis % rank
        size = input_shape[self._axis]
        if size is None:
            raise ValueError(f"Layer `{self.name}` needs a known size on axis {self.axis}: {input_shape}.")
        self._reduce_axes = tuple(i for i in range(rank) if i != self._axis)
        self._broadcast = tuple(size if i == self._axis else 1 for i in range(rank))
        self.gamma = self.add_weight((size,), self.gamma_initializer, regularizer=self.gamma_regularizer,
                                     name="gamma") if self.scale else None
        self.beta = self.add_weight((size,), self.beta_initializer, regularizer=self.beta_regularizer,
                                    name="beta") if self.center else None
        self.moving_mean = self.add_weight((size,), self.moving_mean_initializer, trainable=False,
                                           name="moving_mean")
        self.moving_variance = self.add_weight((size,), self.moving_variance_initializer, trainable=False,
                                               name="moving_variance")

    def call(self, inputs, training=None):
        if training and self.trainable:
            mean = ops.mean(inputs, axis=self._reduce_axes, keepdims=True)
            variance = ops.mean(ops.square(ops.subtract(inputs, mean)), axis=self._reduce_axes, keepdims=True)
            self._update_moving_statistics(mean, variance)
        else:
            mean = ops.reshape(self.moving_mean, self._broadcast)
            variance = ops.reshape(self.moving_variance, self._broadcast)
        inv = ops.divide(1.0, ops.sqrt(ops.add(variance, self.epsilon)))
        if self.gamma is not None:
            inv = ops.multiply(inv, ops.reshape(self.gamma, self._broadcast))
        outputs = ops.multiply(ops.subtract(inputs, mean), inv)
        if self.beta is not None:
            outputs = ops.add(outputs, ops.reshape(self.beta, self._broadcast))
        return outputs

    def _update_moving_statistics(self, mean, variance):
        with ops.stop_recording():
            for variable, batch_value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                batch_value = ops.reshape(batch_value, variable.shape)
                # moving = moving * momentum + batch * (1 - momentum)
                variable.assign(ops.add(ops.multiply(variable, self.momentum),
                                        ops.multiply(batch_value, 1.0 - self.momentum)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": None,
            "gamma_constraint": None,
            "synchronized": False,
        }
