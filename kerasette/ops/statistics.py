"""Order statistics, NaN-ignoring reductions, correlation and counting.

quantile, percentile, median (and their nan forms), nansum, nanprod, nanmean, nanvar, nanstd, nanmax,
nanmin, nanargmax, nanargmin, corrcoef, histogram and bincount.

Quantiles sort along the reduced axes (``sorting.sort``, differentiable) and interpolate between
neighbours exactly as numpy does; ``histogram`` and ``bincount`` count on the device with one-hot sums.
"""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np

from kerasette.ops._helpers import cast, convert_to_numpy, convert_to_tensor
from kerasette.ops._promote import index_result, is_float, normalize_axes, tensor, to_float
from kerasette.ops._types import Axis, TensorLike
from kerasette.ops.creation import one_hot
from kerasette.ops.elementwise import (
    add,
    clip,
    divide,
    equal,
    greater_equal,
    less,
    logical_and,
    logical_not,
    multiply,
    sqrt,
    square,
    subtract,
    where,
)
from kerasette.ops.indexing import take_along_axis
from kerasette.ops.logic import isnan
from kerasette.ops.reducing import _rows_last, all, any, argmax, argmin, max, min, prod
from kerasette.ops.reductions import _keep_shape
from kerasette.ops.reductions import mean as _mean
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import broadcast_to, reshape, transpose
from kerasette.ops.sorting import sort
from kerasette.ops.tensor import Tensor

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(x, q, axis, method, keepdims, skip_nan, op):
    if method not in _METHODS:
        raise ValueError(f"Invalid value for argument `method` of `{op}`. Expected one of {_METHODS}. "
                         f"Received: method={method!r}")
    x = to_float(x)
    q_host = np.asarray(convert_to_numpy(q) if isinstance(q, Tensor) else q, dtype=np.float64)
    if np.any((q_host < 0) | (q_host > 1)):
        raise ValueError(f"`{op}`: quantiles must be in [0, 1] (percentiles in [0, 100]).")
    axes = normalize_axes(axis, x.ndim, op)
    kept_shape, rows = _rows_last(x, axes)
    ordered = sort(rows, axis=-1)  # NaNs last
    n = rows.shape[-1]
    missing = isnan(rows)
    if skip_nan:
        count = subtract(n, _sum(cast(missing, "int32"), axis=-1, keepdims=True))  # (..., 1)
        last = cast(clip(subtract(count, 1), 0, _int_max(n - 1, 0)), x.dtype)
    else:
        last = convert_to_tensor(np.asarray(n - 1, dtype=x.dtype))
    qs = convert_to_tensor(q_host.reshape(-1, *([1] * (rows.ndim))).astype(x.dtype))  # (k, 1, ..., 1)
    position = multiply(qs, last)  # (k, ..., 1) or (k, 1...)
    below = cast(_floor(position), "int64")
    above = cast(_ceil(position), "int64")
    lead = (q_host.size,) + kept_shape + (1,)
    stacked = reshape(ordered, (1,) + ordered.shape)
    stacked = broadcast_to(stacked, (q_host.size,) + ordered.shape)

    def at(index):
        return take_along_axis(stacked, broadcast_to(index, lead), axis=-1)

    if method == "lower":
        value = at(below)
    elif method == "higher":
        value = at(above)
    elif method == "nearest":
        value = at(cast(_rint(position), "int64"))
    else:
        a, b = at(below), at(above)
        if method == "midpoint":
            value = divide(add(a, b), 2.0)
        else:  # numpy's lerp: a + (b - a) t, written from b's side for t >= 1/2
            t = broadcast_to(subtract(position, cast(below, x.dtype)), lead)
            step = subtract(b, a)
            from_b = subtract(b, multiply(step, subtract(1.0, t)))
            value = where(greater_equal(t, 0.5), from_b, add(a, multiply(step, t)))
    value = reshape(value, (q_host.size,) + kept_shape)
    invalid = equal(count, 0) if skip_nan else any(missing, axis=-1, keepdims=True)
    value = where(reshape(invalid, kept_shape), np.nan, value)
    if keepdims:
        value = reshape(value, (q_host.size,) + _keep_shape(x.shape, axes))
    return reshape(value, value.shape[1:]) if q_host.ndim == 0 else reshape(value, q_host.shape + value.shape[1:])


