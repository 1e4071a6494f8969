"""BasePooling: the rank-generic base of the max and average pooling layers (1-D, 2-D and 3-D)."""

from kerasette.layers import validation
from kerasette.layers.conv_utils import window_output_sizes
from kerasette.layers.layer import Layer


class BasePooling(Layer):
    """Slides a window over the spatial axes of channels_last inputs and reduces each window, per channel.

    A subclass sets ``rank`` (the number of spatial axes) and ``pool_function`` (``ops.max_pool`` or
    ``ops.average_pool``, which take inputs of every rank).

    Args:
        pool_size: int or tuple of ``rank`` ints, the size of the pooling window. An int uses the same size on
            every axis.
        strides: int or tuple of ``rank`` ints, how far the window moves at each step. If None, ``pool_size``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` positions per axis), case-insensitive.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout and raises a
            ValueError for ``"channels_first"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A ``rank + 2`` tensor ``(batch_size, *spatial_dims, channels)``.

    Output shape:
        A ``rank + 2`` tensor ``(batch_size, *pooled_dims, channels)``, where each pooled size is
        ``floor((size - pool) / strides) + 1`` with ``"valid"`` padding and ``floor((size - 1) / strides) + 1``
        with ``"same"``.
    """

    rank = None
    pool_function = None

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.input_ndim = self.rank + 2
        self.pool_size = validation.int_tuple(self, "pool_size", pool_size, self.rank)
        self.strides = self.pool_size if strides is None else validation.int_tuple(self, "strides", strides,
                                                                                   self.rank)
        self.padding = validation.padding(self, padding)
        self.data_format = validation.data_format(self, data_format)

    def call(self, inputs):
        return type(self).pool_function(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, self.rank + 2)
        sizes = window_output_sizes(input_shape, self.pool_size, self.padding, self.strides)
        if any(size is not None and size <= 0 for size in sizes):
            raise ValueError(
                f"Layer `{self.name}`: input of shape {tuple(input_shape)} is smaller than pool_size "
                f"{self.pool_size}."
            )
        return (input_shape[0], *sizes, input_shape[-1])

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": list(self.pool_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
        }
