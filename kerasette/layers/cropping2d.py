"""Cropping2D: removes rows and columns from the borders of NHWC images."""

from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.zero_padding2d import spatial_pairs


class Cropping2D(Layer):
    """Cropping layer for 2D input (e.g. pictures).

    Removes rows and columns at the borders of the images: along height and width.

    Args:
        cropping: int >= 0, tuple of 2 ints, or tuple of 2 tuples of 2 ints. An int crops the same
            number of rows and columns on all four sides; ``(h, w)`` crops ``h`` rows at the top and
            at the bottom and ``w`` columns on the left and on the right;
            ``((top, bottom), (left, right))`` gives each side. Defaults to ``((0, 0), (0, 0))``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported
            and raises a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        4D tensor with shape ``(batch_size, rows, cols, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, cropped_rows, cropped_cols, channels)``.

    Raises:
        ValueError: if the cropping on an axis is not smaller than the input's size on it.

    Example:
        >>> from kerasette import layers
        >>> layers.Cropping2D(((1, 0), (2, 1))).compute_output_shape((None, 4, 5, 3))
        (None, 3, 2, 3)
    """

    input_ndim = 4

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = spatial_pairs(self, "cropping", cropping)
        self.data_format = validation.data_format(self, data_format)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        _, h, w, _ = self.compute_output_shape(tuple(inputs.shape))
        (top, _), (left, _) = self.cropping
        return inputs[:, top:top + h, left:left + w, :]

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 4)
        sizes = []
        for size, pair in zip(input_shape[1:3], self.cropping):
            if size is not None and sum(pair) >= size:
                raise ValueError(
                    f"Layer `{self.name}`: cropping={[list(p) for p in self.cropping]} must be smaller than the "
                    f"height and width of the input. Received input shape {tuple(input_shape)}."
                )
            sizes.append(None if size is None else size - sum(pair))
        return (input_shape[0], sizes[0], sizes[1], input_shape[3])

    def get_config(self):
        return {**super().get_config(), "cropping": [list(p) for p in self.cropping], "data_format": self.data_format}