def _floor(x):
    from kerasette.ops.rounding import floor

    return floor(x)


def _ceil(x):
    from kerasette.ops.rounding import ceil

    return ceil(x)


def _rint(x):
    from kerasette.ops.rounding import round as _round

    return _round(x)


def quantile(x: TensorLike, q: TensorLike, axis: Axis = None, method: str = "linear",
             keepdims: bool = False) -> Tensor:
    """The ``q``-th quantiles of ``x`` along ``axis`` (``np.quantile``); NaN where a row holds a NaN.

    Args:
        x: the input tensor.
        q: a quantile in [0, 1] or an array of them.
        axis: an axis or a tuple of axes (None: all of them).
        method: ``"linear"`` (interpolate), ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor: ``q``'s shape, then ``x``'s without the reduced axes.

    Raises:
        ValueError: for quantiles outside [0, 1] or an unknown ``method``.

    Example:
        >>> from kerasette import ops
        >>> ops.quantile([1.0, 2.0, 3.0, 4.0], [0.25, 0.5]).numpy().tolist()
        [1.75, 2.5]
    """
    return _quantile(x, q, axis, method, keepdims, False, "quantile")


def percentile(x: TensorLike, q: TensorLike, axis: Axis = None, method: str = "linear",
               keepdims: bool = False) -> Tensor:
    """The ``q``-th percentiles (0 to 100) of ``x`` along ``axis`` (``np.percentile``).

    Args:
        x: the input tensor.
        q: a percentile in [0, 100] or an array of them.
        axis: an axis or a tuple of axes (None: all of them).
        method: ``"linear"``, ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor: ``q``'s shape, then ``x``'s without the reduced axes.

    Example:
        >>> from kerasette import ops
        >>> float(ops.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50))
        3.0
    """
    return _quantile(x, _percent(q), axis, method, keepdims, False, "percentile")


def _percent(q):
    return np.asarray(convert_to_numpy(q) if isinstance(q, Tensor) else q, dtype=np.float64) / 100.0


