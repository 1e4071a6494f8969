"""RandomShear: shear images along x and/or y by a random amount while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_affine_layer import BaseAffineLayer


class RandomShear(BaseAffineLayer):
    """A preprocessing layer which randomly shears images during training.

    Output pixel ``(y, x)`` of an image reads the input at ``(y + sy * x, x + sx * y)``, with shear
    amounts ``sx``, ``sy`` drawn from ``x_factor`` and ``y_factor`` and both negated for half the images
    (one draw per image), as Keras 3 does. The shear is about the top-left corner. At inference the
    images are returned unchanged.

    Args:
        x_factor: a float ``f`` in [0, 1], meaning [-f, f], or a pair ``(lower, upper)`` in [-1, 1]: the
            range of the horizontal shear.
        y_factor: the same for the vertical shear.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest"; see ``BaseAffineLayer``.
        fill_value: the value of points outside the input with ``fill_mode="constant"``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomShear(x_factor=0.3, seed=2)
        >>> layer(np.ones((2, 5, 5, 3), "float32")).shape
        (2, 5, 5, 3)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self._factors = {"x_factor": arguments.as_config(x_factor),  # the config keeps them as given
                         "y_factor": arguments.as_config(y_factor)}
        self.x_factor = self._shear_range("x_factor", x_factor)
        self.y_factor = self._shear_range("y_factor", y_factor)
        self._set_seed(seed)

    def _shear_range(self, argument, value):
        if isinstance(value, (list, tuple)):  # (lower, upper); Keras's own configs hold (-f, f)
            return arguments.factor_range(self, argument, value, -1.0, 1.0)
        upper = arguments.factor_range(self, argument, value, 0.0, 1.0, symmetric=False)[1]
        return (-upper, upper)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._batch_shape(data)
        n = shape[0]
        invert = ops.where(ops.greater(self._uniform((n, 1), 0.0, 1.0, seed), 0.5), -1.0, 1.0)
        shear_y = self._uniform((n, 1), self.y_factor[0], self.y_factor[1], seed)
        shear_x = self._uniform((n, 1), self.x_factor[0], self.x_factor[1], seed)
        shear = ops.multiply(ops.concatenate([shear_x, shear_y], axis=1), ops.cast(invert, self.dtype))
        return {"shear_factor": shear, "input_shape": shape}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        shear = transformation["shear_factor"]
        ones, zeros = ops.ones((shear.shape[0],), images.dtype), ops.zeros((shear.shape[0],), images.dtype)
        matrix = ops.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], axis=1)
        return self._affine(images, matrix, interpolation)

    def get_config(self):
        return {**super().get_config(), **self._factors, "seed": self.seed}
