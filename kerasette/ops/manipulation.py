"""Differentiable array manipulation beyond the basic shape ops.

Tiling, repeating, splitting, stacking, flipping, rolling, axis moves, diagonals and triangles.

Each is a composite of ``reshape``, ``broadcast_to``, ``transpose``, ``concatenate``, ``slice`` and
``take`` (with index arrays computed on the host from the shapes), so gradients come from the tape.
"""

from __future__ import annotations

import builtins
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from kerasette.ops._helpers import convert_to_tensor
from kerasette.ops._promote import normalize_axis, tensor
from kerasette.ops._types import Axis, TensorLike
from kerasette.ops.creation import zeros
from kerasette.ops.elementwise import where
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import broadcast_to, concatenate, expand_dims, reshape, take, transpose
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor

IntOrIndices = Union[int, Sequence[int], np.ndarray]


def _indices(values) -> Tensor:
    return convert_to_tensor(np.asarray(values, dtype=np.int64))


def tile(x: TensorLike, repeats: Union[int, Sequence[int]]) -> Tensor:
    """``x`` repeated ``repeats[i]`` times along axis ``i``, as ``np.tile``.

    Args:
        x: the input tensor.
        repeats: an int or one int per axis; a shorter list applies to the last axes, a longer one adds
            leading axes to ``x``.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.tile([[1.0, 2.0]], (2, 2)).numpy().tolist()
        [[1.0, 2.0, 1.0, 2.0], [1.0, 2.0, 1.0, 2.0]]
    """
    x = tensor(x)
    reps = (int(repeats),) if isinstance(repeats, (int, np.integer)) else tuple(int(r) for r in repeats)
    ndim = builtins.max(len(reps), x.ndim)
    reps = (1,) * (ndim - len(reps)) + reps
    shape = (1,) * (ndim - x.ndim) + x.shape
    interleaved = reshape(x, [d for s in shape for d in (1, s)])
    spread = broadcast_to(interleaved, [d for r, s in zip(reps, shape) for d in (r, s)])
    return reshape(spread, [r * s for r, s in zip(reps, shape)])


def repeat(x: TensorLike, repeats: IntOrIndices, axis: Optional[int] = None) -> Tensor:
    """Each element of ``x`` repeated ``repeats`` times along ``axis``, as ``np.repeat``.

    Args:
        x: the input tensor.
        repeats: an int, or one count per element along ``axis``.
        axis: the axis to repeat along (None: the flattened ``x``).

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.repeat([[1.0, 2.0], [3.0, 4.0]], 2, axis=1).numpy().tolist()
        [[1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0]]
        >>> ops.repeat([1.0, 2.0], [1, 3]).numpy().tolist()
        [1.0, 2.0, 2.0, 2.0]
    """
    x = tensor(x)
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    axis = normalize_axis(axis, x.ndim, "repeat")
    counts = np.asarray(repeats.numpy() if isinstance(repeats, Tensor) else repeats)
    if counts.ndim == 0:
        n = int(counts)
        spread = broadcast_to(expand_dims(x, axis + 1), x.shape[:axis + 1] + (n,) + x.shape[axis + 1:])
        return reshape(spread, x.shape[:axis] + (x.shape[axis] * n,) + x.shape[axis + 1:])
    return take(x, _indices(np.repeat(np.arange(x.shape[axis]), counts)), axis=axis)


def _split_points(n, indices_or_sections, equal, op):
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"`{op}`: the number of sections must be positive. Received: {sections}.")
        if equal and n % sections:
            raise ValueError(f"`{op}`: an axis of length {n} does not split into {sections} equal sections; use "
                             "`array_split` for unequal ones.")
        size, extra = divmod(n, sections)
        sizes = [size + 1] * extra + [size] * (sections - extra)
        return list(np.cumsum([0] + sizes))
    points = [int(i) for i in indices_or_sections]
    return [0] + points + [n]


def _split(x, indices_or_sections, axis, equal, op):
    x = tensor(x)
    axis = normalize_axis(axis, x.ndim, op)
    n = x.shape[axis]
    points = _split_points(n, indices_or_sections, equal, op)
    parts = []
    for start, stop in zip(points[:-1], points[1:]):
        start, stop = builtins.min(builtins.max(start, 0), n), builtins.min(builtins.max(stop, 0), n)
        starts, stops = [0] * x.ndim, list(x.shape)
        starts[axis], stops[axis] = start, builtins.max(start, stop)
        parts.append(_slice_stops(x, starts, stops))
    return parts


