"""UpSampling1D and UpSampling3D (UpSampling2D has its own module): nearest-neighbour repetition."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


def repeat_spatial(inputs, factors):
    """Repeat each entry of every spatial axis of channels_last ``inputs`` ``factors[i]`` times.

    Args:
        inputs: a ``(batch, *spatial, channels)`` tensor.
        factors: one positive int per spatial axis.

    Returns:
        The upsampled tensor.
    """
    shape = tuple(inputs.shape)
    spread_shape, target = [shape[0]], [shape[0]]
    for size, factor in zip(shape[1:-1], factors):
        spread_shape += [size, 1]
        target += [size, factor]
    spread = ops.broadcast_to(ops.reshape(inputs, tuple(spread_shape) + shape[-1:]), tuple(target) + shape[-1:])
    return ops.reshape(spread, (shape[0], *(s * f for s, f in zip(shape[1:-1], factors)), shape[-1]))


class UpSampling1D(Layer):
    """Upsampling layer for 1D inputs: repeats each temporal step ``size`` times along the time axis.

    Args:
        size: positive int, the upsampling factor. Defaults to 2.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        3D tensor with shape ``(batch_size, upsampled_steps, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.UpSampling1D(3)(np.array([[[1.0], [2.0]]])).numpy()[0, :, 0].tolist()
        [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]
    """

    input_ndim = 3

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = validation.positive_int(self, "size", size)

    def call(self, inputs):
        return repeat_spatial(inputs, (self.size,))

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 3)
        return (input_shape[0], None if input_shape[1] is None else input_shape[1] * self.size, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class UpSampling3D(Layer):
    """Upsampling layer for 3D inputs: repeats the entries along depth, height and width.

    Args:
        size: positive int or tuple of 3 positive ints, the upsampling factors. Defaults to ``(2, 2, 2)``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, dim1, dim2, dim3, channels)``.

    Output shape:
        5D tensor with shape ``(batch_size, dim1 * size[0], dim2 * size[1], dim3 * size[2], channels)``.

    Example:
        >>> from kerasette import layers
        >>> layers.UpSampling3D((1, 2, 3)).compute_output_shape((None, 2, 3, 4, 5))
        (None, 2, 6, 12, 5)
    """

    input_ndim = 5

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.size = validation.int_tuple(self, "size", size, 3)
        self.data_format = validation.data_format(self, data_format)

    def call(self, inputs):
        return repeat_spatial(inputs, self.size)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, 5)
        sizes = (None if s is None else s * f for s, f in zip(input_shape[1:4], self.size))
        return (input_shape[0], *sizes, input_shape[4])

    def get_config(self):
        return {**super().get_config(), "size": list(self.size), "data_format": self.data_format}
