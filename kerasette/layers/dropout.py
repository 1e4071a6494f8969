"""Dropout: zero a fraction ``rate`` of inputs while training, identity at inference."""

from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.ops import random


class Dropout(Layer):
    """Applies dropout to the input.

    While training, the layer sets each input unit to 0 with probability ``rate`` and scales the
    others by ``1 / (1 - rate)``, so that the expected sum is unchanged; this helps prevent
    overfitting. At inference (``training`` False or None, the default outside ``fit``) it returns its
    inputs unchanged. ``fit`` passes ``training=True``; elsewhere pass it explicitly. Setting
    ``trainable=False`` does not change this: the layer has no weights.

    Args:
        rate: float in [0, 1), the fraction of the input units to drop. Keras also accepts 1;
            kerasette raises a ValueError for it.
        noise_shape: optional tuple of ints, the shape of the binary dropout mask, which broadcasts
            against the inputs; None entries take the input's size. For inputs of shape
            ``(batch_size, timesteps, features)``, ``noise_shape=(None, 1, None)`` drops the same
            features at every timestep.
        seed: optional int, the seed of the layer's random stream (for reproducible masks).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.Dropout(0.5, seed=1)
        >>> x = np.ones((4, 10), dtype="float32")
        >>> layer(x).numpy().tolist() == x.tolist()  # inference: identity
        True
        >>> sorted(set(layer(x, training=True).numpy().ravel().tolist()))  # dropped or scaled by 2
        [0.0, 2.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = validation.rate(self, rate)
        self.noise_shape = validation.noise_shape(self, noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)

    def build(self, input_shape):
        if self.noise_shape is not None and (len(self.noise_shape) != len(input_shape) or any(
                n not in (None, 1, d) and d is not None for n, d in zip(self.noise_shape, input_shape))):
            raise ValueError(f"Layer `{self.name}`: noise_shape={self.noise_shape} does not broadcast against inputs "
                             f"of shape {tuple(input_shape)} (one entry per axis: None, 1 or the axis' size).")

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
