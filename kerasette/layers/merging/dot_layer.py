"""Dot: the dot product of two tensors along given axes, sample by sample (``batch_dot``)."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.merging.base_merge import Merge

_EPSILON = 1e-7  # Keras's backend.epsilon(): norms below it count as epsilon when normalizing


def batch_dot(x, y, axes):
    """``x`` contracted with ``y`` along ``axes = (ax, ay)``, separately for each sample (axis 0).

    Keras's layout of the result: the remaining axes of ``x``, then those of ``y``; a rank-2 input loses its
    contracted axis entirely.

    Args:
        x: a tensor of rank >= 2.
        y: a tensor of rank >= 2, with the same batch size.
        axes: a pair of non-negative, non-batch axes.

    Returns:
        The batched dot product.
    """
    ax, ay = axes
    x_rank, y_rank = len(x.shape), len(y.shape)
    if x_rank == 2:
        x, ax = ops.expand_dims(x, 1), ax + 1
    if y_rank == 2:
        y = ops.expand_dims(y, 2)
    x = ops.transpose(x, [i for i in range(len(x.shape)) if i != ax] + [ax])  # contracted axis last
    y = ops.transpose(y, [0, ay] + [i for i in range(1, len(y.shape)) if i != ay])  # contracted axis second
    x_mid, y_rest = tuple(x.shape[1:-1]), tuple(y.shape[2:])
    product = ops.matmul(ops.reshape(x, (x.shape[0], -1, x.shape[-1])), ops.reshape(y, (y.shape[0], y.shape[1], -1)))
    out = ops.reshape(product, (product.shape[0],) + x_mid + y_rest)
    if x_rank == 2:
        return ops.squeeze(out, 1)
    return ops.squeeze(out, -1) if y_rank == 2 else out


def _l2_normalize(x, axis):
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(square_sum, _EPSILON ** 2)))


class Dot(Merge):
    """Computes the dot product between samples in two tensors.

    For a list of two tensors ``a`` and ``b`` of shapes ``(batch_size, n)``, the output is a tensor of shape
    ``(batch_size, 1)`` whose entry ``i`` is ``sum(a[i] * b[i])``. In general the axes ``axes`` of the two
    inputs are contracted sample by sample and the remaining axes of ``a``, then of ``b``, form the output.

    Args:
        axes: int or tuple/list of two ints, the axis (of each input) to contract; negative values count from
            the end. The batch axis (0) cannot be contracted.
        normalize: bool, whether to L2-normalize the samples along the contracted axes first; the dot product
            is then the cosine similarity. Defaults to False.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A list of exactly 2 tensors of rank >= 2 with equal batch sizes and equal sizes on the contracted axes.

    Output shape:
        The remaining axes of the first input, then those of the second (``(batch_size, 1)`` for two vectors).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> a, b = np.arange(6.0).reshape(1, 2, 3), np.arange(8.0).reshape(1, 2, 4)
        >>> layers.Dot(axes=1)([a, b]).numpy().tolist()
        [[[12.0, 15.0, 18.0, 21.0], [16.0, 21.0, 26.0, 31.0], [20.0, 27.0, 34.0, 41.0]]]
        >>> cosine = layers.Dot(axes=-1, normalize=True)([np.array([[3.0, 4.0]]), np.array([[4.0, 3.0]])])
        >>> round(float(cosine.numpy()[0, 0]), 4)
        0.96
    """

    min_inputs = 2
    max_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = axes if isinstance(axes, (list, tuple)) else None
        valid = (isinstance(axes, numbers.Integral) and not isinstance(axes, bool)) or (
            pair is not None and len(pair) == 2
            and all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in pair))
        if not valid:
            raise validation.invalid(self, "axes", "an int or a tuple/list of 2 ints", axes)
        self.axes = [int(a) for a in axes] if pair is not None else int(axes)
        self.normalize = bool(normalize)

    def _axes(self, shapes):
        pair = self.axes if isinstance(self.axes, list) else [self.axes, self.axes]
        axes = [a % len(s) if -len(s) <= a < len(s) else None for a, s in zip(pair, shapes)]
        if None in axes or 0 in axes:
            raise ValueError(f"Layer `{self.name}` (Dot): axes={self.axes} must name non-batch axes of inputs of "
                             f"shapes {shapes[0]} and {shapes[1]}.")
        a, b = shapes[0][axes[0]], shapes[1][axes[1]]
        if a is not None and b is not None and a != b:
            raise ValueError(f"Layer `{self.name}` (Dot): incompatible input shapes: axis values {a} (at axis "
                             f"{axes[0]}) != {b} (at axis {axes[1]}). Full input shapes: {shapes[0]}, {shapes[1]}")
        return axes

    def _merged_shape(self, input_shape):
        shapes = self._shape_list(input_shape)
        if any(len(s) < 2 for s in shapes):
            raise ValueError(f"Layer `{self.name}` (Dot) needs inputs of rank >= 2. Received shapes {shapes}.")
        ax, ay = self._axes(shapes)
        x_rest = [d for i, d in enumerate(shapes[0]) if i != ax]
        y_rest = [d for i, d in enumerate(shapes[1]) if i not in (0, ay)]
        out = tuple(x_rest + y_rest)
        return out + (1,) if len(out) == 1 else out

    def call(self, inputs):
        self._merged_shape([tuple(x.shape) for x in inputs])
        x, y = inputs
        axes = self._axes([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x, y = _l2_normalize(x, axes[0]), _l2_normalize(y, axes[1])
        out = batch_dot(x, y, axes)
        return ops.expand_dims(out, -1) if len(out.shape) == 1 else out

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, **kwargs):
    """Functional form of ``Dot``: ``dot([a, b], axes)`` is ``Dot(axes)([a, b])``.

    Args:
        inputs: a list of exactly 2 tensors.
        axes: int or tuple/list of two ints, the axes to contract (default -1).
        **kwargs: passed to ``Dot`` (``normalize``, ``name``...).

    Returns:
        The batched dot product.
    """
    return Dot(axes=axes, **kwargs)(inputs)
