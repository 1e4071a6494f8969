"""SpatialDropout1D/2D/3D: dropout of whole feature maps (the same channels dropped at every position)."""

from kerasette.layers import validation
from kerasette.layers.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout that drops entire channels: one mask value per sample and channel, shared by every position.

    A subclass sets ``rank``, the number of spatial axes. While training each channel of each sample is zeroed
    with probability ``rate`` and the others are scaled by ``1 / (1 - rate)``; at inference the layer returns
    its inputs unchanged. As in Keras, the config holds only ``rate``, ``seed``, ``name``, ``dtype`` (and
    ``data_format`` for 2-D and 3-D), so Keras can load it.

    Args:
        rate: float in [0, 1), the fraction of the channels to drop.
        seed: optional int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    rank = None

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, noise_shape=(None,) + (1,) * self.rank + (None,), seed=seed, **kwargs)
        self.input_ndim = self.rank + 2

    def get_config(self):
        config = {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D version of Dropout: drops entire 1D feature maps (channels) instead of single elements.

    When adjacent steps are strongly correlated, ordinary dropout does not regularize the activations;
    dropping whole channels does.

    Args:
        rate: float in [0, 1), the fraction of the channels to drop.
        seed: optional int, the seed of the layer's random stream (for reproducible masks).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, channels)``.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> y = layers.SpatialDropout1D(0.5, seed=2)(np.ones((1, 3, 4), "float32"), training=True).numpy()
        >>> bool((y == y[:, :1]).all())  # every step has the same channels dropped
        True
    """

    rank = 1


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D version of Dropout: drops entire 2D feature maps (channels) instead of single elements.

    Args:
        rate: float in [0, 1), the fraction of the channels to drop.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        seed: optional int, the seed of the layer's random stream (for reproducible masks).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> y = layers.SpatialDropout2D(0.5, seed=2)(np.ones((2, 3, 3, 4), "float32"), training=True).numpy()
        >>> bool((y == y[:, :1, :1]).all())
        True
    """

    rank = 2

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = validation.data_format(self, data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout3D(BaseSpatialDropout):
    """Spatial 3D version of Dropout: drops entire 3D feature maps (channels) instead of single elements.

    Args:
        rate: float in [0, 1), the fraction of the channels to drop.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        seed: optional int, the seed of the layer's random stream (for reproducible masks).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, dim1, dim2, dim3, channels)``.

    Output shape:
        The same shape as the input.
    """

    rank = 3

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = validation.data_format(self, data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
