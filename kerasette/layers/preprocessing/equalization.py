"""Equalization: histogram equalization of each colour channel (deterministic)."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class Equalization(BaseImagePreprocessingLayer):
    """Preprocessing layer for histogram equalization on image channels.

    Each channel's values (mapped from ``value_range`` to [0, 255]) are counted in ``bins`` bins and
    remapped through the normalized cumulative histogram, which spreads the values over the range.
    As in Keras 3, the histogram of a channel is taken over the whole batch, and a channel with a
    single occupied bin is left unchanged. The layer acts when called with ``training`` True or unset
    (Keras 3's rule); ``training=False`` returns the images unchanged.

    Args:
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        bins: int, the number of histogram bins (256 by default).
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.array([[[[100.0], [100.0], [110.0], [120.0]]]], "float32")
        >>> layers.Equalization()(x)[0, 0, :, 0].numpy().tolist()
        [0.0, 0.0, 128.0, 255.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = arguments.positive_int(self, "bins", bins)
        self.value_range = arguments.value_range(self, value_range)

    def _equalize(self, channel):
        x = self._transform_value_range(channel, self.value_range, (0, 255))
        top = float(self.bins - 1)
        indices = ops.clip(ops.cast(ops.multiply(x, top / 255.0), "int32"), 0, self.bins - 1)
        histogram = ops.bincount(ops.reshape(indices, (-1,)), minlength=self.bins)
        if int(ops.count_nonzero(histogram)) <= 1:
            return channel
        cdf = ops.cast(ops.cumsum(histogram), "float32")
        cdf_min = ops.min(ops.where(ops.greater(cdf, 0.0), cdf, float("inf")))
        denominator = ops.subtract(cdf[-1], cdf_min)
        denominator = ops.where(ops.equal(denominator, 0.0), 1.0, denominator)
        table = ops.clip(ops.round(ops.divide(ops.multiply(ops.subtract(cdf, cdf_min), 255.0), denominator)), 0.0,
                         255.0)
        lookup = ops.cast(ops.clip(ops.multiply(ops.divide(x, 255.0), top), 0.0, top), "int32")
        equalized = ops.cast(ops.take(table, lookup), channel.dtype)
        return self._transform_value_range(equalized, (0, 255), self.value_range)

    def _transform_batch(self, images, transformation, interpolation):
        return ops.stack([self._equalize(images[..., c]) for c in range(images.shape[-1])], axis=-1)

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "value_range": list(self.value_range)}
