"""Differentiable linear algebra: the batched matrix product (``matmul``, alias ``dot``)."""

from __future__ import annotations

from typing import Tuple

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, _shape
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.shapes import _unbroadcast, reshape, transpose
from kerasette.ops.tensor import Tensor


def matmul(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Matrix product batched over leading axes, as ``np.matmul`` (alias ``dot``).

    For operands of rank >= 2 the last two axes are multiplied and the leading (batch) axes
    broadcast. A 1-D ``x1`` acts as a row vector and a 1-D ``x2`` as a column vector; the added axis is
    dropped from the result. (``keras.ops.dot`` follows ``np.dot``, which differs from this for
    operands of rank > 2.)

    Args:
        x1: a tensor of shape ``(..., m, k)`` or ``(k,)``.
        x2: a tensor of shape ``(..., k, n)`` or ``(k,)``.

    Returns:
        A Tensor of shape ``(..., m, n)`` (less the axes of 1-D operands).

    Raises:
        ValueError: when an operand is a scalar.

    Example:
        >>> from kerasette import ops
        >>> a = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> b = ops.convert_to_tensor([[1.0], [1.0]])
        >>> ops.matmul(a, b).numpy().tolist()
        [[3.0], [7.0]]
        >>> ops.matmul(ops.convert_to_tensor([1.0, 2.0]), a).numpy().tolist()
        [7.0, 10.0]
    """
    a_shape, b_shape = tuple(_shape(x1)), tuple(_shape(x2))
    if not a_shape or not b_shape:
        raise ValueError(f"matmul needs operands of rank >= 1. Received shapes {a_shape} and {b_shape}.")
    if len(a_shape) == 1 or len(b_shape) == 1:
        # Promote vectors to matrices, multiply, then drop the added axes, so the
        # gradient rules below only ever see rank >= 2.
        a2 = reshape(x1, (1,) + a_shape) if len(a_shape) == 1 else x1
        b2 = reshape(x2, b_shape + (1,)) if len(b_shape) == 1 else x2
        out = matmul(a2, b2)
        out_shape = list(out.shape)
        if len(b_shape) == 1:
            out_shape.pop(-1)
        if len(a_shape) == 1:
            out_shape.pop(-1 if len(b_shape) == 1 else -2)
        return reshape(out, out_shape)

    def grad_a(g):
        return _unbroadcast(matmul(g, transpose(x2, _swap_last(len(b_shape)))), a_shape)

    def grad_b(g):
        return _unbroadcast(matmul(transpose(x1, _swap_last(len(a_shape))), g), b_shape)

    return make_tensor(_backend().matmul(_data(x1), _data(x2)), (x1, x2), [grad_a, grad_b])


def _swap_last(ndim: int) -> Tuple[int, ...]:
    return tuple(range(ndim - 2)) + (ndim - 1, ndim - 2)


dot = matmul
