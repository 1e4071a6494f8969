"""Permute: reorders the non-batch axes."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    The batch axis stays first; ``dims`` orders the others. Useful e.g. to connect RNNs and
    convnets.

    Args:
        dims: tuple of ints, a permutation of ``1..n`` for inputs of rank ``n + 1`` (the indices
            start at 1, not 0: the batch axis is not permuted). ``(2, 1)`` swaps the first two
            non-batch axes.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of rank ``len(dims) + 1``, ``(batch_size, ...)``.

    Output shape:
        The input shape with its non-batch sizes reordered by ``dims``.

    Example:
        >>> from kerasette import layers
        >>> layers.Permute((2, 1)).compute_output_shape((None, 10, 64))
        (None, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        if (
            not isinstance(dims, (tuple, list))
            or not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims)
            or sorted(int(d) for d in dims) != list(range(1, len(dims) + 1))
        ):
            raise validation.invalid(self, "dims", "a permutation of 1..n (the non-batch axes, 1-indexed)", dims)
        self.dims = tuple(int(d) for d in dims)

    def build(self, input_shape):
        validation.input_rank(self, input_shape, len(self.dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, len(self.dims) + 1)
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": list(self.dims)}
