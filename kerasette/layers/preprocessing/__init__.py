"""Preprocessing and augmentation layers (``keras.layers.Rescaling``, ``RandomFlip``...), one per module.

Image layers take NHWC batches (or single images) and share ``BaseImagePreprocessingLayer``: random ones
are seeded through a ``SeedGenerator`` and act only while training. The others (``Rescaling``,
``Normalization``, ``Discretization``, ``CategoryEncoding``) work on any tensor.
"""

from kerasette.layers.preprocessing.aug_mix import AugMix
from kerasette.layers.preprocessing.auto_contrast import AutoContrast
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer as BaseImagePreprocessingLayer
from kerasette.layers.preprocessing.category_encoding import CategoryEncoding
from kerasette.layers.preprocessing.center_crop import CenterCrop
from kerasette.layers.preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization
from kerasette.layers.preprocessing.cut_mix import CutMix
from kerasette.layers.preprocessing.discretization import Discretization
from kerasette.layers.preprocessing.equalization import Equalization
from kerasette.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes
from kerasette.layers.preprocessing.mel_spectrogram import MelSpectrogram
from kerasette.layers.preprocessing.mix_up import MixUp
from kerasette.layers.preprocessing.normalization import Normalization
from kerasette.layers.preprocessing.pipeline import Pipeline
from kerasette.layers.preprocessing.rand_augment import RandAugment
from kerasette.layers.preprocessing.random_brightness import RandomBrightness
from kerasette.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from kerasette.layers.preprocessing.random_color_jitter import RandomColorJitter
from kerasette.layers.preprocessing.random_contrast import RandomContrast
from kerasette.layers.preprocessing.random_crop import RandomCrop
from kerasette.layers.preprocessing.random_elastic_transform import RandomElasticTransform
from kerasette.layers.preprocessing.random_erasing import RandomErasing
from kerasette.layers.preprocessing.random_flip import RandomFlip
from kerasette.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from kerasette.layers.preprocessing.random_grayscale import RandomGrayscale
from kerasette.layers.preprocessing.random_hue import RandomHue
from kerasette.layers.preprocessing.random_invert import RandomInvert
from kerasette.layers.preprocessing.random_perspective import RandomPerspective
from kerasette.layers.preprocessing.random_posterization import RandomPosterization
from kerasette.layers.preprocessing.random_rotation import RandomRotation
from kerasette.layers.preprocessing.random_saturation import RandomSaturation
from kerasette.layers.preprocessing.random_sharpness import RandomSharpness
from kerasette.layers.preprocessing.random_shear import RandomShear
from kerasette.layers.preprocessing.random_translation import RandomTranslation
from kerasette.layers.preprocessing.random_zoom import RandomZoom
from kerasette.layers.preprocessing.rescaling import Rescaling
from kerasette.layers.preprocessing.resizing import Resizing
from kerasette.layers.preprocessing.solarization import Solarization
from kerasette.layers.preprocessing.stft_spectrogram import STFTSpectrogram

LAYERS = (
    AugMix, AutoContrast, CategoryEncoding, CenterCrop, ContrastLimitedAdaptiveHistogramEqualization, CutMix,
    Discretization, Equalization, MaxNumBoundingBoxes, MelSpectrogram, MixUp, Normalization, Pipeline, RandAugment,
    RandomBrightness, RandomColorDegeneration, RandomColorJitter, RandomContrast, RandomCrop,
    RandomElasticTransform, RandomErasing, RandomFlip, RandomGaussianBlur, RandomGrayscale, RandomHue, RandomInvert,
    RandomPerspective, RandomPosterization, RandomRotation, RandomSaturation, RandomSharpness, RandomShear,
    RandomTranslation, RandomZoom, Rescaling, Resizing, Solarization, STFTSpectrogram,
)

__all__ = [cls.__name__ for cls in LAYERS]  # what kerasette.layers re-exports
