"""Solarization: invert the pixels above a random threshold (after adding a random offset) while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class Solarization(BaseImagePreprocessingLayer):
    """Applies ``(0, 255)`` solarization to images: pixels at or above a threshold become ``255 - x``.

    Per image, an addition drawn from ``[addition_factor[0], addition_factor[1] * 255]`` is added to the
    pixels (clipped to [0, 255]) and a threshold is drawn from ``[threshold_factor[0],
    threshold_factor[1] * 255]`` (the lower bounds are not scaled, as in Keras 3). Images are mapped from
    ``value_range`` to [0, 255] and back. At inference the images are returned unchanged.

    Args:
        addition_factor: a float or a pair in [0, 1] (a number ``f`` means (0, f)).
        threshold_factor: a float or a pair in [0, 1] (a number ``f`` means (0, f)).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``, ``data_format``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.Solarization(threshold_factor=0.5, seed=0)
        >>> t = {"additions": np.zeros((1, 1, 1, 1), "float32"), "thresholds": np.full((1, 1, 1, 1), 128.0, "float32")}
        >>> layer.transform_images(np.array([[[[10.0], [200.0]]]], "float32"), t)[0, 0, :, 0].numpy().tolist()
        [10.0, 55.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.addition_factor = arguments.factor_range(self, "addition_factor", addition_factor, 0.0, 1.0,
                                                      symmetric=False)
        self.threshold_factor = arguments.factor_range(self, "threshold_factor", threshold_factor, 0.0, 1.0,
                                                       symmetric=False)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        additions = self._uniform((n, 1, 1, 1), self.addition_factor[0], self.addition_factor[1] * 255, seed)
        thresholds = self._uniform((n, 1, 1, 1), self.threshold_factor[0], self.threshold_factor[1] * 255, seed)
        return {"additions": additions, "thresholds": thresholds}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        x = self._transform_value_range(images, self.value_range, (0, 255))
        x = ops.clip(ops.add(x, ops.convert_to_tensor(transformation["additions"], images.dtype)), 0.0, 255.0)
        x = ops.where(ops.less(x, ops.convert_to_tensor(transformation["thresholds"], images.dtype)), x,
                      ops.subtract(255.0, x))
        return self._transform_value_range(x, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "value_range": list(self.value_range),
                "addition_factor": list(self.addition_factor), "threshold_factor": list(self.threshold_factor),
                "seed": self.seed}
