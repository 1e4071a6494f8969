"""GaussianDropout: multiply by 1-centred Gaussian noise while training (a regularizer)."""

import math

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.ops import random


class GaussianDropout(Layer):
    """Apply multiplicative 1-centered Gaussian noise.

    While training, multiplies every input element by noise drawn from ``N(1, rate / (1 - rate))``, the
    variance of dropout's scaling at the same ``rate``. At inference (``training`` False or None, the default
    outside ``fit``) it returns its inputs unchanged.

    Args:
        rate: float in [0, 1), the drop probability (as for ``Dropout``). Keras also accepts 1 (infinite
            noise); kerasette raises a ValueError for it.
        seed: optional int, the seed of the layer's random stream (for reproducible noise).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.GaussianDropout(0.5, seed=3)
        >>> noise = layer(np.ones((10000,), "float32"), training=True).numpy()
        >>> round(float(noise.mean()), 1), round(float(noise.std()), 1)
        (1.0, 1.0)
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = validation.rate(self, rate)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = random.normal(tuple(inputs.shape), 1.0, stddev, inputs.dtype, seed=self.seed_generator)
        return ops.multiply(inputs, noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
