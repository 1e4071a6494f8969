"""Differentiable cumulative ops along an axis.

cumsum, cumprod (and their NaN-ignoring forms), diff and the trapezoidal rule.
"""

from __future__ import annotations

from typing import Optional

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast
from kerasette.ops._promote import is_float, normalize_axis, tensor, to_float
from kerasette.ops._types import DType, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.elementwise import add, divide, equal, logical_and, multiply, subtract, where
from kerasette.ops.logic import isnan
from kerasette.ops.manipulation import flip
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import reshape
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor


def _prepare(x, axis, dtype, op):
    x = tensor(x)
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    axis = normalize_axis(axis, x.ndim, op)
    target = dtype or ("int32" if x.dtype == "bool" else x.dtype)
    return (x if x.dtype == target else cast(x, target)), axis


def _reverse_cumsum(g, axis):
    return flip(Tensor(_backend().cumsum(_data(flip(g, axis)), axis)), axis)


def cumsum(x: TensorLike, axis: Optional[int] = None, dtype: Optional[DType] = None) -> Tensor:
    """Cumulative sum of ``x`` along ``axis``.

    Args:
        x: the input tensor.
        axis: the axis (None: the flattened ``x``).
        dtype: the dtype of the result (None: ``x``'s; booleans count as int32).

    Returns:
        A Tensor shaped like ``x`` (rank 1 when ``axis`` is None).

    Example:
        >>> from kerasette import ops
        >>> ops.cumsum([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy().tolist()
        [[1.0, 3.0], [3.0, 7.0]]
    """
    x, axis = _prepare(x, axis, dtype, "cumsum")
    data = _backend().cumsum(_data(x), axis)
    data = _backend().cast(data, x.dtype)  # numpy widens int32 to int64; Keras keeps the dtype
    return make_tensor(data, (x,), [(lambda g: _reverse_cumsum(g, axis)) if is_float(x.dtype) else None])


def cumprod(x: TensorLike, axis: Optional[int] = None, dtype: Optional[DType] = None) -> Tensor:
    """Cumulative product of ``x`` along ``axis``.

    The gradient is exact where ``x`` has zeros (no division by ``x`` there).

    Args:
        x: the input tensor.
        axis: the axis (None: the flattened ``x``).
        dtype: the dtype of the result (None: ``x``'s; booleans count as int32).

    Returns:
        A Tensor shaped like ``x`` (rank 1 when ``axis`` is None).

    Example:
        >>> from kerasette import ops
        >>> ops.cumprod([1.0, 2.0, 3.0, 4.0]).numpy().tolist()
        [1.0, 2.0, 6.0, 24.0]
    """
    x, axis = _prepare(x, axis, dtype, "cumprod")
    B = _backend()
    data = B.cast(B.cumprod(_data(x), axis), x.dtype)
    y = Tensor(data)

    def grad(g):
        # dx_i = sum_{j >= i} g_j y_j / x_i where x_i != 0. At the first zero of a row, the same sum with that
        # zero replaced by 1 (w below); after it, 0.
        zero = equal(x, 0.0)
        zeros_so_far = Tensor(B.cumsum(_data(cast(zero, "int32")), axis))
        first_zero = logical_and(zero, equal(zeros_so_far, 1))
        w = Tensor(B.cumprod(_data(where(first_zero, 1.0, x)), axis))
        at_first_zero = _reverse_cumsum(multiply(g, w), axis)
        elsewhere = divide(_reverse_cumsum(multiply(g, y), axis), where(zero, 1.0, x))
        return where(first_zero, at_first_zero, where(zero, 0.0, elsewhere))

    return make_tensor(data, (x,), [grad if is_float(x.dtype) else None])


def nancumsum(x: TensorLike, axis: Optional[int] = None, dtype: Optional[DType] = None) -> Tensor:
    """``cumsum`` with NaNs counted as 0.

    Args:
        x: the input tensor.
        axis: the axis (None: the flattened ``x``).
        dtype: the dtype of the result (None: ``x``'s).

    Returns:
        A Tensor shaped like ``x`` (rank 1 when ``axis`` is None).

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.nancumsum([1.0, np.nan, 2.0]).numpy().tolist()
        [1.0, 1.0, 3.0]
    """
    x = tensor(x)
    return cumsum(where(isnan(x), 0, x) if is_float(x.dtype) else x, axis, dtype)


def nancumprod(x: TensorLike, axis: Optional[int] = None, dtype: Optional[DType] = None) -> Tensor:
    """``cumprod`` with NaNs counted as 1.

    Args:
        x: the input tensor.
        axis: the axis (None: the flattened ``x``).
        dtype: the dtype of the result (None: ``x``'s).

    Returns:
        A Tensor shaped like ``x`` (rank 1 when ``axis`` is None).
    """
    x = tensor(x)
    return cumprod(where(isnan(x), 1, x) if is_float(x.dtype) else x, axis, dtype)


def _slice_axis(x, axis, start, stop):
    starts, stops = [0] * x.ndim, list(x.shape)
    starts[axis], stops[axis] = start, stop
    return _slice_stops(x, starts, stops)


def diff(a: TensorLike, n: int = 1, axis: int = -1) -> Tensor:
    """The ``n``-th discrete difference along ``axis``: ``a[1:] - a[:-1]``, applied ``n`` times.

    Args:
        a: the input tensor.
        n: the number of times to difference.
        axis: the axis.

    Returns:
        A Tensor, ``n`` shorter along ``axis``.

    Example:
        >>> from kerasette import ops
        >>> ops.diff([1.0, 4.0, 9.0, 16.0]).numpy().tolist(), ops.diff([1.0, 4.0, 9.0, 16.0], n=2).numpy().tolist()
        ([3.0, 5.0, 7.0], [2.0, 2.0])
    """
    x = tensor(a)
    axis = normalize_axis(axis, x.ndim, "diff")
    for _ in range(int(n)):
        length = x.shape[axis]
        if length == 0:
            break
        x = subtract(_slice_axis(x, axis, 1, length), _slice_axis(x, axis, 0, length - 1))
    return x


def trapezoid(y: TensorLike, x: Optional[TensorLike] = None, dx: float = 1.0, axis: int = -1) -> Tensor:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule.

    Args:
        y: the sampled values.
        x: the sample points (None: evenly spaced by ``dx``), a vector along ``axis`` or shaped like ``y``.
        dx: the spacing when ``x`` is None.
        axis: the axis to integrate along.

    Returns:
        A float Tensor: ``y``'s shape without ``axis``.

    Example:
        >>> from kerasette import ops
        >>> float(ops.trapezoid([1.0, 2.0, 3.0])), float(ops.trapezoid([1.0, 2.0, 3.0], x=[0.0, 1.0, 3.0]))
        (4.0, 6.5)
    """
    y = to_float(y)
    axis = normalize_axis(axis, y.ndim, "trapezoid")
    n = y.shape[axis]
    mid = divide(add(_slice_axis(y, axis, 1, n), _slice_axis(y, axis, 0, n - 1)), 2.0)
    if x is None:
        return multiply(_sum(mid, axis=axis), dx)
    x = to_float(x)
    if x.ndim == 1:
        shape = [1] * y.ndim
        shape[axis] = x.shape[0]
        x = reshape(x, shape)
    return _sum(multiply(mid, diff(x, axis=axis)), axis=axis)
