"""BaseAdaptivePooling: pooling to a fixed output size, whatever the input's spatial size."""

import numbers

from kerasette.layers import validation
from kerasette.layers.layer import Layer


class BaseAdaptivePooling(Layer):
    """Pools the spatial axes into ``output_size`` bins, whatever the inputs' spatial size.

    Bin ``i`` of an axis of ``n`` entries covers ``[floor(i * n / out), ceil((i + 1) * n / out))``, so bins may
    overlap by one when ``out`` does not divide ``n`` (PyTorch's and Keras's adaptive pooling).

    A subclass sets ``rank`` (the number of spatial axes) and ``pool_function`` (``ops.adaptive_average_pool``
    or ``ops.adaptive_max_pool``).

    Args:
        output_size: int or tuple of ``rank`` positive ints, the output's spatial size.
        data_format: ``"channels_last"`` (the default, also for None) or ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    rank = None
    pool_function = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.input_ndim = self.rank + 2
        if isinstance(output_size, numbers.Integral) and not isinstance(output_size, bool):
            output_size = (output_size,) * self.rank
        self.output_size = validation.int_tuple(self, "output_size", output_size, self.rank)
        if data_format not in (None, "channels_last", "channels_first"):
            raise validation.invalid(self, "data_format", '"channels_last", "channels_first" or None', data_format)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        return type(self).pool_function(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, self.rank + 2)
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {**super().get_config(), "output_size": list(self.output_size), "data_format": self.data_format}
