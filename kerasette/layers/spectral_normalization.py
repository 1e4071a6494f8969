"""SpectralNormalization: a wrapper that divides a layer's kernel by its largest singular value while training."""

import numbers

from kerasette import initializers, ops
from kerasette.layers import validation
from kerasette.layers.wrapper import Wrapper


class SpectralNormalization(Wrapper):
    """Spectral normalization of the wrapped layer's kernel (Miyato et al., 2018), for GAN discriminators.

    At each training call the largest singular value ``sigma`` of the kernel (reshaped to
    ``(-1, last_axis)``) is estimated by ``power_iterations`` steps of the power method, starting from
    the non-trainable ``vector_u`` kept between calls; the kernel is then set to ``kernel / sigma``
    and the wrapped layer runs with it, as in Keras (the division is an assignment, so gradients reach
    the kernel through the layer's call only). At inference the kernel is used as it is. A kernel of
    zeros is left alone.

    Args:
        layer: a layer with a ``kernel`` (Dense, Conv2D...) or ``embeddings`` (Embedding) weight.
        power_iterations: positive int, the power-method steps per training call. Defaults to 1.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Raises:
        ValueError: ``power_iterations`` is not a positive int, or (when built) the layer has neither
            weight.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> dense = layers.SpectralNormalization(layers.Dense(4))
        >>> x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
        >>> _ = dense(x, training=True)
        >>> _ = dense(x, training=True)  # the power method converges over calls
        >>> round(float(np.linalg.norm(dense.layer.kernel.numpy(), 2)), 1)
        1.0
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, numbers.Integral) \
                or power_iterations <= 0:
            raise validation.invalid(self, "power_iterations", "an int greater than zero", power_iterations)
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings' "
                             f"(layer `{self.name}` wraps `{self.layer.name}`).")
        self.kernel_shape = tuple(self.kernel.shape)
        # Keras tracks the kernel as the wrapper's own variable too (its first, before vector_u): the same
        # order of weights and of the saved variables as Keras's
        self._weights.append(self.kernel)
        self._declared_trainable[id(self.kernel)] = self.layer._declared_trainable[id(self.kernel)]
        self.vector_u = self.add_weight((1, self.kernel_shape[-1]), initializers.TruncatedNormal(stddev=0.02),
                                        dtype=self.kernel.dtype, trainable=False, name="vector_u")

    def normalized_weights(self):
        """``(vector_u, kernel / sigma)``: the power method's new ``vector_u`` and the normalized kernel.

        Returns:
            Two tensors of the shapes of ``vector_u`` and of the kernel.
        """
        with ops.stop_recording():
            weights = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
            vector_u = ops.convert_to_tensor(self.vector_u.numpy())
            for _ in range(self.power_iterations):
                vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
                vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
            sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
            kernel = ops.reshape(ops.divide(weights, sigma), self.kernel_shape)
        return vector_u, kernel

    def call(self, inputs, training=False):
        if training and bool(ops.any(ops.not_equal(self.kernel, 0)).numpy()):
            vector_u, kernel = self.normalized_weights()
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
