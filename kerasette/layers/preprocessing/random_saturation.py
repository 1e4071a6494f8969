"""RandomSaturation: scale the saturation of each image by a random factor while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer

_EPSILON = 1e-7


class RandomSaturation(BaseImagePreprocessingLayer):
    """Randomly adjusts the saturation of images during training.

    A value ``f`` is drawn from ``factor`` per image and the HSV saturation is multiplied by
    ``f / (1 - f + 1e-7)`` and clipped to ``value_range`` (Keras 3's rule: 0.5 keeps the image, 0 makes
    it gray, values near 1 saturate it fully). At inference the images are returned unchanged.

    Args:
        factor: a float in [-1, 1] or a pair (a number ``f`` means [-f, f]); use values in [0, 1].
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> out = layers.RandomSaturation((0.0, 0.0))(np.array([[[10.0, 200.0, 30.0]]], "float32"))
        >>> [round(v, 2) for v in out.numpy().ravel().tolist()]  # saturation 0: gray at the value 200
        [200.0, 200.0, 200.0]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        factor = self._uniform((n,), self.factor[0], self.factor[1], seed)
        return {"factor": ops.divide(factor, ops.add(ops.subtract(1.0, factor), _EPSILON))}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        factor = ops.reshape(ops.cast(ops.convert_to_tensor(transformation["factor"]), images.dtype), (-1, 1, 1))
        hsv = ops.image.rgb_to_hsv(images)
        saturation = ops.clip(ops.multiply(hsv[..., 1], factor), float(self.value_range[0]),
                              float(self.value_range[1]))
        return ops.image.hsv_to_rgb(ops.stack([hsv[..., 0], saturation, hsv[..., 2]], axis=-1))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
