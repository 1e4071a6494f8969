"""Differentiable reductions along axes: sum, mean, max, min, var, std (and argmax, not differentiable)."""

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _axes, _data, _shape, _unary, _unary_using_output, cast
from kerasette.ops.elementwise import divide, equal, multiply, sqrt, square, subtract
from kerasette.ops.shapes import broadcast_to, reshape
from kerasette.ops.tensor import Tensor


def _keep_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def sum(x, axis=None, keepdims=False):  # noqa: A001
    shape = _shape(x)

    def grad(g):
        return broadcast_to(reshape(g, _keep_shape(shape, _axes(axis, len(shape)))), shape)

    return _unary("sum", x, grad, None if axis is None else _axes(axis, len(shape)), keepdims)


def mean(x, axis=None, keepdims=False):
    shape = _shape(x)
    axes = _axes(axis, len(shape))
    count = int(np.prod([shape[a] for a in axes])) if axes else 1

    def grad(g):
        return broadcast_to(reshape(divide(g, float(count)), _keep_shape(shape, axes)), shape)

    return _unary("mean", x, grad, None if axis is None else axes, keepdims)


def _extremum(primitive, x, axis, keepdims):
    shape = _shape(x)
    axes = _axes(axis, len(shape))

    def grad(g, y):
        kept = reshape(y, _keep_shape(shape, axes))
        hits = cast(equal(x, kept), g.dtype)
        share = divide(hits, sum(hits, axis=axes, keepdims=True))  # ties split the gradient
        return multiply(share, reshape(g, _keep_shape(shape, axes)))

    return _unary_using_output(primitive, x, grad, None if axis is None else axes, keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return _extremum("max", x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return _extremum("min", x, axis, keepdims)


def argmax(x, axis=-1):
    return Tensor(_backend().argmax(_data(x), axis))


def var(x, axis=None, keepdims=False):
    centered = subtract(x, mean(x, axis=axis, keepdims=True))
    return mean(square(centered), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return sqrt(var(x, axis=axis, keepdims=keepdims))
