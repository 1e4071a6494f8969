"""RandomHue: rotate the hue of each image by a random amount while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomHue(BaseImagePreprocessingLayer):
    """Randomly adjusts the hue of images during training.

    Per image, a shift of ``+-f / 2`` (``f`` drawn from ``factor``, the sign at random) is added to the
    HSV hue (in [0, 1], wrapped around); images are mapped from ``value_range`` to [0, 1] and back. At
    inference the images are returned unchanged.

    Args:
        factor: a float or a pair in [0, 1] (a number ``f`` means (0, f)); 1 allows any hue.
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomHue(0.5, value_range=(0, 1))
        >>> t = {"factor": np.array([1.0 / 3.0], "float32")}  # red -> green
        >>> [round(v, 3) for v in layer.transform_images(np.array([[[1.0, 0.0, 0.0]]], "float32"), t)
        ...  .numpy().ravel().tolist()]
        [0.0, 1.0, 0.0]
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        sign = ops.where(ops.greater(self._uniform((n,), 0.0, 1.0, seed), 0.5), -1.0, 1.0)
        factor = self._uniform((n,), self.factor[0], self.factor[1], seed)
        return {"factor": ops.multiply(ops.multiply(ops.cast(sign, self.dtype), factor), 0.5)}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        x = self._transform_value_range(images, self.value_range, (0, 1))
        shift = ops.reshape(ops.cast(ops.convert_to_tensor(transformation["factor"]), images.dtype), (-1, 1, 1))
        hsv = ops.image.rgb_to_hsv(x)
        hue = ops.add(hsv[..., 0], shift)
        hue = ops.where(ops.greater(hue, 1.0), ops.subtract(hue, 1.0), hue)
        hue = ops.where(ops.less(hue, 0.0), ops.add(hue, 1.0), hue)
        rgb = ops.clip(ops.image.hsv_to_rgb(ops.stack([hue, hsv[..., 1], hsv[..., 2]], axis=-1)), 0.0, 1.0)
        return self._transform_value_range(rgb, (0, 1), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
