"""BaseGlobalPooling: the rank-generic base of the global average and max pooling layers."""

from kerasette.layers import validation
from kerasette.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces channels_last inputs over all their spatial axes, per channel.

    A subclass sets ``rank`` (the number of spatial axes) and ``reduce`` (``ops.mean`` or ``ops.max``, taking
    ``inputs, axis, keepdims``).

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the output has
            rank 2; if True, ``rank + 2``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A ``rank + 2`` tensor ``(batch_size, *spatial_dims, channels)``.

    Output shape:
        ``(batch_size, channels)``; with ``keepdims=True``, ``(batch_size, 1, ..., 1, channels)``.
    """

    rank = None
    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.input_ndim = self.rank + 2
        self.data_format = validation.data_format(self, data_format)
        self.keepdims = bool(keepdims)

    def call(self, inputs):
        return type(self).reduce(inputs, axis=tuple(range(1, self.rank + 1)), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, self.rank + 2)
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.rank + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
