"""RandomTranslation: shift images by a random fraction of their size while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_affine_layer import BaseAffineLayer


class RandomTranslation(BaseAffineLayer):
    """A preprocessing layer which randomly translates images during training.

    Each image is shifted by a fraction of its height and width drawn from ``height_factor`` and
    ``width_factor``; positive values move the content down and right. At inference the images are
    returned unchanged.

    Args:
        height_factor: a float in [-1, 1] or a pair: the range of the vertical shift, as a fraction of
            the height. ``0.2`` draws from [-20%, 20%]; ``(-0.2, 0.3)`` from [-20%, 30%].
        width_factor: the same for the horizontal shift, as a fraction of the width.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest"; see ``BaseAffineLayer``.
        interpolation: "bilinear" (default) or "nearest".
        seed: int, the seed of the layer's random stream.
        fill_value: the value of points outside the input with ``fill_mode="constant"``.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
        >>> layer = layers.RandomTranslation(0.0, (0.25, 0.25), fill_mode="constant", seed=0)
        >>> layer(x)[0, 0, :, 0].numpy().tolist()  # one pixel to the right
        [0.0, 0.0, 1.0, 2.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = arguments.factor_range(self, "height_factor", height_factor, -1.0,
                                                                      1.0)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = arguments.factor_range(self, "width_factor", width_factor, -1.0, 1.0)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n, height, width, _ = self._batch_shape(data)
        dy = ops.multiply(self._uniform((n, 1), self.height_lower, self.height_upper, seed), float(height))
        dx = ops.multiply(self._uniform((n, 1), self.width_lower, self.width_upper, seed), float(width))
        return {"translations": ops.concatenate([dx, dy], axis=1), "input_shape": (n, height, width, _)}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        shift = transformation["translations"]
        ones, zeros = ops.ones((shift.shape[0],), images.dtype), ops.zeros((shift.shape[0],), images.dtype)
        matrix = ops.stack([ones, zeros, ops.negative(shift[:, 0]), zeros, ones, ops.negative(shift[:, 1]), zeros,
                            zeros], axis=1)
        return self._affine(images, matrix, interpolation)

    def get_config(self):
        return {**super().get_config(), "height_factor": arguments.as_config(self.height_factor),
                "width_factor": arguments.as_config(self.width_factor), "seed": self.seed}