def split(x: TensorLike, indices_or_sections: IntOrIndices, axis: int = 0) -> List[Tensor]:
    """Split ``x`` into equal sections, or at the given indices, along ``axis`` (as ``np.split``).

    Args:
        x: the input tensor.
        indices_or_sections: a number of equal sections, or the sorted indices where new parts start.
        axis: the axis to split.

    Returns:
        A list of Tensors.

    Raises:
        ValueError: when ``axis`` does not divide into that many equal sections.

    Example:
        >>> from kerasette import ops
        >>> [p.numpy().tolist() for p in ops.split([1.0, 2.0, 3.0, 4.0], 2)]
        [[1.0, 2.0], [3.0, 4.0]]
        >>> [p.shape for p in ops.split(ops.zeros((5, 2)), [1, 3])]
        [(1, 2), (2, 2), (2, 2)]
    """
    return _split(x, indices_or_sections, axis, True, "split")


def array_split(x: TensorLike, indices_or_sections: IntOrIndices, axis: int = 0) -> List[Tensor]:
    """``split`` allowing unequal sections: the first ``n % sections`` parts get one element more.

    Args:
        x: the input tensor.
        indices_or_sections: a number of sections, or the sorted indices where new parts start.
        axis: the axis to split.

    Returns:
        A list of Tensors.

    Example:
        >>> from kerasette import ops
        >>> [p.shape for p in ops.array_split(ops.zeros((5,)), 3)]
        [(2,), (2,), (1,)]
    """
    return _split(x, indices_or_sections, axis, False, "array_split")


def _at_least(x, ndim, op):
    x = tensor(x)
    if x.ndim < ndim:
        raise ValueError(f"`{op}` needs a tensor of rank >= {ndim}. Received shape {x.shape}.")
    return x


def hsplit(x: TensorLike, indices_or_sections: IntOrIndices) -> List[Tensor]:
    """``split`` along axis 1 (axis 0 for vectors), as ``np.hsplit``.

    Args:
        x: the input tensor.
        indices_or_sections: a number of equal sections, or the indices where new parts start.

    Returns:
        A list of Tensors.
    """
    x = _at_least(x, 1, "hsplit")
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x: TensorLike, indices_or_sections: IntOrIndices) -> List[Tensor]:
    """``split`` along axis 0 of a tensor of rank >= 2, as ``np.vsplit``.

    Args:
        x: the input tensor.
        indices_or_sections: a number of equal sections, or the indices where new parts start.

    Returns:
        A list of Tensors.
    """
    return split(_at_least(x, 2, "vsplit"), indices_or_sections, axis=0)


def dsplit(x: TensorLike, indices_or_sections: IntOrIndices) -> List[Tensor]:
    """``split`` along axis 2 of a tensor of rank >= 3, as ``np.dsplit``.

    Args:
        x: the input tensor.
        indices_or_sections: a number of equal sections, or the indices where new parts start.

    Returns:
        A list of Tensors.
    """
    return split(_at_least(x, 3, "dsplit"), indices_or_sections, axis=2)


def unstack(x: TensorLike, num: Optional[int] = None, axis: int = 0) -> List[Tensor]:
    """The slices of ``x`` along ``axis``, each without that axis.

    Args:
        x: the input tensor.
        num: the length of ``axis`` (checked when given).
        axis: the axis to unstack.

    Returns:
        A list of ``x.shape[axis]`` Tensors.

    Raises:
        ValueError: when ``num`` is given and differs from the axis length.

    Example:
        >>> from kerasette import ops
        >>> [t.numpy().tolist() for t in ops.unstack([[1.0, 2.0], [3.0, 4.0]], axis=1)]
        [[1.0, 3.0], [2.0, 4.0]]
    """
    x = tensor(x)
    axis = normalize_axis(axis, x.ndim, "unstack")
    if num is not None and int(num) != x.shape[axis]:
        raise ValueError(f"`unstack`: num={num} does not match the length {x.shape[axis]} of axis {axis}.")
    rest = x.shape[:axis] + x.shape[axis + 1:]
    return [reshape(part, rest) for part in _split(x, x.shape[axis], axis, True, "unstack")]


