"""Cropping2D: removes rows and columns from the borders of NHWC images."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.zero_padding2d import spatial_pairs


class Cropping2D(Layer):
    """Crops height and width.

    Args:
        cropping: an int (the same on all four sides), ``(h, w)`` (symmetric per axis), or
            ``((top, bottom), (left, right))``. Default ``((0, 0), (0, 0))``.
        data_format: only ``"channels_last"`` (or None).

    Raises:
        ValueError: if the cropping on an axis is not smaller than the input's size on it.

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
        shape = tuple(inputs.shape)
        return ops.slice(inputs, (0, top, left, 0), (shape[0], top + h, left + w, shape[3]))

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
