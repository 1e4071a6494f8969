"""RandomContrast: scale each image's deviation from its mean by a random factor while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomContrast(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly adjusts contrast during training.

    For each image and channel, ``(x - mean) * contrast_factor + mean`` with the mean over the pixels
    and ``contrast_factor`` drawn from ``[1 - lower, 1 + upper]`` per image; the result is clipped to
    ``value_range``. At inference the images are returned unchanged.

    Args:
        factor: a float in [0, 1] or a pair ``(lower, upper)`` in [0, 1]: the factor is drawn from
            ``[1 - lower, 1 + upper]``. A number ``f`` means the pair ``(0, f)``, so ``[1, 1 + f]``: that is
            what Keras 3.15 computes, although its documentation says ``[1 - f, 1 + f]``; pass ``(f, f)`` for
            that.
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``, ``data_format``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.array([[[[0.0], [100.0]]]], "float32")
        >>> layer = layers.RandomContrast((1.0, 1.0), seed=0)
        >>> t = {"contrast_factor": np.full((1, 1, 1, 1), 2.0, "float32")}
        >>> layer.transform_images(x, t)[0, 0, :, 0].numpy().tolist()  # mean 50, deviations doubled, clipped
        [0.0, 150.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        return {"contrast_factor": self._uniform((n, 1, 1, 1), 1.0 - self.factor[0], 1.0 + self.factor[1], seed)}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        mean = ops.mean(images, axis=(1, 2), keepdims=True)
        factor = ops.cast(ops.convert_to_tensor(transformation["contrast_factor"]), images.dtype)
        out = ops.add(ops.multiply(ops.subtract(images, mean), factor), mean)
        return ops.clip(out, float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
