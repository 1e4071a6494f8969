"""Differentiable reductions along axes: sum, mean, max, min, var, std (and argmax, not differentiable)."""

from __future__ import annotations

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _axes, _data, _shape, _unary, _unary_using_output, cast
from kerasette.ops._types import Axis, TensorLike
from kerasette.ops.elementwise import divide, equal, multiply, sqrt, square, subtract
from kerasette.ops.shapes import broadcast_to, reshape
from kerasette.ops.tensor import Tensor


def _keep_shape(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def sum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum of the elements of ``x`` along ``axis``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1, so the result broadcasts against ``x``.

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> ops.sum(x).numpy().tolist(), ops.sum(x, axis=0).numpy().tolist()
        (10.0, [4.0, 6.0])
        >>> ops.sum(x, axis=1, keepdims=True).shape
        (2, 1)
    """
    shape = _shape(x)

    def grad(g):
        return broadcast_to(reshape(g, _keep_shape(shape, _axes(axis, len(shape)))), shape)

    return _unary("sum", x, grad, None if axis is None else _axes(axis, len(shape)), keepdims)


def mean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean of the elements of ``x`` along ``axis``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1, so the result broadcasts against ``x``.

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).

    Example:
        >>> from kerasette import ops
        >>> ops.mean(ops.convert_to_tensor([[1.0, 2.0], [3.0, 5.0]]), axis=-1).numpy().tolist()
        [1.5, 4.0]
    """
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


def max(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Maximum of the elements of ``x`` along ``axis``.

    The gradient goes to the elements equal to the maximum, split evenly between ties.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1, so the result broadcasts against ``x``.

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).
    """
    return _extremum("max", x, axis, keepdims)


def min(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Minimum of the elements of ``x`` along ``axis``.

    The gradient goes to the elements equal to the minimum, split evenly between ties.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1, so the result broadcasts against ``x``.

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).
    """
    return _extremum("min", x, axis, keepdims)


def argmax(x: TensorLike, axis: int = -1) -> Tensor:
    """Index of the largest element along ``axis`` (the first one on ties; not differentiable).

    Unlike ``keras.ops.argmax`` (default ``axis=None``, the flattened tensor), ``axis`` defaults
    to the last axis, and there is no ``keepdims``.

    Args:
        x: the input tensor.
        axis: the axis to search.

    Returns:
        An integer Tensor: ``x``'s shape without ``axis``.

    Example:
        >>> from kerasette import ops
        >>> ops.argmax(ops.convert_to_tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]), axis=-1).numpy().tolist()
        [1, 0]
    """
    return Tensor(_backend().argmax(_data(x), axis))


def var(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population variance (``mean((x - mean(x)) ** 2)``) of ``x`` along ``axis``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1, so the result broadcasts against ``x``.

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).
    """
    centered = subtract(x, mean(x, axis=axis, keepdims=True))
    return mean(square(centered), axis=axis, keepdims=keepdims)


def std(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population standard deviation (``sqrt(var(x))``) of ``x`` along ``axis``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1, so the result broadcasts against ``x``.

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).
    """
    return sqrt(var(x, axis=axis, keepdims=keepdims))
