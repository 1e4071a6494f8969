"""Resizing: resize images to a fixed height and width (deterministic, differentiable)."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")


class Resizing(BaseImagePreprocessingLayer):
    """A preprocessing layer which resizes images to ``(height, width)``, in training and inference alike.

    The resampling is ``ops.image.resize``: half-pixel centres, the numbers of Keras's torch backend for
    "bilinear", "nearest" and "bicubic". Integer images keep their dtype (rounded and clipped); float
    images take the layer's dtype. Gradients flow to the input. Segmentation masks passed in a dict are
    resized with "nearest".

    Args:
        height: int, the output height.
        width: int, the output width.
        interpolation: "bilinear" (default), "nearest", "bicubic", "area", "lanczos3" or "lanczos5".
        crop_to_aspect_ratio: if True, crop the largest centred window with the target aspect ratio
            first, so the image is not distorted.
        pad_to_aspect_ratio: if True, pad the image (with ``fill_value``) to the target aspect ratio
            first, so the image is not distorted.
        fill_mode: "constant", the only mode of the padding.
        fill_value: the padding value of ``pad_to_aspect_ratio``.
        antialias: whether to low-pass filter when downsampling (bilinear, bicubic, lanczos).
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        (batch, height, width, channels) with the layer's ``height`` and ``width``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> layers.Resizing(2, 2)(x)[0, :, :, 0].numpy().tolist()
        [[2.5, 4.5], [10.5, 12.5]]
    """

    _USE_BASE_FACTOR = False
    _ALWAYS_ACTIVE = True
    _TRANSFORMS_MASKS = True

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = arguments.positive_int(self, "height", height)
        self.width = arguments.positive_int(self, "width", width)
        self.interpolation = arguments.choice(self, "interpolation", interpolation, INTERPOLATIONS)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(f"Layer `{self.name}`: only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
                             "`True`.")
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        if fill_mode != "constant":
            raise invalid(self, "fill_mode", '"constant" (the only padding mode of `pad_to_aspect_ratio`)', fill_mode)
        self.fill_mode = fill_mode
        self.fill_value = arguments.number(self, "fill_value", fill_value)
        self.antialias = bool(antialias)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = self._batch_shape(data)
        return shape[1], shape[2]

    def transform_images(self, images, transformation=None, training=True):
        images = ops.convert_to_tensor(images)
        self._check_rank(images.shape)
        if images.dtype.startswith("float") and images.dtype != self.dtype:
            images = ops.cast(images, self.dtype)
        return self._resize(images, self.interpolation)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        masks = ops.convert_to_tensor(segmentation_masks)
        self._check_rank(masks.shape)
        return self._resize(masks, "nearest")

    def _resize(self, images, interpolation):
        return ops.image.resize(images, (self.height, self.width), interpolation=interpolation,
                                antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                                pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
                                fill_value=self.fill_value)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape[:-3]) + (self.height, self.width, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}
