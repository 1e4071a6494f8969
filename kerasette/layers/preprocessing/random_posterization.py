"""RandomPosterization: keep only a random number of high bits of each 8-bit pixel value while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomPosterization(BaseImagePreprocessingLayer):
    """Reduces the number of bits of each colour channel during training.

    Images are mapped from ``value_range`` to [0, 255], truncated to integers, and each value keeps
    only its ``bits`` most significant bits (``bits`` drawn per image from ``[factor[0], factor[1])``, or
    equal to ``factor[0]`` when the bounds are equal, as Keras 3), then mapped back. At inference the
    images are returned unchanged.

    Args:
        factor: an int or a pair of ints in [1, 8]: the number of bits to keep (a number ``f`` means
            the range (1, f)).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomPosterization(factor=(2, 2))  # keep 2 bits: multiples of 64
        >>> layer(np.array([[[[200.0], [63.0]]]], "float32"))[0, 0, :, 0].numpy().tolist()
        [192.0, 0.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 1.0, 8.0)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        low, high = int(self.factor[0]), int(self.factor[1])
        if low != high:
            bits = ops.floor(self._uniform((n,), low, high, seed))
        else:
            bits = ops.full((n,), float(low), self.dtype)
        return {"shift_factor": ops.cast(ops.subtract(8.0, bits), "uint8")}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        step = ops.power(2.0, ops.reshape(ops.cast(ops.convert_to_tensor(transformation["shift_factor"]),
                                                   images.dtype), (-1, 1, 1, 1)))
        x = ops.floor(ops.clip(self._transform_value_range(images, self.value_range, (0, 255)), 0.0, 255.0))
        x = ops.multiply(ops.floor(ops.divide(x, step)), step)
        return self._transform_value_range(x, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
