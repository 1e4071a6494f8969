"""The shared part of the geometric augmentations (rotation, zoom, translation, shear).

Each draws per-image parameters, turns them into the 8 numbers of a transform that maps output pixels to
input pixels, and resamples with ``ops.image.affine_transform`` (one gather on every backend).
"""

import math

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class BaseAffineLayer(BaseImagePreprocessingLayer):
    """Base of the layers that resample images through an affine transform.

    Args:
        fill_mode: how points outside the input are filled: "reflect" (d c b a | a b c d | d c b a),
            "wrap" (a b c d | a b c d | a b c d), "constant" (k k k k | a b c d | k k k k, with
            ``fill_value``) or "nearest" (a a a a | a b c d | d d d d).
        interpolation: "bilinear" or "nearest".
        fill_value: the value read outside the input with ``fill_mode="constant"``.
        **kwargs: ``BaseImagePreprocessingLayer`` arguments.
    """

    _TRANSFORMS_MASKS = True

    def __init__(self, fill_mode="reflect", interpolation="bilinear", fill_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.fill_mode = arguments.choice(self, "fill_mode", fill_mode, arguments.FILL_MODES)
        self.interpolation = arguments.choice(self, "interpolation", interpolation, arguments.INTERPOLATIONS)
        self.fill_value = arguments.number(self, "fill_value", fill_value)

    def _affine(self, images, matrix, interpolation):
        return ops.image.affine_transform(images, matrix, interpolation=interpolation, fill_mode=self.fill_mode,
                                          fill_value=self.fill_value)

    def _compute_affine_matrix(self, center_x, center_y, angle, translate_x, translate_y, scale, shear_x, shear_y,
                               height, width):
        """Keras's transform of a rotation (degrees), scale, shear (degrees) and translation about a centre.

        ``center_x`` / ``center_y`` are fractions of the image's extent; the other arguments are (N,)
        tensors (translations in pixels). Returns an (N, 8) tensor for ``affine_transform``.
        """
        radians = math.pi / 180.0
        angle, shear_x, shear_y = (ops.multiply(v, radians) for v in (angle, shear_x, shear_y))
        cx, cy = center_x * (width - 1), center_y * (height - 1)
        cos, sin = ops.cos(angle), ops.sin(angle)
        shear_x, shear_y = ops.tan(shear_x), ops.tan(shear_y)
        a0 = ops.multiply(scale, ops.add(cos, ops.multiply(shear_x, sin)))
        a1 = ops.multiply(scale, ops.add(ops.negative(sin), ops.multiply(shear_x, cos)))
        a2 = ops.subtract(ops.subtract(ops.add(translate_x, cx), ops.multiply(a0, cx)), ops.multiply(a1, cy))
        b0 = ops.multiply(scale, ops.add(ops.multiply(shear_y, cos), sin))
        b1 = ops.multiply(scale, ops.add(ops.multiply(shear_y, ops.negative(sin)), cos))
        b2 = ops.subtract(ops.subtract(ops.add(translate_y, cy), ops.multiply(b0, cx)), ops.multiply(b1, cy))
        zeros = ops.zeros_like(a0)
        return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                "fill_value": self.fill_value}
