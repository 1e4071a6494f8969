"""The base of MaxPooling2D and AveragePooling2D."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.conv_utils import window_output_sizes
from kerasette.layers.layer import Layer


class Pooling2D(Layer):
    """Slides a window over H and W and reduces it with ``pool_function``."""

    input_ndim = 4

    pool_function = None

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = validation.int_tuple(self, "pool_size", pool_size)
        self.strides = self.pool_size if strides is None else validation.int_tuple(self, "strides", strides)
        self.padding = validation.padding(self, padding)
        self.data_format = validation.data_format(self, data_format)

    def call(self, inputs):
        return type(self).pool_function(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 4)
        h, w = window_output_sizes(input_shape, self.pool_size, self.padding, self.strides)
        if (h is not None and h <= 0) or (w is not None and w <= 0):
            raise ValueError(
                f"Layer `{self.name}`: input of shape {tuple(input_shape)} is smaller than pool_size "
                f"{self.pool_size}."
            )
        return (input_shape[0], h, w, input_shape[3])

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": list(self.pool_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
        }


class MaxPooling2D(Pooling2D):
    """Max over each pooling window."""

    pool_function = staticmethod(ops.max_pool)


class AveragePooling2D(Pooling2D):
    """Mean over each pooling window (padding pixels not counted)."""

    pool_function = staticmethod(ops.average_pool)
