"""RandomColorJitter: random brightness, contrast, saturation and hue, in that order, while training."""

from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.preprocessing.random_brightness import RandomBrightness
from kerasette.layers.preprocessing.random_contrast import RandomContrast
from kerasette.layers.preprocessing.random_hue import RandomHue
from kerasette.layers.preprocessing.random_saturation import RandomSaturation

_STAGES = (("brightness_factor", RandomBrightness), ("contrast_factor", RandomContrast),
           ("saturation_factor", RandomSaturation), ("hue_factor", RandomHue))


class RandomColorJitter(BaseImagePreprocessingLayer):
    """RandomColorJitter class randomly applies brightness, contrast, saturation and hue changes.

    Each factor that is not None adds a stage (``RandomBrightness``, ``RandomContrast``,
    ``RandomSaturation``, ``RandomHue``, applied in that order); all stages draw from this layer's
    random stream. At inference the images are returned unchanged.

    Args:
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        brightness_factor: the ``factor`` of ``RandomBrightness``, or None.
        contrast_factor: the ``factor`` of ``RandomContrast``, or None.
        saturation_factor: the ``factor`` of ``RandomSaturation``, or None.
        hue_factor: the ``factor`` of ``RandomHue``, or None.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomColorJitter(value_range=(0, 1), brightness_factor=0.2, hue_factor=0.3, seed=1)
        >>> out = layer(np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32"))
        >>> out.shape, bool(out.numpy().min() >= 0 and out.numpy().max() <= 1)
        ((2, 4, 4, 3), True)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        self.stages = [(argument, cls(factor=getattr(self, argument), value_range=self.value_range, seed=self.seed,
                                      dtype=self.dtype, name=f"{self.name}_{argument[:-7]}"))
                       for argument, cls in _STAGES if getattr(self, argument) is not None]

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        return {argument: stage.get_random_transformation(data, training=True, seed=seed)
                for argument, stage in self.stages}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        for argument, stage in self.stages:
            images = stage._transform_batch(images, transformation[argument], interpolation)
        return images

    def get_config(self):
        factors = {argument: arguments.as_config(getattr(self, argument)) for argument, _ in _STAGES}
        return {**super().get_config(), "value_range": list(self.value_range), **factors, "seed": self.seed}
