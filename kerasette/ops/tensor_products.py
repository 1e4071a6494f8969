"""Differentiable tensor products built on ``matmul``.

dot (numpy's), tensordot, einsum, inner, outer, vdot, kron, cross, cdist and 1-D correlation.

Each reshapes and transposes its operands into one batched matrix product, so the gradients come from
matmul's and the products run on the backend's GEMM.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import numpy as np

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops._promote import normalize_axis, tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import multiply, sqrt, square, subtract
from kerasette.ops.linalg import matmul
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import broadcast_to, concatenate, reshape, stack, take, transpose
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor

Axes = Union[int, Sequence[int], Sequence[Sequence[int]]]


def _promote(x1, x2):
    a, b = tensor(x1), tensor(x2)
    dtype = np.result_type(np.dtype(a.dtype), np.dtype(b.dtype)).name
    return (a if a.dtype == dtype else cast(a, dtype)), (b if b.dtype == dtype else cast(b, dtype))


def tensordot(x1: TensorLike, x2: TensorLike, axes: Axes = 2) -> Tensor:
    """The sum of products over ``axes`` of ``x1`` and ``x2`` (``np.tensordot``).

    Args:
        x1: the first tensor.
        x2: the second tensor.
        axes: an int ``n`` (the last ``n`` axes of ``x1`` with the first ``n`` of ``x2``), or a pair of axis
            lists ``(axes of x1, axes of x2)``.

    Returns:
        A Tensor: ``x1``'s other axes, then ``x2``'s.

    Raises:
        ValueError: when the contracted axes differ in length.

    Example:
        >>> from kerasette import ops
        >>> ops.tensordot(ops.ones((2, 3, 4)), ops.ones((4, 3, 5)), axes=([1, 2], [1, 0])).shape
        (2, 5)
    """
    a, b = _promote(x1, x2)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        axes_a, axes_b = list(range(a.ndim - n, a.ndim)), list(range(n))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, (int, np.integer)) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, (int, np.integer)) else list(axes_b)
    axes_a = [normalize_axis(i, a.ndim, "tensordot") for i in axes_a]
    axes_b = [normalize_axis(i, b.ndim, "tensordot") for i in axes_b]
    if len(axes_a) != len(axes_b) or any(a.shape[i] != b.shape[j] for i, j in zip(axes_a, axes_b)):
        raise ValueError(f"`tensordot`: the contracted axes do not match: {axes_a} of shape {a.shape} and {axes_b} "
                         f"of shape {b.shape}.")
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [j for j in range(b.ndim) if j not in axes_b]
    k = math.prod(a.shape[i] for i in axes_a)
    left = reshape(transpose(a, free_a + axes_a), (math.prod(a.shape[i] for i in free_a), k))
    right = reshape(transpose(b, axes_b + free_b), (k, math.prod(b.shape[j] for j in free_b)))
    return reshape(matmul(left, right), [a.shape[i] for i in free_a] + [b.shape[j] for j in free_b])


def dot(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The dot product of ``x1`` and ``x2``, as ``np.dot``.

    Scalars multiply; vectors give their inner product; matrices their matrix product; in general the
    last axis of ``x1`` is contracted with the second-to-last of ``x2`` (all their other axes kept, unlike
    ``matmul``'s batching).

    Args:
        x1: the first tensor.
        x2: the second tensor.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.dot([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy().tolist()
        [3.0, 7.0]
        >>> ops.dot(ops.ones((2, 3, 4)), ops.ones((5, 4, 6))).shape
        (2, 3, 5, 6)
    """
    a, b = _promote(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if a.ndim <= 2 and b.ndim <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2 if b.ndim > 1 else 0]))


