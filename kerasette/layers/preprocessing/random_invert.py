"""RandomInvert: invert the pixel values of some images while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomInvert(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly inverts images during training: ``value_range[1] - x``.

    Each image is inverted with a probability drawn from ``factor`` (so ``factor=1.0`` draws it from
    [0, 1]: about half of the images, as in Keras 3). At inference the images are returned unchanged.

    Args:
        factor: a float or a pair in [0, 1]: the range of the probability of inverting an image.
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomInvert(factor=(1.0, 1.0), value_range=(0, 1))
        >>> layer(np.array([[[0.25]]], "float32")).numpy().ravel().tolist()
        [0.75]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        return {"apply_inversion": ops.less(self._uniform((n,), 0.0, 1.0, seed), probability)}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        apply = ops.reshape(ops.convert_to_tensor(transformation["apply_inversion"]), (-1, 1, 1, 1))
        return ops.where(apply, ops.subtract(float(self.value_range[1]), images), images)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed}
