"""AutoContrast: stretch each image's channels to the full value range (deterministic)."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class AutoContrast(BaseImagePreprocessingLayer):
    """Performs the auto-contrast operation on an image.

    Each channel of each image is rescaled so that its darkest pixel maps to ``value_range[0]`` and its
    brightest to ``value_range[1]``. A constant channel is left unchanged. Active in training and inference alike.

    Args:
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``data_format``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.array([[[[50.0], [100.0], [150.0]]]], "float32")
        >>> layers.AutoContrast()(x)[0, 0, :, 0].numpy().tolist()
        [0.0, 127.5, 255.0]
    """

    _USE_BASE_FACTOR = False
    _ALWAYS_ACTIVE = True

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = arguments.value_range(self, value_range)

    def _transform_batch(self, images, transformation, interpolation):
        scaled = self._transform_value_range(images, self.value_range, (0, 255))
        low = ops.min(scaled, axis=(1, 2), keepdims=True)
        high = ops.max(scaled, axis=(1, 2), keepdims=True)
        spread = ops.subtract(high, low)
        flat = ops.less_equal(spread, 0.0)
        scale = ops.divide(255.0, ops.where(flat, 1.0, spread))
        stretched = ops.clip(ops.multiply(ops.subtract(scaled, low), scale), 0.0, 255.0)
        return ops.where(flat, images, self._transform_value_range(stretched, (0, 255), self.value_range))

    def get_config(self):
        return {**super().get_config(), "value_range": list(self.value_range)}