def flip(x: TensorLike, axis: Axis = None) -> Tensor:
    """``x`` with the order of its elements reversed along ``axis`` (None: every axis).

    Args:
        x: the input tensor.
        axis: an axis or a tuple of axes.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.flip([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy().tolist()
        [[2.0, 1.0], [4.0, 3.0]]
    """
    x = tensor(x)
    axes = range(x.ndim) if axis is None else ((axis,) if isinstance(axis, (int, np.integer)) else axis)
    for a in axes:
        a = normalize_axis(a, x.ndim, "flip")
        if x.shape[a] > 1:
            x = take(x, _indices(np.arange(x.shape[a] - 1, -1, -1)), axis=a)
    return x


def fliplr(x: TensorLike) -> Tensor:
    """``flip`` along axis 1.

    Args:
        x: a tensor of rank >= 2.

    Returns:
        A Tensor of the same shape.
    """
    return flip(_at_least(x, 2, "fliplr"), axis=1)


def flipud(x: TensorLike) -> Tensor:
    """``flip`` along axis 0.

    Args:
        x: a tensor of rank >= 1.

    Returns:
        A Tensor of the same shape.
    """
    return flip(_at_least(x, 1, "flipud"), axis=0)


def roll(x: TensorLike, shift: Union[int, Sequence[int]], axis: Axis = None) -> Tensor:
    """Shift the elements of ``x`` cyclically by ``shift`` along ``axis``, as ``np.roll``.

    Args:
        x: the input tensor.
        shift: the number of places (or one per axis of ``axis``); positive shifts move elements towards
            the end.
        axis: an axis or a tuple of axes (None: the flattened tensor, then restored to its shape).

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.roll([1.0, 2.0, 3.0, 4.0], 1).numpy().tolist()
        [4.0, 1.0, 2.0, 3.0]
    """
    x = tensor(x)
    if axis is None:
        return reshape(roll(reshape(x, (-1,)), shift, 0), x.shape)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    shifts = (shift,) * len(axes) if isinstance(shift, (int, np.integer)) else tuple(shift)
    if len(shifts) != len(axes):
        raise ValueError(f"`roll`: `shift` and `axis` must have the same length. Received shift={shift}, "
                         f"axis={axis}.")
    for a, s in zip(axes, shifts):
        a = normalize_axis(a, x.ndim, "roll")
        n = x.shape[a]
        if n and int(s) % n:
            x = take(x, _indices((np.arange(n) - int(s)) % n), axis=a)
    return x


