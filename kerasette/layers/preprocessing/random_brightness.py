"""RandomBrightness: add a random offset to all pixels of each image while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomBrightness(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly adjusts brightness during training.

    Each image gets ``delta * (high - low)`` added to every pixel and channel, with ``delta`` drawn
    from ``factor`` per image and ``(low, high) = value_range``; the result is clipped to
    ``value_range``. At inference the images are returned unchanged. Integer images are computed in
    the layer's (float) dtype.

    Args:
        factor: a float in [-1, 1] or a pair ``(lower, upper)``: the range of ``delta`` (a number ``f``
            means ``[-f, f]``; ``(0, 0.2)`` only brightens).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``, ``data_format``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomBrightness((0.1, 0.1), value_range=(0, 1), seed=0)
        >>> [round(v, 4) for v in layer(np.array([[[0.2, 0.95]]], "float32")).numpy().ravel().tolist()]
        [0.3, 1.0]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        delta = self._uniform((n, 1, 1, 1), self.factor[0], self.factor[1], seed)
        return {"rgb_delta": ops.multiply(delta, float(self.value_range[1] - self.value_range[0]))}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        delta = ops.cast(ops.convert_to_tensor(transformation["rgb_delta"]), images.dtype)
        return ops.clip(ops.add(images, delta), float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
