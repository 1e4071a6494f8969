"""Differentiable linear algebra: the batched matrix product (``matmul``, alias ``dot``)."""

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, _shape
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.shapes import _unbroadcast, reshape, transpose


def matmul(a, b):
    """Matrix product batched over leading axes; 1-D operands act as numpy's do."""
    a_shape, b_shape = tuple(_shape(a)), tuple(_shape(b))
    if not a_shape or not b_shape:
        raise ValueError(f"matmul needs operands of rank >= 1. Received shapes {a_shape} and {b_shape}.")
    if len(a_shape) == 1 or len(b_shape) == 1:
        # Promote vectors to matrices, multiply, then drop the added axes, so the
        # gradient rules below only ever see rank >= 2.
        a2 = reshape(a, (1,) + a_shape) if len(a_shape) == 1 else a
        b2 = reshape(b, b_shape + (1,)) if len(b_shape) == 1 else b
        out = matmul(a2, b2)
        out_shape = list(out.shape)
        if len(b_shape) == 1:
            out_shape.pop(-1)
        if len(a_shape) == 1:
            out_shape.pop(-1 if len(b_shape) == 1 else -2)
        return reshape(out, out_shape)

    def grad_a(g):
        return _unbroadcast(matmul(g, transpose(b, _swap_last(len(b_shape)))), a_shape)

    def grad_b(g):
        return _unbroadcast(matmul(transpose(a, _swap_last(len(a_shape))), g), b_shape)

    return make_tensor(_backend().matmul(_data(a), _data(b)), (a, b), [grad_a, grad_b])


def _swap_last(ndim):
    return tuple(range(ndim - 2)) + (ndim - 1, ndim - 2)


dot = matmul
