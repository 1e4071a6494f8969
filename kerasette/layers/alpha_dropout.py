"""AlphaDropout: dropout that keeps the mean and variance of SELU activations."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.ops import random

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Applies Alpha Dropout to the input (Klambauer et al., 2017).

    While training, sets each input element with probability ``rate`` to SELU's negative saturation value
    ``-alpha * scale`` (instead of 0), then applies the affine map ``a * x + b`` that restores the inputs' mean
    and variance (for inputs of mean 0 and variance 1, as SELU networks keep them). At inference it returns its
    inputs unchanged.

    Args:
        rate: float in [0, 1), the drop probability. Keras also accepts 1; kerasette raises a ValueError.
        noise_shape: optional tuple of ints, the shape of the drop mask, which broadcasts against the inputs;
            None entries take the input's size.
        seed: optional int, the seed of the layer's random stream (for reproducible masks).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.random.default_rng(0).normal(size=(20000,)).astype("float32")
        >>> y = layers.AlphaDropout(0.2, seed=1)(x, training=True).numpy()
        >>> abs(round(float(y.mean()), 1)), round(float(y.std()), 1)  # the moments of x are kept
        (0.0, 1.0)
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = validation.rate(self, rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        shape = tuple(inputs.shape)
        if self.noise_shape is not None:
            shape = tuple(d if n is None else n for n, d in zip(self.noise_shape, shape))
        kept = ops.cast(ops.greater_equal(random.uniform(shape, dtype=inputs.dtype, seed=self.seed_generator),
                                          self.rate), inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        dropped = ops.add(ops.multiply(inputs, kept), ops.multiply(ops.subtract(1.0, kept), alpha_p))
        return ops.add(ops.multiply(dropped, a), b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        noise_shape = None if self.noise_shape is None else list(self.noise_shape)
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": noise_shape}
