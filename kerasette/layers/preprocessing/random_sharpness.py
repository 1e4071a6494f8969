"""RandomSharpness: blend images with a smoothed copy, sharpening or blurring them, while training."""

import numpy as np

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomSharpness(BaseImagePreprocessingLayer):
    """Randomly performs the sharpness operation on images during training.

    Each image becomes ``x + (1 - 2 f) * (smooth(x) - x)``, with ``f`` drawn from ``factor`` per image
    and ``smooth`` a 3x3 filter (1/13 around, 5/13 in the centre, zero padding): ``f = 0.5`` leaves it
    unchanged, smaller values blur, larger ones sharpen. The result is clipped to ``value_range``. At
    inference the images are returned unchanged.

    Args:
        factor: a float or a pair in [0, 1] (a number ``f`` means (0, f)).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.full((1, 3, 3, 1), 100.0, "float32")
        >>> round(float(layers.RandomSharpness((0.5, 0.5))(x)[0, 1, 1, 0]), 3)
        100.0
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        return {"factor": self._uniform((n,), self.factor[0], self.factor[1], seed)}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = np.array([[a, a, a], [a, b, a], [a, a, a]], dtype=images.dtype)
        kernel = np.tile(kernel[:, :, None, None], (1, 1, images.shape[-1], 1))
        smoothed = ops.depthwise_conv(images, ops.convert_to_tensor(kernel), padding="same")
        factor = ops.reshape(ops.cast(ops.convert_to_tensor(transformation["factor"]), images.dtype), (-1, 1, 1, 1))
        out = ops.add(images, ops.multiply(ops.subtract(1.0, ops.multiply(factor, 2.0)),
                                           ops.subtract(smoothed, images)))
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
