"""Dropout: zero a fraction ``rate`` of inputs while training, identity at inference."""

from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.ops import random


class Dropout(Layer):
    """Randomly zeroes inputs with probability ``rate`` and rescales the rest by 1 / (1 - rate)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = validation.rate(self, rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        noise_shape = None
        if self.noise_shape is not None:
            noise_shape = tuple(d if n is None else n for n, d in zip(self.noise_shape, inputs.shape))
        return random.dropout(inputs, self.rate, noise_shape, seed=self.seed_generator)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        noise_shape = None if self.noise_shape is None else list(self.noise_shape)
        return {**super().get_config(), "rate": self.rate, "noise_shape": noise_shape, "seed": self.seed}