def moveaxis(x: TensorLike, source: Union[int, Sequence[int]], destination: Union[int, Sequence[int]]) -> Tensor:
    """Move axes of ``x`` to new positions, the others keeping their order, as ``np.moveaxis``.

    Args:
        x: the input tensor.
        source: the axis or axes to move.
        destination: their positions in the result.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """
    x = tensor(x)
    source = [source] if isinstance(source, (int, np.integer)) else list(source)
    destination = [destination] if isinstance(destination, (int, np.integer)) else list(destination)
    if len(source) != len(destination):
        raise ValueError(f"`moveaxis`: `source` and `destination` must have the same length. Received "
                         f"source={source}, destination={destination}.")
    source = [normalize_axis(a, x.ndim, "moveaxis") for a in source]
    destination = [normalize_axis(a, x.ndim, "moveaxis") for a in destination]
    order = [a for a in range(x.ndim) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return transpose(x, order)


def swapaxes(x: TensorLike, axis1: int, axis2: int) -> Tensor:
    """``x`` with two axes interchanged.

    Args:
        x: the input tensor.
        axis1: the first axis.
        axis2: the second axis.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.swapaxes(ops.zeros((2, 3, 4)), 0, 2).shape
        (4, 3, 2)
    """
    x = tensor(x)
    order = list(range(x.ndim))
    a, b = normalize_axis(axis1, x.ndim, "swapaxes"), normalize_axis(axis2, x.ndim, "swapaxes")
    order[a], order[b] = order[b], order[a]
    return transpose(x, order)


def ravel(x: TensorLike) -> Tensor:
    """``x`` flattened to one axis, in row-major order.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of rank 1.
    """
    return reshape(tensor(x), (-1,))


def _atleast(x, ndim):
    x = tensor(x)
    if x.ndim >= ndim:
        return x
    if ndim == 3:
        shape = {0: (1, 1, 1), 1: (1,) + x.shape + (1,), 2: x.shape + (1,)}[x.ndim]
    else:
        shape = (1,) * (ndim - x.ndim) + x.shape
    return reshape(x, shape)


def hstack(xs: Sequence[TensorLike]) -> Tensor:
    """Join tensors horizontally: along axis 1, or axis 0 for vectors (``np.hstack``).

    Args:
        xs: the tensors.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.hstack([[1.0], [2.0, 3.0]]).numpy().tolist()
        [1.0, 2.0, 3.0]
    """
    xs = [_atleast(x, 1) for x in xs]
    return concatenate(xs, axis=0 if xs[0].ndim == 1 else 1)


def vstack(xs: Sequence[TensorLike]) -> Tensor:
    """Join tensors vertically: along axis 0, vectors becoming rows (``np.vstack``).

    Args:
        xs: the tensors.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.vstack([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist()
        [[1.0, 2.0], [3.0, 4.0]]
    """
    return concatenate([_atleast(x, 2) for x in xs], axis=0)


def dstack(xs: Sequence[TensorLike]) -> Tensor:
    """Join tensors along axis 2 (depth), vectors and matrices raised to rank 3 first (``np.dstack``).

    Args:
        xs: the tensors.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.dstack([[1.0, 2.0], [3.0, 4.0]]).shape
        (1, 2, 2)
    """
    return concatenate([_atleast(x, 3) for x in xs], axis=2)


def append(x1: TensorLike, x2: TensorLike, axis: Optional[int] = None) -> Tensor:
    """``x2`` joined after ``x1`` along ``axis`` (None: both flattened first).

    Args:
        x1: the first tensor.
        x2: the tensor appended.
        axis: the axis to join along.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.append([[1.0, 2.0]], [3.0]).numpy().tolist()
        [1.0, 2.0, 3.0]
    """
    x1, x2 = tensor(x1), tensor(x2)
    if axis is None:
        return concatenate([ravel(x1), ravel(x2)], axis=0)
    return concatenate([x1, x2], axis=axis)


def _diagonal_positions(rows, cols, offset):
    """Flat positions of the ``offset`` diagonal of a (rows, cols) matrix, in order."""
    start_row, start_col = builtins.max(-offset, 0), builtins.max(offset, 0)
    length = builtins.max(builtins.min(rows - start_row, cols - start_col), 0)
    k = np.arange(length)
    return (start_row + k) * cols + start_col + k


def diagonal(x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The diagonal of the matrices of ``x`` over ``axis1`` and ``axis2``, as a new last axis (``np.diagonal``).

    Args:
        x: a tensor of rank >= 2.
        offset: the diagonal: 0 the main one, positive above it, negative below.
        axis1: the axis of the rows.
        axis2: the axis of the columns.

    Returns:
        A Tensor: the other axes, then the diagonal.

    Example:
        >>> from kerasette import ops
        >>> m = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
        >>> ops.diagonal(m).numpy().tolist(), ops.diagonal(m, offset=1).numpy().tolist()
        ([1.0, 5.0], [2.0, 6.0])
    """
    x = _at_least(x, 2, "diagonal")
    a1, a2 = normalize_axis(axis1, x.ndim, "diagonal"), normalize_axis(axis2, x.ndim, "diagonal")
    if a1 == a2:
        raise ValueError("`diagonal`: axis1 and axis2 must differ.")
    moved = moveaxis(x, [a1, a2], [-2, -1])
    rows, cols = moved.shape[-2:]
    flat = reshape(moved, moved.shape[:-2] + (rows * cols,))
    return take(flat, _indices(_diagonal_positions(rows, cols, int(offset))), axis=-1)


def diag(x: TensorLike, k: int = 0) -> Tensor:
    """A matrix with vector ``x`` on its ``k``-th diagonal, or the ``k``-th diagonal of matrix ``x`` (``np.diag``).

    Args:
        x: a vector or a matrix.
        k: the diagonal: 0 the main one, positive above it, negative below.

    Returns:
        A matrix (from a vector) or a vector (from a matrix).

    Raises:
        ValueError: for tensors of another rank.

    Example:
        >>> from kerasette import ops
        >>> ops.diag([1.0, 2.0]).numpy().tolist()
        [[1.0, 0.0], [0.0, 2.0]]
        >>> ops.diag([[1.0, 2.0], [3.0, 4.0]], k=-1).numpy().tolist()
        [3.0]
    """
    x = tensor(x)
    k = int(k)
    if x.ndim == 2:
        return diagonal(x, offset=k)
    if x.ndim != 1:
        raise ValueError(f"`diag` needs a vector or a matrix. Received a tensor of shape {x.shape}.")
    n = x.shape[0] + builtins.abs(k)
    source = np.zeros(n * n, dtype=np.int64)  # index into [0, x...]: 0 is the zero in front
    source[_diagonal_positions(n, n, k)] = np.arange(1, x.shape[0] + 1)
    padded = concatenate([zeros((1,), x.dtype), x], axis=0)
    return reshape(take(padded, _indices(source), axis=0), (n, n))


def diagflat(x: TensorLike, k: int = 0) -> Tensor:
    """A matrix with the flattened ``x`` on its ``k``-th diagonal.

    Args:
        x: the input tensor.
        k: the diagonal: 0 the main one, positive above it, negative below.

    Returns:
        A square matrix.
    """
    return diag(ravel(x), k)


def trace(x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The sum along a diagonal of the matrices of ``x`` (``np.trace``).

    Args:
        x: a tensor of rank >= 2.
        offset: the diagonal: 0 the main one, positive above it, negative below.
        axis1: the axis of the rows.
        axis2: the axis of the columns.

    Returns:
        A Tensor: ``x``'s other axes.

    Example:
        >>> from kerasette import ops
        >>> float(ops.trace([[1.0, 2.0], [3.0, 4.0]]))
        5.0
    """
    return _sum(diagonal(x, offset, axis1, axis2), axis=-1)


def _triangle(x, k, lower, op):
    x = _at_least(x, 2, op)
    rows, cols = x.shape[-2:]
    mask = np.tri(rows, cols, int(k), dtype=bool) if lower else ~np.tri(rows, cols, int(k) - 1, dtype=bool)
    return where(convert_to_tensor(mask), x, 0)


def tril(x: TensorLike, k: int = 0) -> Tensor:
    """The lower triangle of the matrices of ``x`` (the last two axes): elements above diagonal ``k`` zeroed.

    Args:
        x: a tensor of rank >= 2.
        k: the diagonal above which to zero: 0 the main one, positive above it, negative below.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.tril([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist()
        [[1.0, 0.0], [3.0, 4.0]]
    """
    return _triangle(x, k, True, "tril")


def triu(x: TensorLike, k: int = 0) -> Tensor:
    """The upper triangle of the matrices of ``x`` (the last two axes): elements below diagonal ``k`` zeroed.

    Args:
        x: a tensor of rank >= 2.
        k: the diagonal below which to zero: 0 the main one, positive above it, negative below.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.triu([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist()
        [[1.0, 2.0], [0.0, 4.0]]
    """
    return _triangle(x, k, False, "triu")


def rot90(array: TensorLike, k: int = 1, axes: Tuple[int, int] = (0, 1)) -> Tensor:
    """Rotate ``array`` by 90 degrees ``k`` times in the plane of ``axes`` (``np.rot90``).

    The rotation goes from the first axis towards the second.

    Args:
        array: a tensor of rank >= 2.
        k: the number of quarter turns (negative: the other way).
        axes: the two axes of the plane.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.rot90([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist()
        [[2.0, 4.0], [1.0, 3.0]]
    """
    x = _at_least(array, 2, "rot90")
    if len(axes) != 2:
        raise ValueError(f"`rot90`: `axes` must name two axes. Received: axes={axes}")
    a, b = normalize_axis(axes[0], x.ndim, "rot90"), normalize_axis(axes[1], x.ndim, "rot90")
    if a == b:
        raise ValueError(f"`rot90`: the two axes must differ. Received: axes={axes}")
    k = int(k) % 4
    if k == 0:
        return x
    if k == 2:
        return flip(flip(x, a), b)
    if k == 1:
        return swapaxes(flip(x, b), a, b)
    return flip(swapaxes(x, a, b), b)
