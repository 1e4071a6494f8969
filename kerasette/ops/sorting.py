"""Sorting and searching: sort, argsort, top_k, in_top_k, argpartition, searchsorted, digitize, unique.

The order comes from the backend's stable ``argsort`` (on OpenCL it runs on the host: one download of the
keys and one upload of the order); the values are then gathered on the device with ``take_along_axis``,
so ``sort`` and ``top_k`` are differentiable. ``searchsorted``, ``digitize`` and ``in_top_k`` count
comparisons on the device instead. Indices are int32, as in Keras.
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_numpy, convert_to_tensor
from kerasette.ops._promote import index_result, normalize_axis, tensor
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import greater, less, less_equal, negative, subtract
from kerasette.ops.indexing import take_along_axis
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import reshape
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor


def _order(x, axis):
    return Tensor(_backend().argsort(_data(x), axis))


def _flat_or_axis(x, axis, op):
    x = tensor(x)
    if axis is None:
        return reshape(x, (-1,)), 0
    return x, normalize_axis(axis, x.ndim, op)


def sort(x: TensorLike, axis: Optional[int] = -1) -> Tensor:
    """``x`` sorted in ascending order along ``axis`` (NaNs last); gradients follow the elements.

    Args:
        x: the input tensor.
        axis: the axis to sort (None: the flattened ``x``).

    Returns:
        A Tensor shaped like ``x`` (rank 1 when ``axis`` is None).

    Example:
        >>> from kerasette import ops
        >>> ops.sort([[3.0, 1.0, 2.0], [0.0, -1.0, 5.0]]).numpy().tolist()
        [[1.0, 2.0, 3.0], [-1.0, 0.0, 5.0]]
    """
    x, axis = _flat_or_axis(x, axis, "sort")
    return take_along_axis(x, _order(x, axis), axis=axis)


def argsort(x: TensorLike, axis: Optional[int] = -1) -> Tensor:
    """The indices that sort ``x`` along ``axis`` (stable: equal elements keep their order).

    Args:
        x: the input tensor.
        axis: the axis to sort (None: the flattened ``x``).

    Returns:
        An int32 Tensor shaped like ``x`` (rank 1 when ``axis`` is None).

    Example:
        >>> from kerasette import ops
        >>> ops.argsort([3.0, 1.0, 2.0, 1.0]).numpy().tolist()
        [1, 3, 2, 0]
    """
    x, axis = _flat_or_axis(x, axis, "argsort")
    return index_result(_data(_order(x, axis)))


def argpartition(x: TensorLike, kth: int, axis: int = -1) -> Tensor:
    """Indices that partition ``x`` along ``axis`` around its ``kth`` element (``np.argpartition``).

    The element at position ``kth`` is the one a full sort would put there, smaller ones come before it
    and larger ones after. This implementation returns a full stable sort order, which is one valid answer.

    Args:
        x: the input tensor.
        kth: the position (negative counts from the end).
        axis: the axis to partition.

    Returns:
        An int32 Tensor shaped like ``x``.

    Raises:
        ValueError: for ``kth`` out of range.
    """
    x, axis = _flat_or_axis(x, axis, "argpartition")
    n = x.shape[axis]
    for k in np.atleast_1d(kth):
        if not -n <= int(k) < n:
            raise ValueError(f"`argpartition`: kth={int(k)} is out of range for an axis of length {n}.")
    return argsort(x, axis)


def top_k(x: TensorLike, k: int, sorted: bool = True) -> Tuple[Tensor, Tensor]:  # noqa: A002
    """The ``k`` largest values along the last axis and their indices (lower index first on ties).

    Gradients flow to the selected elements.

    Args:
        x: the input tensor, of rank >= 1.
        k: how many to keep (at most the last axis's length).
        sorted: return them in descending order (they always are here).

    Returns:
        ``(values, indices)``: a Tensor and an int32 Tensor of shape ``x.shape[:-1] + (k,)``.

    Raises:
        ValueError: for ``k`` outside [0, length].

    Example:
        >>> from kerasette import ops
        >>> values, indices = ops.top_k([5.0, 1.0, 7.0, 5.0], 3)
        >>> values.numpy().tolist(), indices.numpy().tolist()
        ([7.0, 5.0, 5.0], [2, 0, 3])
    """
    x = tensor(x)
    n = x.shape[-1] if x.ndim else 0
    k = int(k)
    if not 0 <= k <= n:
        raise ValueError(f"Invalid value for argument `k` of `top_k`. Expected an int in [0, {n}]. Received: k={k}")
    descending = _order(negative(x) if x.dtype != "bool" else cast(x, "int8"), x.ndim - 1)
    indices = _slice_stops(descending, [0] * x.ndim, list(x.shape[:-1]) + [k])
    return take_along_axis(x, indices, axis=-1), index_result(_data(indices))


def in_top_k(targets: TensorLike, predictions: TensorLike, k: int) -> Tensor:
    """Whether each target class is among the ``k`` highest predictions of its row.

    Classes tied with the ``k``-th highest prediction count as in the top ``k``, as in TensorFlow.

    Args:
        targets: integer class indices, shape ``(batch,)``.
        predictions: scores, shape ``(batch, classes)``.
        k: how many top classes count.

    Returns:
        A boolean Tensor of shape ``(batch,)``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> scores = [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]
        >>> ops.in_top_k(np.array([2, 2]), scores, 2).numpy().tolist()
        [True, False]
    """
    predictions, targets = tensor(predictions), tensor(targets)
    target_score = take_along_axis(predictions, reshape(targets, (-1, 1)), axis=-1)
    better = _sum(cast(greater(predictions, target_score), "int32"), axis=-1)
    return less(better, int(k))


def searchsorted(sorted_sequence: TensorLike, values: TensorLike, side: str = "left") -> Tensor:
    """Where each of ``values`` would go in ``sorted_sequence`` to keep it sorted.

    Computed as a count of comparisons on the device (``len(sorted_sequence) * values.size`` of them).

    Args:
        sorted_sequence: an ascending vector.
        values: the values to place, any shape.
        side: ``"left"`` (the first suitable position) or ``"right"`` (the last).

    Returns:
        An int32 Tensor shaped like ``values``.

    Raises:
        ValueError: for another ``side`` or a ``sorted_sequence`` that is not a vector.

    Example:
        >>> from kerasette import ops
        >>> ops.searchsorted([1.0, 2.0, 2.0, 3.0], [2.0, 2.5], side="right").numpy().tolist()
        [3, 3]
    """
    if side not in ("left", "right"):
        raise ValueError(f'Invalid value for argument `side` of `searchsorted`. Expected "left" or "right". '
                         f"Received: side={side!r}")
    sequence, values = tensor(sorted_sequence), tensor(values)
    if sequence.ndim != 1:
        raise ValueError(f"`searchsorted` needs a vector `sorted_sequence`. Received shape {sequence.shape}.")
    before = (less if side == "left" else less_equal)(sequence, reshape(values, values.shape + (1,)))
    return cast(_sum(cast(before, "int32"), axis=-1), "int32")


def digitize(x: TensorLike, bins: TensorLike) -> Tensor:
    """The index of the bin each value of ``x`` falls in (``np.digitize`` with ``right=False``).

    For increasing ``bins``, ``i`` such that ``bins[i - 1] <= x < bins[i]``; for decreasing ones,
    ``bins[i - 1] > x >= bins[i]``.

    Args:
        x: the values.
        bins: a monotonic vector of bin edges.

    Returns:
        An int32 Tensor shaped like ``x``.

    Raises:
        ValueError: when ``bins`` is not a monotonic vector.

    Example:
        >>> from kerasette import ops
        >>> ops.digitize([0.5, 1.0, 2.5, 4.0], [1.0, 2.0, 3.0]).numpy().tolist()
        [0, 1, 2, 3]
    """
    edges = convert_to_numpy(tensor(bins))
    if edges.ndim != 1:
        raise ValueError(f"`digitize` needs a vector of bins. Received shape {edges.shape}.")
    steps = np.diff(edges)
    if np.all(steps >= 0):
        return searchsorted(tensor(bins), x, side="right")
    if np.all(steps <= 0):
        flipped = convert_to_tensor(np.ascontiguousarray(edges[::-1]))
        return cast(subtract(len(edges), searchsorted(flipped, x, side="right")), "int32")
    raise ValueError("`digitize`: `bins` must be monotonically increasing or decreasing.")


def unique(x: TensorLike, sorted: bool = True, return_index: bool = False,  # noqa: A002
           return_inverse: bool = False, return_counts: bool = False, axis: Optional[int] = None,
           size: Optional[int] = None, fill_value: Optional[float] = None) -> Union[Tensor, Tuple[Tensor, ...]]:
    """The sorted unique elements of ``x`` (``np.unique``), optionally with indices and counts.

    Computed on the host: the number of results depends on the values (one device-to-host transfer).

    Args:
        x: the input tensor.
        sorted: accepted for Keras compatibility; the values are always sorted.
        return_index: also return the index of each value's first occurrence.
        return_inverse: also return, for each element, the index of its value in the result.
        return_counts: also return how often each value occurs.
        axis: the axis whose slices are compared (None: the flattened ``x``).
        size: pad (with ``fill_value``, default 0) or cut the result to this many values.
        fill_value: the padding value when ``size`` exceeds the number of unique values.

    Returns:
        A Tensor, or a tuple ``(values, [index], [inverse], [counts])``.

    Example:
        >>> from kerasette import ops
        >>> values, counts = ops.unique([3.0, 1.0, 3.0, 2.0], return_counts=True)
        >>> values.numpy().tolist(), counts.numpy().tolist()
        ([1.0, 2.0, 3.0], [1, 1, 2])
    """
    host = convert_to_numpy(tensor(x))
    extras = return_index or return_inverse or return_counts
    result = np.unique(host, return_index=return_index, return_inverse=return_inverse, return_counts=return_counts,
                       axis=axis, equal_nan=False)
    output = list(result) if extras else [result]
    if size is not None:
        dim = 0 if axis is None else normalize_axis(axis, host.ndim, "unique")
        values = output[0]
        count = values.shape[dim]
        size = int(size)
        cut = [slice(None)] * values.ndim
        cut[dim] = slice(0, size)
        if count > size:
            output[0] = values[tuple(cut)]
        elif count < size:
            widths = [(0, 0)] * values.ndim
            widths[dim] = (0, size - count)
            output[0] = np.pad(values, widths, constant_values=0 if fill_value is None else fill_value)
        for position, flag, fill in ((1, return_index, 1), (len(output) - 1, return_counts, 0)):
            if flag:
                part = output[position][:size]
                output[position] = np.pad(part, (0, size - part.shape[0]), constant_values=fill)
    tensors = tuple(convert_to_tensor(np.asarray(part)) for part in output)
    return tensors[0] if len(tensors) == 1 else tensors
