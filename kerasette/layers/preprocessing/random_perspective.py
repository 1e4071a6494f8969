"""RandomPerspective: move image corners at random and warp the images accordingly while training."""

import numpy as np

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomPerspective(BaseImagePreprocessingLayer):
    """A preprocessing layer that applies random perspective transformations during training.

    For each image (with a probability drawn from ``factor``) the corners ``(x, y)`` move to
    ``(x, y) * (1 + d)`` with ``d`` drawn from ``[-scale / 2, scale / 2]`` per coordinate (so, as in
    Keras 3, the top-left corner stays put), and the image is warped by the projective transform
    between the two quadrilaterals; points outside read ``fill_value``. At inference the images are
    returned unchanged.

    Args:
        factor: a float or a pair in [0, 1]: the range of the probability of warping an image.
        scale: float in [0, 1], the strength of the distortion.
        interpolation: "bilinear" (default) or "nearest".
        fill_value: the value of points outside the input.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.RandomPerspective(scale=0.3, seed=1)(np.ones((2, 6, 6, 3), "float32")).shape
        (2, 6, 6, 3)
    """

    _USE_BASE_FACTOR = False
    _TRANSFORMS_MASKS = True

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self.scale = arguments.probability(self, "scale", scale)
        self.interpolation = arguments.choice(self, "interpolation", interpolation, arguments.INTERPOLATIONS)
        self.fill_value = arguments.number(self, "fill_value", fill_value)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._batch_shape(data)
        n, height, width = shape[:3]
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        apply = ops.less(self._uniform((n,), 0.0, 1.0, seed), probability)
        shift = self._uniform((n, 4, 2), -0.5 * self.scale, 0.5 * self.scale, seed)
        corners = np.array([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]], self.dtype)
        start = ops.convert_to_tensor(np.broadcast_to(corners, (n, 4, 2)).copy())
        end = ops.add(start, ops.multiply(start, shift))
        return {"apply_perspective": apply, "start_points": start, "end_points": end, "input_shape": shape}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        warped = ops.image.perspective_transform(images, transformation["start_points"], transformation["end_points"],
                                                 interpolation=interpolation, fill_value=self.fill_value)
        apply = ops.reshape(ops.convert_to_tensor(transformation["apply_perspective"]), (-1, 1, 1, 1))
        return ops.where(apply, warped, images)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value, "seed": self.seed}