def median(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """The median of ``x`` along ``axis`` (the mean of the two middle values for an even count).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.median([[3.0, 1.0, 2.0], [4.0, 8.0, 6.0]], axis=1).numpy().tolist()
        [2.0, 6.0]
    """
    return _quantile(x, 0.5, axis, "linear", keepdims, False, "median")


def nanquantile(x: TensorLike, q: TensorLike, axis: Axis = None, method: str = "linear",
                keepdims: bool = False) -> Tensor:
    """``quantile`` ignoring NaNs (NaN only where a row is all NaN).

    Args:
        x: the input tensor.
        q: a quantile in [0, 1] or an array of them.
        axis: an axis or a tuple of axes (None: all of them).
        method: ``"linear"``, ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor: ``q``'s shape, then ``x``'s without the reduced axes.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> float(ops.nanquantile([1.0, np.nan, 3.0], 0.5))
        2.0
    """
    return _quantile(x, q, axis, method, keepdims, True, "nanquantile")


def nanpercentile(x: TensorLike, q: TensorLike, axis: Axis = None, method: str = "linear",
                  keepdims: bool = False) -> Tensor:
    """``percentile`` ignoring NaNs.

    Args:
        x: the input tensor.
        q: a percentile in [0, 100] or an array of them.
        axis: an axis or a tuple of axes (None: all of them).
        method: ``"linear"``, ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.
    """
    return _quantile(x, _percent(q), axis, method, keepdims, True, "nanpercentile")


def nanmedian(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``median`` ignoring NaNs.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.
    """
    return _quantile(x, 0.5, axis, "linear", keepdims, True, "nanmedian")


def _without_nan(x, fill):
    x = tensor(x)
    return where(isnan(x), fill, x) if is_float(x.dtype) else x


def nansum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``sum`` with NaNs counted as 0.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> float(ops.nansum([1.0, np.nan, 2.0]))
        3.0
    """
    return _sum(_without_nan(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``prod`` with NaNs counted as 1.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.
    """
    return prod(_without_nan(x, 1), axis=axis, keepdims=keepdims)


def _count(x, axis, keepdims):
    return _sum(cast(logical_not(isnan(x)), x.dtype), axis=axis, keepdims=keepdims)


def nanmean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``mean`` of the non-NaN elements (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> float(ops.nanmean([1.0, np.nan, 2.0]))
        1.5
    """
    x = to_float(x)
    return divide(_sum(_without_nan(x, 0), axis=axis, keepdims=keepdims), _count(x, axis, keepdims))


def nanvar(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population variance of the non-NaN elements.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.
    """
    x = to_float(x)
    missing = isnan(x)
    centered = where(missing, 0.0, subtract(x, nanmean(x, axis=axis, keepdims=True)))  # no NaN in the gradient
    return divide(_sum(square(centered), axis=axis, keepdims=keepdims), _count(x, axis, keepdims))


def nanstd(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population standard deviation of the non-NaN elements.

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float Tensor.
    """
    return sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extremum(reduce, fill, x, axis, keepdims):
    x = tensor(x)
    if not is_float(x.dtype):
        return reduce(x, axis=axis, keepdims=keepdims)
    missing = isnan(x)
    out = reduce(where(missing, fill, x), axis=axis, keepdims=keepdims)
    return where(all(missing, axis=axis, keepdims=keepdims), np.nan, out)


def nanmax(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``max`` ignoring NaNs (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> float(ops.nanmax([1.0, np.nan, 2.0]))
        2.0
    """
    return _nan_extremum(max, -np.inf, x, axis, keepdims)


def nanmin(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``min`` ignoring NaNs (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes (None: all of them).
        keepdims: keep each reduced axis with size 1.

    Returns:
        A Tensor.
    """
    return _nan_extremum(min, np.inf, x, axis, keepdims)


def _nan_arg(arg, fill, x, axis, keepdims):
    x = tensor(x)
    if not is_float(x.dtype):
        return arg(x, axis=axis, keepdims=keepdims)
    missing = isnan(x)
    out = arg(where(missing, fill, x), axis=axis, keepdims=keepdims)
    none = all(missing, axis=axis, keepdims=keepdims)
    return index_result(where(none, -1, out).data)


def nanargmax(x: TensorLike, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """``argmax`` ignoring NaNs (-1 where all are NaN, as Keras).

    Args:
        x: the input tensor.
        axis: the axis to search (None: the flattened ``x``).
        keepdims: keep the searched axis with size 1.

    Returns:
        An int32 Tensor.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> int(ops.nanargmax([1.0, np.nan, 2.0]))
        2
    """
    return _nan_arg(argmax, -np.inf, x, axis, keepdims)


def nanargmin(x: TensorLike, axis: Optional[int] = None, keepdims: bool = False) -> Tensor:
    """``argmin`` ignoring NaNs (-1 where all are NaN, as Keras).

    Args:
        x: the input tensor.
        axis: the axis to search (None: the flattened ``x``).
        keepdims: keep the searched axis with size 1.

    Returns:
        An int32 Tensor.
    """
    return _nan_arg(argmin, np.inf, x, axis, keepdims)


def corrcoef(x: TensorLike) -> Tensor:
    """Pearson correlation coefficients between the rows (variables) of ``x`` (``np.corrcoef``).

    Args:
        x: a matrix with one variable per row and one observation per column (or a vector).

    Returns:
        A float Tensor of shape ``(rows, rows)`` (a scalar for a vector), clipped to [-1, 1].

    Example:
        >>> from kerasette import ops
        >>> ops.corrcoef([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]).numpy().tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
    """
    from kerasette.ops.linalg import matmul
    from kerasette.ops.manipulation import diagonal

    x = to_float(x)
    vector = x.ndim == 1
    rows = reshape(x, (1, -1)) if vector else x
    centered = subtract(rows, _mean(rows, axis=1, keepdims=True))
    covariance = matmul(centered, transpose(centered))
    scale = sqrt(diagonal(covariance))
    out = clip(divide(divide(covariance, reshape(scale, (-1, 1))), reshape(scale, (1, -1))), -1.0, 1.0)
    return reshape(out, ()) if vector else out


def histogram(x: TensorLike, bins: int = 10, range: Optional[Tuple[float, float]] = None  # noqa: A002
              ) -> Tuple[Tensor, Tensor]:
    """Counts of ``x``'s values in ``bins`` equal bins over ``range`` (``np.histogram``).

    Values outside ``range`` are not counted; the last bin includes its right edge.

    Args:
        x: the values (flattened).
        bins: the number of bins.
        range: ``(low, high)`` (None: the minimum and maximum of ``x``, read from the device).

    Returns:
        ``(counts, edges)``: an int32 Tensor of ``bins`` counts and a float Tensor of ``bins + 1`` edges.

    Raises:
        ValueError: for ``bins`` < 1 or a ``range`` with low > high.

    Example:
        >>> from kerasette import ops
        >>> counts, edges = ops.histogram([0.0, 0.5, 1.0, 2.0, 4.0], bins=4)
        >>> counts.numpy().tolist(), edges.numpy().tolist()
        ([2, 1, 1, 1], [0.0, 1.0, 2.0, 3.0, 4.0])
    """
    bins = int(bins)
    if bins < 1:
        raise ValueError(f"Invalid value for argument `bins` of `histogram`. Expected an int >= 1. Received: "
                         f"bins={bins}")
    values = reshape(to_float(x), (-1,))
    if range is None:
        low, high = (float(convert_to_numpy(min(values))), float(convert_to_numpy(max(values)))) if values.shape[0] \
            else (0.0, 1.0)
    else:
        low, high = float(range[0]), float(range[1])
    if low > high:
        raise ValueError(f"`histogram`: the range must have low <= high. Received: range={range}")
    if low == high:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    edge_tensor = convert_to_tensor(edges.astype(values.dtype))
    inside = logical_and(greater_equal(values, low), logical_not(less(high, values)))
    # the bin of v: how many interior edges are <= v (the last bin takes its right edge)
    interior = reshape(edge_tensor[1:-1], (1, -1)) if bins > 1 else None
    index = _sum(cast(greater_equal(reshape(values, (-1, 1)), interior), "int32"), axis=1) if interior is not None \
        else cast(multiply(values, 0), "int32")
    counts = _sum(multiply(one_hot(index, bins, dtype="int32"), reshape(cast(inside, "int32"), (-1, 1))), axis=0)
    return cast(counts, "int32"), edge_tensor


def bincount(x: TensorLike, weights: Optional[TensorLike] = None, minlength: int = 0,
             sparse: bool = False) -> Tensor:
    """How often each non-negative integer occurs in ``x`` (or the sum of its ``weights``).

    Args:
        x: non-negative integers, a vector (or a matrix: one count per row).
        weights: a weight per element of ``x`` (None: count 1 each).
        minlength: the least length of the result.
        sparse: must be False (kerasette has no sparse tensors).

    Returns:
        A Tensor of length ``max(max(x) + 1, minlength)`` (per row for a matrix): int32 counts, or sums in
        the weights' dtype.

    Raises:
        ValueError: for ``sparse=True`` or negative values.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.bincount(np.array([0, 1, 1, 3])).numpy().tolist()
        [1, 2, 0, 1]
    """
    if sparse:
        raise ValueError("Invalid value for argument `sparse` of `bincount`: kerasette has no sparse tensors. "
                         "Received: sparse=True")
    x = tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"`bincount` needs a vector or a matrix. Received shape {x.shape}.")
    lowest = int(convert_to_numpy(min(x))) if x.shape[-1] else 0
    if lowest < 0:
        raise ValueError("`bincount` needs non-negative integers in `x`.")
    length = _int_max(int(convert_to_numpy(max(x))) + 1 if x.shape[-1] else 0, int(minlength))
    if weights is None:
        return cast(_sum(one_hot(x, length, dtype="int32"), axis=-2), "int32")
    w = tensor(weights)
    return _sum(multiply(one_hot(x, length, dtype=w.dtype), reshape(w, w.shape + (1,))), axis=-2)


def _int_max(a, b):
    return a if a >= b else b  # the module's ``max`` is the tensor reduction
