"""Differentiable gathers and scatters, the segment reductions, select, and index helpers.

take_along_axis, scatter, scatter_update, slice_update, segment_sum/max/min/prod, select, unravel_index,
nonzero.

Gathers are ``take`` on the flattened tensor with flat indices computed on the device (so their
gradient is take's scatter-add); scatters are the backend's ``scatter_add``, whose gradient is a gather.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence, Tuple

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_numpy, convert_to_tensor
from kerasette.ops._promote import is_int, normalize_axis, tensor
from kerasette.ops._types import ShapeLike, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.creation import one_hot
from kerasette.ops.elementwise import add, greater, less, maximum, minimum, multiply, where
from kerasette.ops.manipulation import unstack
from kerasette.ops.reductions import max as _max
from kerasette.ops.reductions import min as _min
from kerasette.ops.shapes import broadcast_to, getitem, pad, reshape, stack, take
from kerasette.ops.tensor import Tensor

get_item = getitem


def _int_indices(indices, op):
    indices = tensor(indices)
    if not is_int(indices.dtype):
        raise TypeError(f"`{op}` needs integer indices. Received indices of dtype {indices.dtype}.")
    return indices if indices.dtype == "int64" else cast(indices, "int64")


def _check_range(indices, low, high, op):
    """Range check where the indices are on the host already (numpy backend); device indices are trusted."""
    data = _data(indices)
    if isinstance(data, np.ndarray) and data.size and (data.min() < low or data.max() >= high):
        raise IndexError(f"`{op}`: an index is out of range [{low}, {high}).")


def take_along_axis(x: TensorLike, indices: TensorLike, axis: Optional[int] = None) -> Tensor:
    """The elements of ``x`` at ``indices`` along ``axis``, matched position by position.

    As ``np.take_along_axis``: ``indices`` has ``x``'s rank; its other axes broadcast against ``x``'s.
    Negative indices count from the end. The gradient sums into the gathered positions.

    Args:
        x: the input tensor.
        indices: integer indices.
        axis: the axis to gather along (None: both flattened).

    Returns:
        A Tensor of the broadcast shape, with ``indices``'s length along ``axis``.

    Raises:
        ValueError: when ``indices`` does not have ``x``'s rank.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> x = ops.convert_to_tensor([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
        >>> ops.take_along_axis(x, np.array([[1], [0]]), axis=1).numpy().tolist()
        [[30.0], [60.0]]
    """
    x = tensor(x)
    idx = _int_indices(indices, "take_along_axis")
    if axis is None:
        x, idx, axis = reshape(x, (-1,)), reshape(idx, (-1,)), 0
    if idx.ndim != x.ndim:
        raise ValueError(f"`take_along_axis` needs indices of the input's rank {x.ndim}. Received indices of shape "
                         f"{idx.shape}.")
    axis = normalize_axis(axis, x.ndim, "take_along_axis")
    n = x.shape[axis]
    _check_range(idx, -n, n, "take_along_axis")
    idx = where(less(idx, 0), add(idx, n), idx)
    out_shape = tuple(idx.shape[d] if d == axis else np.broadcast_shapes((x.shape[d],), (idx.shape[d],))[0]
                      for d in range(x.ndim))
    strides = [math.prod(x.shape[d + 1:]) for d in range(x.ndim)]
    flat = multiply(idx, strides[axis])
    for d in range(x.ndim):
        if d != axis and x.shape[d] > 1:
            view = [1] * x.ndim
            view[d] = out_shape[d]
            flat = add(flat, convert_to_tensor(np.arange(out_shape[d], dtype=np.int64).reshape(view) * strides[d]))
    flat = broadcast_to(flat, out_shape)
    return take(reshape(x, (-1,)), flat, axis=0)


def _flat_positions(indices, shape, op):
    """Rows of ``indices`` (N, k) as flat positions into ``shape[:k]``."""
    idx = _int_indices(indices, op)
    k = idx.shape[-1]
    if k > len(shape):
        raise ValueError(f"`{op}`: indices address {k} axes of a tensor of rank {len(shape)}.")
    idx = reshape(idx, (-1, k))
    host = _data(idx)
    if isinstance(host, np.ndarray) and host.size:
        bad = (host < 0) | (host >= np.asarray(shape[:k]))
        if bad.any():
            raise IndexError(f"`{op}`: an index is out of range for shape {tuple(shape)}.")
    strides = np.asarray([math.prod(shape[d + 1:k]) for d in range(k)], dtype=np.int64)
    from kerasette.ops.linalg import matmul

    return reshape(matmul(idx, convert_to_tensor(strides)), (-1,)), k


def _last_of_repeats(indices, updates, shape):
    """``(indices, updates)`` keeping, of each repeated index, only its last row (so the last update wins)."""
    flat, k = _flat_positions(indices, shape, "scatter_update")
    positions = np.asarray(flat.numpy()).reshape(-1)
    if len(np.unique(positions)) == len(positions):
        return indices, updates
    _, first_from_end = np.unique(positions[::-1], return_index=True)
    keep = np.sort(len(positions) - 1 - first_from_end)
    rows = reshape(tensor(indices), (-1, k))
    update_rows = reshape(updates, (len(positions),) + tuple(shape[k:]))
    return take(rows, keep, axis=0), take(update_rows, keep, axis=0)


def scatter(indices: TensorLike, values: TensorLike, shape: ShapeLike) -> Tensor:
    """A zero tensor of ``shape`` with ``values`` added in at ``indices`` (repeated indices add up).

    Args:
        indices: integer coordinates, shape ``(..., k)``: each row addresses the first ``k`` axes.
        values: one value (or slice of the remaining axes) per row of ``indices``.
        shape: the shape of the result.

    Returns:
        A Tensor of ``shape``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.scatter(np.array([[0, 1], [1, 0], [0, 1]]), [1.0, 2.0, 3.0], (2, 2)).numpy().tolist()
        [[0.0, 4.0], [2.0, 0.0]]
    """
    shape = tuple(int(s) for s in shape)
    flat, k = _flat_positions(indices, shape, "scatter")
    values = tensor(values)
    rest = shape[k:]
    rows = reshape(values, (-1,) + rest)
    target = (math.prod(shape[:k]),) + rest
    B = _backend()
    data = B.scatter_add(target, _data(flat), _data(rows), 0)
    out = make_tensor(data, (rows,), [lambda g: take(g, flat, axis=0)])
    return reshape(out, shape)


def scatter_update(inputs: TensorLike, indices: TensorLike, updates: TensorLike,
                   reduction: Optional[str] = None) -> Tensor:
    """``inputs`` with the entries at ``indices`` replaced by (or combined with) ``updates``.

    With ``reduction=None`` the entries are replaced; when an index repeats, its last update wins (as
    Keras's torch and numpy backends, and numpy's ``x[idx] = updates``, give).
    ``"add"`` adds, ``"mul"`` multiplies, ``"max"`` / ``"min"`` keep the larger / smaller value.

    Args:
        inputs: the tensor to update (it is not modified: a new tensor is returned).
        indices: integer coordinates, shape ``(N, k)``: each row addresses the first ``k`` axes.
        updates: one value (or slice of the remaining axes) per row of ``indices``.
        reduction: None, ``"add"``, ``"mul"``, ``"max"`` or ``"min"``.

    Returns:
        A Tensor shaped like ``inputs``.

    Raises:
        ValueError: for another ``reduction``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.scatter_update(ops.zeros((2, 3)), np.array([[0, 2], [1, 0]]), [5.0, 6.0]).numpy().tolist()
        [[0.0, 0.0, 5.0], [6.0, 0.0, 0.0]]
    """
    inputs, updates = tensor(inputs), tensor(updates)
    if reduction not in (None, "add", "mul", "max", "min"):
        raise ValueError('Invalid value for argument `reduction` of `scatter_update`. Expected None, "add", "mul", '
                         f'"max" or "min". Received: reduction={reduction!r}')
    if updates.dtype != inputs.dtype:
        updates = cast(updates, inputs.dtype)
    hit = greater(scatter(indices, convert_to_tensor(np.ones(updates.shape, np.float32)), inputs.shape), 0.0)
    if reduction == "add":
        return add(inputs, scatter(indices, updates, inputs.shape))
    if reduction is None:
        indices, updates = _last_of_repeats(indices, updates, inputs.shape)
        return where(hit, scatter(indices, updates, inputs.shape), inputs)
    # mul / max / min: combine each update with its row of the table, one update at a time
    flat, k = _flat_positions(indices, inputs.shape, "scatter_update")
    rows = reshape(updates, (-1,) + inputs.shape[k:])
    entries = unstack(reshape(inputs, (-1,) + inputs.shape[k:]))
    combine = {"mul": multiply, "max": maximum, "min": minimum}[reduction]
    for r, p in enumerate(convert_to_numpy(flat).tolist()):
        entries[p] = combine(entries[p], rows[r])
    return reshape(stack(entries), inputs.shape)


def slice_update(inputs: TensorLike, start_indices: Sequence[int], updates: TensorLike) -> Tensor:
    """``inputs`` with the block starting at ``start_indices`` replaced by ``updates``.

    Args:
        inputs: the tensor to update (it is not modified: a new tensor is returned).
        start_indices: one start index per axis.
        updates: the new block; it must fit inside ``inputs`` from ``start_indices``.

    Returns:
        A Tensor shaped like ``inputs``.

    Raises:
        ValueError: when the block does not fit.

    Example:
        >>> from kerasette import ops
        >>> ops.slice_update(ops.zeros((2, 4)), (1, 1), [[7.0, 8.0]]).numpy().tolist()
        [[0.0, 0.0, 0.0, 0.0], [0.0, 7.0, 8.0, 0.0]]
    """
    inputs, updates = tensor(inputs), tensor(updates)
    starts = [int(s) for s in np.asarray(convert_to_numpy(start_indices) if isinstance(start_indices, Tensor)
                                         else start_indices).reshape(-1)]
    if len(starts) != inputs.ndim or updates.ndim != inputs.ndim:
        raise ValueError(f"`slice_update` needs one start index per axis and updates of the input's rank. Received "
                         f"start_indices={starts}, updates of shape {updates.shape}, inputs of shape {inputs.shape}.")
    widths = []
    for start, size, n in zip(starts, updates.shape, inputs.shape):
        if start < 0 or start + size > n:
            raise ValueError(f"`slice_update`: updates of shape {updates.shape} from {tuple(starts)} do not fit in "
                             f"inputs of shape {inputs.shape}.")
        widths.append((start, n - start - size))
    mask = np.zeros(inputs.shape, dtype=bool)
    mask[tuple(slice(a, a + s) for a, s in zip(starts, updates.shape))] = True
    if updates.dtype != inputs.dtype:
        updates = cast(updates, inputs.dtype)
    return where(convert_to_tensor(mask), pad(updates, widths), inputs)


def _segments(data, segment_ids, num_segments, op):
    data, ids = tensor(data), _int_indices(segment_ids, op)
    if ids.ndim != 1 or ids.shape[0] != data.shape[0]:
        raise ValueError(f"`{op}` needs one segment id per row of `data`. Received data of shape {data.shape} and "
                         f"segment_ids of shape {ids.shape}.")
    if num_segments is None:
        num_segments = int(convert_to_numpy(_max(ids))) + 1 if ids.shape[0] else 0
    return data, ids, int(num_segments)


def segment_sum(data: TensorLike, segment_ids: TensorLike, num_segments: Optional[int] = None,
                sorted: bool = False) -> Tensor:  # noqa: A002
    """Sums of the rows of ``data`` that share a segment id.

    Ids outside ``[0, num_segments)`` (such as -1) are dropped.

    Args:
        data: the values, segmented along axis 0.
        segment_ids: one integer id per row of ``data``.
        num_segments: the number of segments (None: ``max(segment_ids) + 1``, read from the device).
        sorted: accepted for Keras compatibility (whether the ids are sorted); the result does not depend on it.

    Returns:
        A Tensor of shape ``(num_segments,) + data.shape[1:]``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.segment_sum([1.0, 2.0, 3.0, 4.0], np.array([0, 0, 1, 1])).numpy().tolist()
        [3.0, 7.0]
    """
    data, ids, n = _segments(data, segment_ids, num_segments, "segment_sum")
    members = one_hot(ids, n, dtype=data.dtype)  # rows with an out-of-range id are all zero
    from kerasette.ops.tensor_products import tensordot

    return tensordot(members, data, axes=([0], [0]))


def _segment_extremum(data, segment_ids, num_segments, op, reduce, fill):
    data, ids, n = _segments(data, segment_ids, num_segments, op)
    members = one_hot(ids, n, dtype="bool")  # (rows, segments)
    members = reshape(members, members.shape + (1,) * (data.ndim - 1))
    spread = reshape(data, (data.shape[0], 1) + data.shape[1:])
    return reduce(where(members, spread, fill), axis=0)


def segment_max(data: TensorLike, segment_ids: TensorLike, num_segments: Optional[int] = None,
                sorted: bool = False) -> Tensor:  # noqa: A002
    """Maxima of the rows of ``data`` that share a segment id (-inf for an empty segment).

    Args:
        data: the values, segmented along axis 0.
        segment_ids: one integer id per row of ``data``.
        num_segments: the number of segments (None: ``max(segment_ids) + 1``).
        sorted: accepted for Keras compatibility; the result does not depend on it.

    Returns:
        A Tensor of shape ``(num_segments,) + data.shape[1:]``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.segment_max([1.0, 5.0, 3.0, 2.0], np.array([0, 0, 1, 1])).numpy().tolist()
        [5.0, 3.0]
    """
    return _segment_extremum(data, segment_ids, num_segments, "segment_max", _max, -np.inf)


def segment_min(data: TensorLike, segment_ids: TensorLike, num_segments: Optional[int] = None,
                sorted: bool = False) -> Tensor:  # noqa: A002
    """Minima of the rows of ``data`` that share a segment id (inf for an empty segment).

    Args:
        data: the values, segmented along axis 0.
        segment_ids: one integer id per row of ``data``.
        num_segments: the number of segments (None: ``max(segment_ids) + 1``).
        sorted: accepted for Keras compatibility; the result does not depend on it.

    Returns:
        A Tensor of shape ``(num_segments,) + data.shape[1:]``.
    """
    return _segment_extremum(data, segment_ids, num_segments, "segment_min", _min, np.inf)


def segment_prod(data: TensorLike, segment_ids: TensorLike, num_segments: Optional[int] = None,
                 sorted: bool = False) -> Tensor:  # noqa: A002
    """Products of the rows of ``data`` that share a segment id (1 for an empty segment).

    Args:
        data: the values, segmented along axis 0.
        segment_ids: one integer id per row of ``data``.
        num_segments: the number of segments (None: ``max(segment_ids) + 1``).
        sorted: accepted for Keras compatibility; the result does not depend on it.

    Returns:
        A Tensor of shape ``(num_segments,) + data.shape[1:]``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.segment_prod([1.0, 5.0, 3.0, 2.0], np.array([0, 0, 1, 1])).numpy().tolist()
        [5.0, 6.0]
    """
    from kerasette.ops.statistics import prod

    return _segment_extremum(data, segment_ids, num_segments, "segment_prod", prod, 1)


def select(condlist: Sequence[TensorLike], choicelist: Sequence[TensorLike], default: TensorLike = 0) -> Tensor:
    """Elementwise, the choice of the first condition that holds, else ``default`` (``np.select``).

    Args:
        condlist: boolean tensors.
        choicelist: one tensor per condition (all broadcast together).
        default: the value where no condition holds.

    Returns:
        A Tensor of the broadcast shape.

    Raises:
        ValueError: when the two lists differ in length.

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([-2.0, 0.5, 3.0])
        >>> ops.select([x < 0, x > 1], [-x, x * 10], default=0.0).numpy().tolist()
        [2.0, 0.0, 30.0]
    """
    if len(condlist) != len(choicelist):
        raise ValueError(f"`select`: condlist and choicelist must have the same length. Received {len(condlist)} and "
                         f"{len(choicelist)}.")
    out = default
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        out = where(condition, choice, out)
    return tensor(out)


def unravel_index(indices: TensorLike, shape: ShapeLike) -> Tuple[Tensor, ...]:
    """Flat indices as coordinate tensors of ``shape``, one per axis (``np.unravel_index``).

    Args:
        indices: integer flat indices.
        shape: the shape they index.

    Returns:
        A tuple of Tensors shaped like ``indices``, with ``indices``'s dtype.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> [t.numpy().tolist() for t in ops.unravel_index(np.array([5, 7]), (2, 4))]
        [[1, 1], [1, 3]]
    """
    from kerasette.ops.rounding import floor_divide, mod

    idx = tensor(indices)
    shape = [int(s) for s in shape]
    coords = []
    for d in range(len(shape)):
        stride = math.prod(shape[d + 1:])
        coords.append(mod(floor_divide(idx, stride), shape[d]))
    return tuple(coords)


def nonzero(x: TensorLike) -> Tuple[Tensor, ...]:
    """The coordinates of the nonzero elements, one int32 tensor per axis (``np.nonzero``).

    Computed on the host: the number of results depends on the values (one device-to-host transfer).

    Args:
        x: the input tensor.

    Returns:
        A tuple of int32 vectors.

    Example:
        >>> from kerasette import ops
        >>> [t.numpy().tolist() for t in ops.nonzero([[0.0, 1.0], [2.0, 0.0]])]
        [[0, 1], [1, 0]]
    """
    return tuple(convert_to_tensor(i.astype(np.int32)) for i in np.nonzero(convert_to_numpy(tensor(x))))

