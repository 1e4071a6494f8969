"""BatchNormalization: batch statistics while training, moving statistics at inference."""

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class BatchNormalization(Layer):
    """Layer that normalizes its inputs.

    Batch normalization keeps the mean of its outputs close to 0 and their standard deviation close
    to 1, per feature along ``axis``. It works differently in training and at inference:

    - While training (``fit``, or a call with ``training=True``), it normalizes with the mean and
      variance of the current batch, taken over every axis but ``axis``:
      ``gamma * (x - mean(batch)) / sqrt(var(batch) + epsilon) + beta``, and updates the
      non-trainable moving statistics:
      ``moving_mean = moving_mean * momentum + mean(batch) * (1 - momentum)`` (the same for
      ``moving_variance``, with the batch variance).
    - At inference (``training`` False or None), it uses the moving statistics instead:
      ``gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta``.

    As in Keras 3, setting ``trainable = False`` freezes the layer *and* makes it run in inference
    mode, even inside ``fit``; this is what fine-tuning a pretrained model needs.

    Args:
        axis: int, the axis of the features to normalize (typically the channels axis, -1, the
            default). A one-element list (as tf.keras 2 configs write it) is accepted.
        momentum: float in [0, 1], the momentum of the moving averages. Defaults to 0.99.
        epsilon: positive float added to the variance to avoid dividing by zero. Defaults to 1e-3.
        center: bool, if True (the default) add the learned offset ``beta``; if False, no ``beta``.
        scale: bool, if True (the default) multiply by the learned factor ``gamma``; if False, no
            ``gamma`` (useful when the next layer is linear).
        beta_initializer: initializer for ``beta``. Defaults to ``"zeros"``.
        gamma_initializer: initializer for ``gamma``. Defaults to ``"ones"``.
        moving_mean_initializer: initializer for the moving mean. Defaults to ``"zeros"``.
        moving_variance_initializer: initializer for the moving variance. Defaults to ``"ones"``.
        beta_regularizer: optional regularizer for ``beta``.
        gamma_regularizer: optional regularizer for ``gamma``.
        beta_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to beta after
            each update.
        gamma_constraint: optional constraint the optimizer applies to gamma after each update.
        synchronized: bool. If True, under ``kerasette.distribute`` with several ranks, the batch
            statistics are those of the global batch: the sums over each rank's part are allreduced
            (and differentiated through), as one process training on the whole global batch would
            compute them. In a single process it is the same as False. Defaults to False.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any rank, with a known size on ``axis``.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.BatchNormalization(momentum=0.9)
        >>> x = np.array([[0.0], [2.0]])
        >>> np.round(layer(x, training=True).numpy(), 2).tolist()  # batch mean 1, variance 1
        [[-1.0], [1.0]]
        >>> print(layer.moving_mean.numpy(), layer.moving_variance.numpy())  # 0.9 * initial + 0.1 * batch
        [0.1] [1.]
        >>> [w.name for w in layer.weights]
        ['gamma', 'beta', 'moving_mean', 'moving_variance']
        >>> len(layer.trainable_weights)
        2
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(synchronized, bool):
            raise validation.invalid(self, "synchronized", "a bool", synchronized)
        self.synchronized = synchronized
        if isinstance(axis, (list, tuple)):  # tf.keras 2 writes axis as a one-element list
            if len(axis) != 1:
                raise validation.invalid(self, "axis", "a single int", axis)
            axis = axis[0]
        self.axis = int(axis)
        self.momentum = validation.real(self, "momentum", momentum, "a float in [0, 1]", 0, 1)
        self.epsilon = validation.real(self, "epsilon", epsilon, "a positive float", 0, low_open=True)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        rank = len(input_shape)
        self._axis = validation.axis(self, "axis", self.axis, rank)
        size = input_shape[self._axis]
        if size is None:
            raise ValueError(f"Layer `{self.name}` needs a known size on axis {self.axis}: {input_shape}.")
        self._reduce_axes = tuple(i for i in range(rank) if i != self._axis)
        self._broadcast = tuple(size if i == self._axis else 1 for i in range(rank))
        # autocast=False: under mixed precision the statistics and the affine step stay in float32, as in Keras
        self.gamma = self.add_weight((size,), self.gamma_initializer, regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint, autocast=False,
                                     name="gamma") if self.scale else None
        self.beta = self.add_weight((size,), self.beta_initializer, regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint, autocast=False,
                                    name="beta") if self.center else None
        self.moving_mean = self.add_weight((size,), self.moving_mean_initializer, trainable=False, autocast=False,
                                           name="moving_mean")
        self.moving_variance = self.add_weight((size,), self.moving_variance_initializer, trainable=False,
                                               autocast=False, name="moving_variance")

    def call(self, inputs, training=None):
        if inputs.dtype == "float16":  # float16 statistics overflow: computed in float32, as Keras does
            return ops.cast(self.call(ops.cast(inputs, "float32"), training=training), self.compute_dtype)
        if training and self.trainable:
            mean, variance = self._batch_moments(inputs)
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

    def _batch_moments(self, inputs):
        if self.synchronized:
            from kerasette.distribute import replica  # the ranks of kerasette.distribute, when there are several

            if replica.active():
                return replica.moments(inputs, self._reduce_axes)
        mean = ops.mean(inputs, axis=self._reduce_axes, keepdims=True)
        variance = ops.mean(ops.square(ops.subtract(inputs, mean)), axis=self._reduce_axes, keepdims=True)
        return mean, variance

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
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
        }
