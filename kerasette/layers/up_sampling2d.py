"""UpSampling2D: repeats the rows and columns of NHWC images (nearest neighbour)."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class UpSampling2D(Layer):
    """Upsampling layer for 2D inputs.

    Repeats each row of the images ``size[0]`` times and each column ``size[1]`` times
    (nearest-neighbour upsampling).

    Args:
        size: positive int, or tuple of 2 positive ints ``(rows, cols)``, the upsampling factors.
            Defaults to ``(2, 2)``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported
            and raises a ValueError.
        interpolation: ``"nearest"`` (the default) only. Keras's ``"bilinear"``, ``"bicubic"``,
            ``"lanczos3"``, ``"lanczos5"`` and ``"area"`` are not supported and raise a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, rows * size[0], cols * size[1], channels)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.UpSampling2D(size=(1, 2))(np.array([[[[1.0], [2.0]]]])).numpy()[0, 0, :, 0].tolist()
        [1.0, 1.0, 2.0, 2.0]
        >>> layers.UpSampling2D().compute_output_shape((None, 7, 5, 3))
        (None, 14, 10, 3)
    """

    input_ndim = 4

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = validation.int_tuple(self, "size", size)
        self.data_format = validation.data_format(self, data_format)
        if interpolation != "nearest":
            raise validation.invalid(
                self, "interpolation",
                '"nearest" (kerasette supports only nearest-neighbour upsampling, not "bilinear" or others)',
                interpolation,
            )
        self.interpolation = interpolation

    def call(self, inputs):
        # (b, h, w, c) -> (b, h, 1, w, 1, c) -> (b, h, sh, w, sw, c) -> (b, h*sh, w*sw, c)
        b, h, w, c = inputs.shape
        sh, sw = self.size
        spread = ops.broadcast_to(ops.reshape(inputs, (b, h, 1, w, 1, c)), (b, h, sh, w, sw, c))
        return ops.reshape(spread, (b, h * sh, w * sw, c))

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 4)
        h, w = (None if size is None else size * k for size, k in zip(input_shape[1:3], self.size))
        return (input_shape[0], h, w, input_shape[3])

    def get_config(self):
        return {**super().get_config(), "size": list(self.size), "data_format": self.data_format,
                "interpolation": self.interpolation}
