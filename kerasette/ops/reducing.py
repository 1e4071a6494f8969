"""More reductions, with Keras's signatures.

prod, all, any, max/min with ``initial``, amax, amin, argmax, argmin, average, ptp, count_nonzero, logsumexp.

``argmax``/``argmin`` reduce the flattened tensor by default and return int32, as in Keras.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast
from kerasette.ops._promote import index_result, is_float, normalize_axes, normalize_axis, tensor, to_float
from kerasette.ops._types import Axis, DType, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.creation import full
from kerasette.ops.elementwise import add, divide, exp, isfinite, log, maximum, minimum, multiply, not_equal, subtract
from kerasette.ops.elementwise import where as _where
from kerasette.ops.manipulation import flip
from kerasette.ops.reductions import _keep_shape
from kerasette.ops.reductions import max as _max
from kerasette.ops.reductions import mean as _mean
from kerasette.ops.reductions import min as _min
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.scans import cumprod
from kerasette.ops.shapes import broadcast_to, concatenate, reshape, transpose
from kerasette.ops.tensor import Tensor

_SMALL_INTS = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}


def _rows_last(x, axes):
    """``x`` with ``axes`` moved last and merged: (the kept axes' shape, a Tensor (..., n))."""
    kept = [a for a in range(x.ndim) if a not in axes]
    moved = transpose(x, kept + list(axes))
    kept_shape = tuple(x.shape[a] for a in kept)
    return kept_shape, reshape(moved, kept_shape + (int(np.prod([x.shape[a] for a in axes])),))


def prod(x: TensorLike, axis: Axis = None, keepdims: bool = False, dtype: Optional[DType] = None) -> Tensor:
    """Product of the elements of ``x`` along ``axis``.

    The gradient is the product of the other elements (exact with zeros: no division).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.
        dtype: the dtype of the result (None: ``x``'s; booleans and small integers give int32).

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).

    Example:
        >>> from kerasette import ops
        >>> ops.prod([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy().tolist()
        [3.0, 8.0]
    """
    x = tensor(x)
    dtype = dtype or _SMALL_INTS.get(x.dtype, x.dtype)
    if x.dtype != dtype:
        x = cast(x, dtype)
    axes = normalize_axes(axis, x.ndim, "prod")
    B = _backend()
    data = B.cast(B.prod(_data(x), axes, keepdims), dtype)

    def grad(g):
        # the product of the other elements: exclusive cumulative products from the left and from the right
        kept_shape, rows = _rows_last(x, axes)
        ones = Tensor(B.ones(kept_shape + (1,), x.dtype))
        left = cumprod(concatenate([ones, rows[..., :-1]], axis=-1), axis=-1)
        right = flip(cumprod(concatenate([ones, flip(rows, axis=-1)[..., :-1]], axis=-1), axis=-1), axis=-1)
        grad_rows = multiply(multiply(left, right), reshape(g, kept_shape + (1,)))
        kept = [a for a in range(x.ndim) if a not in axes]
        moved_shape = kept_shape + tuple(x.shape[a] for a in axes)
        return transpose(reshape(grad_rows, moved_shape), [int(i) for i in np.argsort(kept + list(axes))])

    return make_tensor(data, (x,), [grad if is_float(x.dtype) else None])


def all(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Whether every element along ``axis`` is true (nonzero).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A boolean Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.all([[True, False], [True, True]], axis=1).numpy().tolist()
        [False, True]
    """
    x = tensor(x)
    return Tensor(_backend().all(_data(x), normalize_axes(axis, x.ndim, "all"), keepdims))


def any(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Whether some element along ``axis`` is true (nonzero).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A boolean Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.any([[True, False], [False, False]], axis=1).numpy().tolist()
        [True, False]
    """
    x = tensor(x)
    return Tensor(_backend().any(_data(x), normalize_axes(axis, x.ndim, "any"), keepdims))


def max(x: TensorLike, axis: Axis = None, keepdims: bool = False,  # noqa: A001
        initial: Optional[float] = None) -> Tensor:
    """Maximum of ``x`` along ``axis``; with ``initial``, also at least ``initial``.

    The gradient goes to the elements equal to the maximum, split evenly between ties.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.
        initial: a lower bound for the result (and its value over an empty axis).

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).

    Example:
        >>> from kerasette import ops
        >>> ops.max([[1.0, 5.0], [3.0, 2.0]], axis=1).numpy().tolist()
        [5.0, 3.0]
        >>> ops.max([1.0, 2.0], initial=4.0).numpy().tolist()
        4.0
    """
    return _bounded(_max, maximum, x, axis, keepdims, initial, "max")


def min(x: TensorLike, axis: Axis = None, keepdims: bool = False,  # noqa: A001
        initial: Optional[float] = None) -> Tensor:
    """Minimum of ``x`` along ``axis``; with ``initial``, also at most ``initial``.

    The gradient goes to the elements equal to the minimum, split evenly between ties.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.
        initial: an upper bound for the result (and its value over an empty axis).

    Returns:
        A Tensor: ``x``'s shape without the reduced axes (or with them as 1).

    Example:
        >>> from kerasette import ops
        >>> ops.min([[1.0, 5.0], [3.0, 2.0]], axis=0).numpy().tolist()
        [1.0, 2.0]
    """
    return _bounded(_min, minimum, x, axis, keepdims, initial, "min")


def _bounded(reduce, combine, x, axis, keepdims, initial, op):
    x = tensor(x)
    axes = normalize_axes(axis, x.ndim, op)
    if initial is None:
        return reduce(x, axis=axes, keepdims=keepdims)
    if 0 in [x.shape[a] for a in axes]:
        shape = _keep_shape(x.shape, axes) if keepdims else tuple(s for i, s in enumerate(x.shape) if i not in axes)
        return full(shape, initial, x.dtype)
    return combine(reduce(x, axis=axes, keepdims=keepdims), initial)


def amax(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum of ``x`` along ``axis`` (``max``).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.
    """
    return _max(tensor(x), axis=axis, keepdims=keepdims)


def amin(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum of ``x`` along ``axis`` (``min``).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes to reduce (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.
    """
    return _min(tensor(x), axis=axis, keepdims=keepdims)


def _arg(primitive, x, axis, keepdims, op):
    x = tensor(x)
    if axis is None:
        out = index_result(getattr(_backend(), primitive)(_data(reshape(x, (-1,))), 0))
        return reshape(out, (1,) * x.ndim) if keepdims else out
    axis = normalize_axis(axis, x.ndim, op)
    out = index_result(getattr(_backend(), primitive)(_data(x), axis))
    return reshape(out, _keep_shape(x.shape, (axis,))) if keepdims else out


def argmax(x: TensorLike, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """Index of the largest element along ``axis`` (the first one on ties; NaN counts as largest).

    Args:
        x: the input tensor.
        axis: the axis to search (None: the flattened ``x``).
        keepdims: keep the searched axis with size 1.

    Returns:
        An int32 Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.argmax([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], axis=-1).numpy().tolist()
        [1, 0]
        >>> int(ops.argmax([[0.1, 0.7], [0.9, 0.3]]))
        2
    """
    return _arg("argmax", x, axis, keepdims, "argmax")


def argmin(x: TensorLike, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """Index of the smallest element along ``axis`` (the first one on ties; NaN counts as smallest).

    Args:
        x: the input tensor.
        axis: the axis to search (None: the flattened ``x``).
        keepdims: keep the searched axis with size 1.

    Returns:
        An int32 Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.argmin([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]], axis=-1).numpy().tolist()
        [0, 2]
    """
    return _arg("argmin", x, axis, keepdims, "argmin")


def average(x: TensorLike, axis: Axis = None, weights: Optional[TensorLike] = None) -> Tensor:
    """The (weighted) mean of ``x`` along ``axis``: ``sum(x * weights) / sum(weights)``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        weights: None (plain mean), a tensor shaped like ``x``, or a vector along a single ``axis``.

    Returns:
        A float Tensor.

    Raises:
        ValueError: for weights of another shape.

    Example:
        >>> from kerasette import ops
        >>> float(ops.average([1.0, 2.0, 4.0], weights=[1.0, 1.0, 2.0]))
        2.75
    """
    x = to_float(x)
    if weights is None:
        return _mean(x, axis=axis)
    w = to_float(weights)
    if w.shape != x.shape:
        if axis is None or not isinstance(axis, (int, np.integer)) or w.ndim != 1:
            raise ValueError(f"`average`: weights of shape {w.shape} need the shape of x {x.shape}, or to be a "
                             "vector along one `axis`.")
        a = normalize_axis(axis, x.ndim, "average")
        if w.shape[0] != x.shape[a]:
            raise ValueError(f"`average`: {w.shape[0]} weights for an axis of length {x.shape[a]}.")
        view = [1] * x.ndim
        view[a] = w.shape[0]
        w = broadcast_to(reshape(w, view), x.shape)
    if w.dtype != x.dtype:
        dtype = np.result_type(np.dtype(x.dtype), np.dtype(w.dtype)).name
        x, w = cast(x, dtype), cast(w, dtype)
    return divide(_sum(multiply(x, w), axis=axis), _sum(w, axis=axis))


def ptp(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """The range (peak to peak), ``max - min``, of ``x`` along ``axis``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.ptp([[1.0, 5.0], [3.0, 2.0]], axis=1).numpy().tolist()
        [4.0, 1.0]
    """
    x = tensor(x)
    return subtract(_max(x, axis=axis, keepdims=keepdims), _min(x, axis=axis, keepdims=keepdims))


def count_nonzero(x: TensorLike, axis: Axis = None) -> Tensor:
    """The number of nonzero elements along ``axis``.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).

    Returns:
        An int32 Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.count_nonzero([[0.0, 1.0], [2.0, 3.0]], axis=1).numpy().tolist()
        [1, 2]
    """
    x = tensor(x)
    return cast(_sum(cast(not_equal(x, 0), "int32"), axis=normalize_axes(axis, x.ndim, "count_nonzero")), "int32")


def logsumexp(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` along ``axis``, computed without overflow; its gradient is the softmax.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.logsumexp([[0.0, 0.0], [1000.0, 1000.0]], axis=1).numpy().tolist()]
        [0.6931, 1000.6932]
    """
    x = to_float(x)
    axes = normalize_axes(axis, x.ndim, "logsumexp")
    peak = Tensor(_data(_max(x, axis=axes, keepdims=True)))  # a constant: the gradient is exactly the softmax
    peak = _where(isfinite(peak), peak, 0.0)
    out = add(log(_sum(exp(subtract(x, peak)), axis=axes, keepdims=True)), peak)
    return out if keepdims else reshape(out, tuple(s for i, s in enumerate(x.shape) if i not in axes))

