"""GaussianNoise: add zero-centred Gaussian noise while training (a regularizer)."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.ops import random


class GaussianNoise(Layer):
    """Apply additive zero-centered Gaussian noise.

    While training, adds noise drawn from ``N(0, stddev**2)`` to every input element; a regularization layer
    that mitigates overfitting (a form of random data augmentation). At inference (``training`` False or
    None, the default outside ``fit``) it returns its inputs unchanged.

    Args:
        stddev: float in [0, 1], the standard deviation of the noise.
        seed: optional int, the seed of the layer's random stream (for reproducible noise).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.GaussianNoise(0.1, seed=3)
        >>> x = np.zeros((1000,), "float32")
        >>> layer(x).numpy().tolist() == x.tolist()  # inference: identity
        True
        >>> round(float(layer(x, training=True).numpy().std()), 1)
        0.1
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = validation.number(self, "stddev", stddev, "a float in [0, 1]", low=0, high=1)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        noise = random.normal(tuple(inputs.shape), 0.0, self.stddev, inputs.dtype, seed=self.seed_generator)
        return ops.add(inputs, noise)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
