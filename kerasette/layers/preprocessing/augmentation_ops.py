"""The augmentation layers RandAugment and AugMix choose from, built with one strength ``factor``."""

from kerasette.layers.preprocessing.auto_contrast import AutoContrast
from kerasette.layers.preprocessing.equalization import Equalization
from kerasette.layers.preprocessing.random_brightness import RandomBrightness
from kerasette.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from kerasette.layers.preprocessing.random_contrast import RandomContrast
from kerasette.layers.preprocessing.random_posterization import RandomPosterization
from kerasette.layers.preprocessing.random_rotation import RandomRotation
from kerasette.layers.preprocessing.random_sharpness import RandomSharpness
from kerasette.layers.preprocessing.random_shear import RandomShear
from kerasette.layers.preprocessing.random_translation import RandomTranslation
from kerasette.layers.preprocessing.solarization import Solarization

GEOMETRIC_AND_TONAL = ("random_shear", "random_translation", "random_rotation", "random_posterization",
                       "solarization", "auto_contrast", "equalization")
COLOR = ("random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness")


def build_augmentations(owner, names, factor, value_range, interpolation, seed):
    """The named augmentation layers, configured as Keras 3's RandAugment and AugMix configure them.

    Args:
        owner: the composite layer (its name prefixes theirs, its dtype is theirs).
        names: which layers to build (from ``GEOMETRIC_AND_TONAL`` and ``COLOR``).
        factor: the ``(lower, upper)`` strength in [0, 1].
        value_range: the pixel range.
        interpolation: the interpolation of the geometric layers.
        seed: the owner's seed.

    Returns:
        A dict from name to layer.
    """
    common = {"seed": seed, "dtype": owner.dtype}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, interpolation=interpolation, **common),
        "random_translation": lambda: RandomTranslation(factor, factor, interpolation=interpolation, **common),
        "random_rotation": lambda: RandomRotation(factor, interpolation=interpolation, **common),
        "random_posterization": lambda: RandomPosterization(max(1, int(8 * factor[1])), value_range=value_range,
                                                            **common),
        "solarization": lambda: Solarization(factor, factor, value_range=value_range, **common),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, dtype=owner.dtype),
        "equalization": lambda: Equalization(value_range=value_range, dtype=owner.dtype),
        "random_brightness": lambda: RandomBrightness(factor, value_range=value_range, **common),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor, value_range=value_range, **common),
        "random_contrast": lambda: RandomContrast(factor, value_range=value_range, **common),
        "random_sharpness": lambda: RandomSharpness(factor, value_range=value_range, **common),
    }
    return {name: makers[name]() for name in names}


def draw(layer, data, seed):
    """``layer``'s random transformation of ``data`` drawn from ``seed`` (None for deterministic layers)."""
    return layer.get_random_transformation(data, training=True, seed=seed)


def apply(layer, images, transformation):
    """Apply ``layer`` with a drawn ``transformation`` to a rank-4 batch."""
    return layer._transform_batch(images, transformation, layer.interpolation)
