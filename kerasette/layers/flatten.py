"""Flatten: (batch, ...) -> (batch, features)."""

import math

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input; does not affect the batch size.

    Every axis but the batch axis is merged into one, in row-major (C) order. A rank-1 input of shape
    ``(batch,)`` becomes ``(batch, 1)``.

    Args:
        data_format: ``"channels_last"`` or None (the same) keeps the order of the inputs' elements;
            ``"channels_first"`` moves axis 1 (the channels) last before flattening, so that a model converted
            from channels_first inputs keeps the order its weights expect, as in Keras.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        N-D tensor with shape ``(batch_size, ...)``.

    Output shape:
        2D tensor with shape ``(batch_size, product of the non-batch sizes)``; the second size is None
        when any non-batch size is unknown.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Flatten()(np.arange(8.0).reshape(2, 2, 2)).numpy().tolist()
        [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]
        >>> layers.Flatten().compute_output_shape((None, 32, 32, 3))
        (None, 3072)
        >>> layers.Flatten(data_format="channels_first")(np.arange(8.0).reshape(1, 2, 4)).numpy().tolist()
        [[0.0, 4.0, 1.0, 5.0, 2.0, 6.0, 3.0, 7.0]]
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise validation.invalid(self, "data_format", '"channels_last", "channels_first" or None', data_format)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        shape = inputs.shape
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = ops.transpose(inputs, (0, *range(2, len(shape)), 1))
        return ops.reshape(inputs, (shape[0], math.prod(shape[1:])))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
