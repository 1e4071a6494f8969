"""RandomElasticTransform: displace pixels by smooth random offsets while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer

_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


class RandomElasticTransform(BaseImagePreprocessingLayer):
    """A preprocessing layer that applies random elastic transformations during training.

    With a probability drawn from ``factor`` per image, ``ops.image.elastic_transform`` displaces the
    pixels by smooth random offsets: for a strength ``s`` drawn from ``scale`` (once per batch),
    ``alpha = 0.1 * s * max(height, width)`` and ``sigma = 0.05 * s * min(height, width)``. The result is
    clipped to ``value_range``. At inference the images are returned unchanged.

    Args:
        factor: a float or a pair in [0, 1]: the range of the probability of transforming an image.
        scale: a float or a pair in [0, 1]: the range of the strength ``s``.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "constant", "nearest", "wrap" or "mirror".
        fill_value: the value of points outside the input with ``fill_mode="constant"``.
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.full((2, 16, 16, 1), 7.0, "float32")
        >>> bool(np.allclose(layers.RandomElasticTransform(seed=1)(x).numpy(), 7.0))  # a constant image stays
        True
    """

    _USE_BASE_FACTOR = False
    _TRANSFORMS_MASKS = True

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.scale = arguments.factor_range(self, "scale", scale, 0.0, 1.0)
        self.interpolation = arguments.choice(self, "interpolation", interpolation, arguments.INTERPOLATIONS)
        self.fill_mode = arguments.choice(self, "fill_mode", fill_mode, _FILL_MODES)
        self.fill_value = arguments.number(self, "fill_value", fill_value)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        n = self._batch_shape(data)[0]
        seed = self._seed(seed)
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        apply = ops.less(self._uniform((n,), 0.0, 1.0, seed), probability)
        strength = float(self._uniform((), self.scale[0], self.scale[1], seed))
        noise_seed = self.generator.next() if seed is self.generator else seed
        return {"apply_transform": apply, "distortion_factor": strength, "seed": noise_seed}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        height, width = images.shape[1:3]
        strength = float(transformation["distortion_factor"])
        if strength <= 0:
            return images
        alpha, sigma = max(height, width) * 0.1 * strength, min(height, width) * 0.05 * strength
        warped = ops.image.elastic_transform(images, alpha=alpha, sigma=sigma, interpolation=interpolation,
                                             fill_mode=self.fill_mode, fill_value=self.fill_value,
                                             seed=transformation["seed"])
        apply = ops.reshape(ops.convert_to_tensor(transformation["apply_transform"]), (-1, 1, 1, 1))
        return ops.clip(ops.where(apply, warped, images), float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "scale": list(self.scale),
                "interpolation": self.interpolation, "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "value_range": list(self.value_range), "seed": self.seed}
