"""GlobalAveragePooling2D and GlobalMaxPooling2D: reduce over H and W."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class GlobalPooling2D(Layer):
    """Reduces NHWC inputs over the spatial axes with ``reduce``."""

    input_ndim = 4

    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = validation.data_format(self, data_format)
        self.keepdims = bool(keepdims)

    def call(self, inputs):
        return type(self).reduce(inputs, axis=(1, 2), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 4)
        if self.keepdims:
            return (input_shape[0], 1, 1, input_shape[3])
        return (input_shape[0], input_shape[3])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(GlobalPooling2D):
    """Mean over height and width."""

    reduce = staticmethod(ops.mean)


class GlobalMaxPooling2D(GlobalPooling2D):
    """Max over height and width."""

    reduce = staticmethod(ops.max)
