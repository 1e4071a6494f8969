"""RandAugment: apply ``num_ops`` augmentations chosen at random from a fixed list, while training."""

import numbers

from kerasette import ops
from kerasette import random as keras_random
from kerasette.layers.preprocessing import arguments, augmentation_ops
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid

_NAMES = augmentation_ops.GEOMETRIC_AND_TONAL[:3] + augmentation_ops.COLOR + (
    "random_posterization", "solarization", "auto_contrast", "equalization")


class RandAugment(BaseImagePreprocessingLayer):
    """RandAugment performs the Rand Augment operation on input images (Cubuk et al., 2019).

    Each call picks ``num_ops`` operations at random (for the whole batch, as in Keras 3) from shear,
    translation, rotation, brightness, colour degeneration, contrast, sharpness, posterization,
    solarization, auto-contrast and equalization, all with strength ``factor``, and applies them in
    turn. At inference the images are returned unchanged.

    Args:
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        num_ops: int, the number of operations per call.
        factor: a float or a pair in [0, 1]: the strength of the operations.
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> out = layers.RandAugment(seed=3)(x)
        >>> out.shape, bool(out.numpy().min() >= 0 and out.numpy().max() <= 255)
        ((2, 8, 8, 3), True)
    """

    _USE_BASE_FACTOR = False
    _AUGMENT_LAYERS = _NAMES

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        if isinstance(num_ops, bool) or not isinstance(num_ops, numbers.Integral) or num_ops < 0:
            raise invalid(self, "num_ops", "an int >= 0", num_ops)
        self.num_ops = int(num_ops)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.interpolation = arguments.choice(self, "interpolation", interpolation, arguments.INTERPOLATIONS)
        self._set_seed(seed)
        self.augmentations = augmentation_ops.build_augmentations(self, _NAMES, self.factor, self.value_range,
                                                                  self.interpolation, self.seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        indices = keras_random.randint((self.num_ops,), 0, len(_NAMES), seed=seed) if self.num_ops else \
            ops.zeros((0,), "int32")
        transforms = {name: augmentation_ops.draw(layer, data, seed) for name, layer in self.augmentations.items()}
        return {"transforms": transforms, "layer_idxes": indices}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        for index in ops.convert_to_numpy(transformation["layer_idxes"]).tolist():
            name = _NAMES[int(index)]
            images = augmentation_ops.apply(self.augmentations[name], images, transformation["transforms"][name])
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": list(self.value_range), "num_ops": self.num_ops,
                "factor": list(self.factor), "interpolation": self.interpolation, "seed": self.seed}