def inner(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The sum of products over the last axes of ``x1`` and ``x2`` (``np.inner``).

    Args:
        x1: the first tensor.
        x2: the second tensor (same last axis length).

    Returns:
        A Tensor: ``x1``'s other axes, then ``x2``'s.

    Example:
        >>> from kerasette import ops
        >>> float(ops.inner([1.0, 2.0, 3.0], [0.0, 1.0, 0.5]))
        3.5
    """
    a, b = _promote(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def outer(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The outer product of the flattened ``x1`` and ``x2``: ``out[i, j] = x1[i] * x2[j]``.

    Args:
        x1: the first tensor (flattened).
        x2: the second tensor (flattened).

    Returns:
        A Tensor of shape ``(x1.size, x2.size)``.

    Example:
        >>> from kerasette import ops
        >>> ops.outer([1.0, 2.0], [1.0, 10.0, 100.0]).numpy().tolist()
        [[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]
    """
    a, b = _promote(x1, x2)
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


def vdot(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The dot product of the flattened ``x1`` and ``x2``.

    Args:
        x1: the first tensor.
        x2: the second tensor, of the same size.

    Returns:
        A scalar Tensor.

    Example:
        >>> from kerasette import ops
        >>> float(ops.vdot([[1.0, 2.0], [3.0, 4.0]], [[1.0, 1.0], [1.0, 1.0]]))
        10.0
    """
    a, b = _promote(x1, x2)
    return matmul(reshape(a, (-1,)), reshape(b, (-1,)))


def kron(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The Kronecker product: blocks of ``x2`` scaled by each element of ``x1`` (``np.kron``).

    Args:
        x1: the first tensor.
        x2: the second tensor.

    Returns:
        A Tensor whose axis ``i`` has length ``x1.shape[i] * x2.shape[i]`` (ranks aligned from the right).

    Example:
        >>> from kerasette import ops
        >>> ops.kron([[1.0, 2.0]], [[1.0], [10.0]]).numpy().tolist()
        [[1.0, 2.0], [10.0, 20.0]]
    """
    a, b = _promote(x1, x2)
    ndim = max(a.ndim, b.ndim)
    sa, sb = (1,) * (ndim - a.ndim) + a.shape, (1,) * (ndim - b.ndim) + b.shape
    spread_a = reshape(a, [d for s in sa for d in (s, 1)])
    spread_b = reshape(b, [d for s in sb for d in (1, s)])
    return reshape(multiply(spread_a, spread_b), [p * q for p, q in zip(sa, sb)])


def cross(x1: TensorLike, x2: TensorLike, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: Optional[int] = None) -> Tensor:
    """The cross product of 3-vectors (or 2-vectors, their z component taken as 0), as ``np.cross``.

    Args:
        x1: vectors along ``axisa``.
        x2: vectors along ``axisb`` (the other axes broadcast against ``x1``'s).
        axisa: the axis of ``x1`` holding the vectors.
        axisb: the axis of ``x2`` holding the vectors.
        axisc: the axis of the result holding the vectors (absent when both inputs are 2-vectors).
        axis: when given, overrides ``axisa``, ``axisb`` and ``axisc``.

    Returns:
        A Tensor.

    Raises:
        ValueError: for vectors of a length other than 2 or 3.

    Example:
        >>> from kerasette import ops
        >>> ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy().tolist()
        [0.0, 0.0, 1.0]
    """
    from kerasette.ops.manipulation import moveaxis, unstack

    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _promote(x1, x2)
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(f"`cross` needs vectors of length 2 or 3. Received lengths {a.shape[-1]} and "
                         f"{b.shape[-1]}.")
    ca, cb = unstack(a, axis=-1), unstack(b, axis=-1)
    if len(ca) == 2 and len(cb) == 2:
        return subtract(multiply(ca[0], cb[1]), multiply(ca[1], cb[0]))
    zero = None
    if len(ca) == 2:
        zero = multiply(ca[0], 0)
        ca = ca + [zero]
    if len(cb) == 2:
        zero = multiply(cb[0], 0)
        cb = cb + [zero]
    components = [subtract(multiply(ca[1], cb[2]), multiply(ca[2], cb[1])),
                  subtract(multiply(ca[2], cb[0]), multiply(ca[0], cb[2])),
                  subtract(multiply(ca[0], cb[1]), multiply(ca[1], cb[0]))]
    shape = np.broadcast_shapes(*[c.shape for c in components])
    result = stack([broadcast_to(c, shape) for c in components], axis=-1)
    return moveaxis(result, -1, axisc)


def cdist(x: TensorLike, y: TensorLike) -> Tensor:
    """Euclidean distances between each row of ``x`` and each row of ``y``.

    Args:
        x: points of shape ``(..., m, d)``.
        y: points of shape ``(..., n, d)``.

    Returns:
        A Tensor of shape ``(..., m, n)``.

    Raises:
        ValueError: for inputs of rank < 2 or different ``d``.

    Example:
        >>> from kerasette import ops
        >>> ops.cdist([[0.0, 0.0], [3.0, 4.0]], [[0.0, 0.0]]).numpy().tolist()
        [[0.0], [5.0]]
    """
    a, b = _promote(to_float(x), to_float(y))
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ValueError(f"`cdist` needs inputs of rank >= 2 with the same last axis. Received shapes {a.shape} and "
                         f"{b.shape}.")
    diff = subtract(reshape(a, a.shape[:-1] + (1, a.shape[-1])), reshape(b, b.shape[:-2] + (1,) + b.shape[-2:]))
    return sqrt(_sum(square(diff), axis=-1))


def correlate(x1: TensorLike, x2: TensorLike, mode: str = "valid") -> Tensor:
    """Cross-correlation of two vectors, ``c[k] = sum_n x1[n + k] * x2[n]`` (``np.correlate``).

    Args:
        x1: the first vector.
        x2: the second vector.
        mode: ``"valid"`` (only full overlaps), ``"same"`` (the length of the longer vector) or ``"full"``.

    Returns:
        A float vector.

    Raises:
        ValueError: for another ``mode`` or inputs that are not vectors.

    Example:
        >>> from kerasette import ops
        >>> ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5]).numpy().tolist()
        [3.5]
        >>> ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5], mode="full").numpy().tolist()
        [0.5, 2.0, 3.5, 3.0, 0.0]
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(f'Invalid value for argument `mode` of `correlate`. Expected "valid", "same" or "full". '
                         f"Received: mode={mode!r}")
    a, v = _promote(to_float(x1), to_float(x2))
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"`correlate` needs two vectors. Received shapes {a.shape} and {v.shape}.")
    m, n = a.shape[0], v.shape[0]
    # full[k] = sum_i a[i] * v[i - k + n - 1]: a matrix of v's entries (index 0: a zero) times a
    k, i = np.arange(m + n - 1)[:, None], np.arange(m)[None, :]
    j = i - k + n - 1
    index = np.where((j >= 0) & (j < n), j + 1, 0)
    padded = concatenate([multiply(v[:1], 0), v], axis=0)
    full = matmul(take(padded, convert_to_tensor(index.astype(np.int64)), axis=0), a)
    if mode == "full":
        return full
    short, long = min(m, n), max(m, n)
    start, length = ((short - 1) // 2, long) if mode == "same" else (short - 1, long - short + 1)
    if m < n:  # numpy swaps the inputs (and reverses the result) when the first is shorter
        start = (m + n - 1) - start - length
    return _slice_stops(full, [start], [start + length])


def einsum(subscripts: str, *operands: TensorLike, **kwargs: Any) -> Tensor:
    """Einstein summation: products of ``operands`` summed over the indices ``subscripts`` leaves out.

    ``"ij,jk->ik"`` is a matrix product, ``"ii->"`` a trace, ``"...ij->...ji"`` a batched transpose. Operands
    are contracted two at a time with matrix products; repeated indices within one operand take its
    diagonal.

    Args:
        subscripts: the index labels of each operand, comma-separated, optionally ``->`` and the output's.
        *operands: the tensors.
        **kwargs: numpy's ``optimize`` is accepted (and not needed); anything else is a TypeError.

    Returns:
        A Tensor.

    Raises:
        ValueError: when the subscripts do not match the operands.

    Example:
        >>> from kerasette import ops
        >>> a = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> ops.einsum("ij,jk->ik", a, a).numpy().tolist()
        [[7.0, 10.0], [15.0, 22.0]]
        >>> float(ops.einsum("ii", a)), ops.einsum("ij->j", a).numpy().tolist()
        (5.0, [4.0, 6.0])
    """
    from kerasette.ops._einsum import einsum as _einsum

    unknown = set(kwargs) - {"optimize"}
    if unknown:
        raise TypeError(f"`einsum` got unexpected keyword arguments {sorted(unknown)}.")
    return _einsum(subscripts, [tensor(x) for x in operands])

