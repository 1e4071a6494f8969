"""RandomGrayscale: turn some images grayscale (kept as 3 channels) while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomGrayscale(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly converts images to grayscale during training.

    Each image is replaced, with probability ``factor``, by its grayscale version
    (``0.2989 R + 0.587 G + 0.114 B``) repeated over the channels, so the shape is unchanged. At
    inference the images are returned unchanged.

    Args:
        factor: float in [0, 1], the probability of converting an image. Defaults to 0.5.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> out = layers.RandomGrayscale(factor=1.0)(np.array([[[0.0, 1.0, 0.0]]], "float32"))
        >>> [round(v, 3) for v in out.numpy().ravel().tolist()]
        [0.587, 0.587, 0.587]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.probability(self, "factor", factor)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        return ops.reshape(ops.less(self._uniform((n,), 0.0, 1.0, seed), self.factor), (n, 1, 1, 1))

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return ops.where(ops.convert_to_tensor(transformation), ops.image.rgb_to_grayscale(images), images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
