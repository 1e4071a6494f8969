"""RandomGaussianBlur: blur some images with a Gaussian of random width while training."""

import numbers

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid


class RandomGaussianBlur(BaseImagePreprocessingLayer):
    """Applies random Gaussian blur to images during training.

    Each image is blurred with a probability drawn from ``factor``; one pair of standard deviations
    (along the width and the height, each drawn from ``sigma``) serves the whole batch, as in Keras 3.
    The kernel is ``kernel_size`` (zero padding, ``ops.image.gaussian_blur``) and the result is clipped
    to ``value_range``. At inference the images are returned unchanged.

    Args:
        factor: a float or a pair in [0, 1]: the range of the probability of blurring an image.
        kernel_size: an odd int, or a pair of odd ints (width, height, as ``ops.image.gaussian_blur``).
        sigma: a float or a pair in [0, 1] (Keras 3's bounds): the range of the standard deviations; a
            number ``s`` means (0, s).
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.zeros((1, 5, 5, 1), "float32"); x[0, 2, 2, 0] = 255.0
        >>> out = layers.RandomGaussianBlur(factor=(1.0, 1.0), sigma=(1.0, 1.0), seed=0)(x)
        >>> round(float(out[0, 2, 2, 0]), 2), round(float(out.numpy().sum()), 2)
        (52.07, 255.0)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        sizes = tuple(kernel_size) if isinstance(kernel_size, (list, tuple)) else (kernel_size, kernel_size)
        if len(sizes) != 2 or not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) and k > 0
                                      and k % 2 == 1 for k in sizes):
            raise invalid(self, "kernel_size", "an odd positive int or a pair of them", kernel_size)
        self.kernel_size = tuple(int(k) for k in sizes)
        self.sigma = arguments.factor_range(self, "sigma", sigma, 0.0, 1.0)
        self.value_range = arguments.value_range(self, value_range)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        apply = ops.less(self._uniform((n,), 0.0, 1.0, seed), probability)
        blur_factor = ops.add(self._uniform((2,), self.sigma[0], self.sigma[1], seed), 1e-6)
        return {"should_apply_blur": apply, "blur_factor": blur_factor}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        sigma = ops.cast(ops.convert_to_tensor(transformation["blur_factor"]), images.dtype)
        blurred = ops.image.gaussian_blur(images, self.kernel_size, (sigma[0], sigma[1]))
        apply = ops.reshape(ops.convert_to_tensor(transformation["should_apply_blur"]), (-1, 1, 1, 1))
        return ops.clip(ops.where(apply, blurred, images), float(self.value_range[0]), float(self.value_range[1]))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "kernel_size": list(self.kernel_size),
                "sigma": list(self.sigma), "value_range": list(self.value_range), "seed": self.seed}
