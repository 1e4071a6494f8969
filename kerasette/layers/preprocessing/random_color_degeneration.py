"""RandomColorDegeneration: blend images towards their grayscale version by a random amount while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """Randomly performs the color degeneration operation on images during training.

    Each image becomes ``x + f * (gray(x) - x)``, with ``f`` drawn from ``factor`` per image (0: the
    image, 1: its grayscale version), clipped to ``value_range``. At inference the images are returned
    unchanged.

    Args:
        factor: a float in [-1, 1] or a pair: the range of ``f`` (a number ``f`` means [-f, f]).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> out = layers.RandomColorDegeneration((1.0, 1.0))(np.array([[[0.0, 255.0, 0.0]]], "float32"))
        >>> [round(v, 2) for v in out.numpy().ravel().tolist()]
        [149.68, 149.68, 149.68]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        return {"factor": self._uniform((n, 1, 1, 1), self.factor[0], self.factor[1], seed)}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        factor = ops.cast(ops.convert_to_tensor(transformation["factor"]), images.dtype)
        gray = ops.image.rgb_to_grayscale(images)
        out = ops.add(images, ops.multiply(factor, ops.subtract(gray, images)))
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
