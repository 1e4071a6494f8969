"""RandomRotation: rotate images by a random angle about their centre while training."""

from kerasette import ops
from kerasette.layers.preprocessing.base_affine_layer import BaseAffineLayer


class RandomRotation(BaseAffineLayer):
    """A preprocessing layer which randomly rotates images during training.

    Each image is rotated about its centre by an angle drawn uniformly from ``factor`` (in fractions
    of a full turn, counter-clockwise for positive values); points outside the input are filled
    according to ``fill_mode``. At inference the images are returned unchanged.

    Args:
        factor: a float in [-1, 1] or a pair ``(lower, upper)``: the range of the angle, as a fraction
            of 2 pi. ``0.2`` draws from [-0.2 * 2 pi, 0.2 * 2 pi]; ``(-0.1, 0.3)`` from
            [-0.1 * 2 pi, 0.3 * 2 pi].
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
        >>> x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
        >>> layer = layers.RandomRotation(0.1, seed=1)
        >>> layer(x).shape, bool(np.allclose(layer(x, training=False).numpy(), x))
        ((2, 8, 8, 3), True)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(factor=factor, fill_mode=fill_mode, interpolation=interpolation, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n, height, width, _ = self._batch_shape(data)
        angle = self._uniform((n,), self.factor[0] * 360.0, self.factor[1] * 360.0, seed)
        zeros, ones = ops.zeros((n,), self.dtype), ops.ones((n,), self.dtype)
        matrix = self._compute_affine_matrix(0.5, 0.5, angle, zeros, zeros, ones, zeros, zeros, height, width)
        return {"angle": angle, "rotation_matrix": matrix, "image_height": height, "image_width": width,
                "batch_size": n}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return self._affine(images, transformation["rotation_matrix"], interpolation)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "seed": self.seed}
