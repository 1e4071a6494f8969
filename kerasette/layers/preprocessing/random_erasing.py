"""RandomErasing: fill a random rectangle of some images with noise or a value while training."""

import numbers

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid
from kerasette.ops import random


class RandomErasing(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly erases a rectangle of images during training (Cutout).

    For each image a rectangle covering a fraction of its height and width (each the square root of
    a draw from ``scale``) is placed at random; with probability drawn from ``factor`` it is filled,
    with ``fill_value`` or, if None, with normal noise scaled by ``value_range[1]``, clipped to
    ``value_range``. As in Keras 3, ``factor=1.0`` draws the erasing probability from [0, 1], so about
    half of the images are erased. At inference the images are returned unchanged.

    Args:
        factor: a float in [0, 1] or a pair: the range of the probability of erasing an image.
        scale: a float or a pair in [0, 1]: the range of the erased fraction (before the square root).
        fill_value: None (noise), a number, or three numbers (one per channel).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default).
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=0.0, seed=1)
        >>> out = layer(np.ones((1, 8, 8, 1), "float32"))
        >>> int((out.numpy() == 0).sum())  # a 4 x 4 square
        16
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.scale = arguments.factor_range(self, "scale", scale, 0.0, 1.0)
        if fill_value is not None and not (isinstance(fill_value, numbers.Real) and not isinstance(fill_value, bool)) \
                and not (isinstance(fill_value, (list, tuple)) and len(fill_value) == 3):
            raise invalid(self, "fill_value", "None, a number or three numbers", fill_value)
        self.fill_value = list(fill_value) if isinstance(fill_value, (list, tuple)) else fill_value
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def _bounds(self, n, length, ratio, seed):
        size = ops.multiply(ratio, float(length))
        start = ops.multiply(self._uniform((n,), 0.0, 1.0, seed), ops.subtract(float(length), size))
        return start, ops.add(start, size)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n, h, w, c = self._batch_shape(data)
        ratios = ops.sqrt(self._uniform((n, 2), self.scale[0], self.scale[1], seed))
        x0, x1 = self._bounds(n, w, ratios[:, 0], seed)
        y0, y1 = self._bounds(n, h, ratios[:, 1], seed)
        grid_y = ops.reshape(ops.arange(h, dtype=self.dtype), (1, h, 1, 1))
        grid_x = ops.reshape(ops.arange(w, dtype=self.dtype), (1, 1, w, 1))

        def column(v):
            return ops.reshape(v, (n, 1, 1, 1))

        inside = ops.logical_and(
            ops.logical_and(ops.greater_equal(grid_x, column(x0)), ops.less(grid_x, column(x1))),
            ops.logical_and(ops.greater_equal(grid_y, column(y0)), ops.less(grid_y, column(y1))))
        masks = ops.broadcast_to(inside, (n, h, w, c))
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        apply = ops.less(self._uniform((n,), 0.0, 1.0, seed), probability)
        if self.fill_value is None:
            fill = ops.multiply(random.normal((n, h, w, c), dtype=self.dtype, seed=self._seed(seed)),
                                float(self.value_range[1]))
        else:
            fill = ops.broadcast_to(ops.convert_to_tensor(self.fill_value, dtype=self.dtype), (n, h, w, c))
        fill = ops.clip(fill, float(self.value_range[0]), float(self.value_range[1]))
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": fill}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        masks = ops.convert_to_tensor(transformation["batch_masks"])
        apply = ops.reshape(ops.convert_to_tensor(transformation["apply_erasing"]), (-1, 1, 1, 1))
        fill = ops.cast(ops.convert_to_tensor(transformation["fill_value"]), images.dtype)
        return ops.where(apply, ops.where(masks, fill, images), images)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "scale": list(self.scale),
                "fill_value": self.fill_value, "value_range": list(self.value_range), "seed": self.seed}
