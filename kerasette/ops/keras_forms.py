"""Keras's signatures for the basic ops whose internal forms differ.

where, slice, reshape, broadcast_to, expand_dims, stack. The internal forms (``shapes.slice`` takes stop
indices, ``elementwise.where`` needs both branches) stay the building blocks of the other ops;
``kerasette.ops`` exports these.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple, Union

import numpy as np

from kerasette.ops import elementwise, shapes
from kerasette.ops._helpers import convert_to_numpy
from kerasette.ops._promote import normalize_axis, tensor
from kerasette.ops._types import ShapeLike, TensorLike
from kerasette.ops.tensor import Tensor


def where(condition: TensorLike, x1: Optional[TensorLike] = None,
          x2: Optional[TensorLike] = None) -> Union[Tensor, Tuple[Tensor, ...]]:
    """Elements of ``x1`` where ``condition`` holds, else of ``x2``; alone, the indices where it holds.

    Gradients flow to ``x1`` and ``x2`` through the selected elements only.

    Args:
        condition: a boolean tensor.
        x1: the values where ``condition`` is True (broadcast together with the others).
        x2: the values where ``condition`` is False.

    Returns:
        A Tensor of the broadcast shape, or (``condition`` alone) a tuple of int32 index vectors, one per
        axis, as ``nonzero``.

    Raises:
        ValueError: when only one of ``x1`` and ``x2`` is given.

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([-1.0, 2.0])
        >>> ops.where(x > 0, x, 0.0).numpy().tolist()
        [0.0, 2.0]
        >>> [t.numpy().tolist() for t in ops.where(x > 0)]
        [[1]]
    """
    if x1 is None and x2 is None:
        from kerasette.ops.indexing import nonzero

        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`where` takes both `x1` and `x2`, or neither (then it returns the indices where "
                         "`condition` holds).")
    return elementwise.where(condition, x1, x2)


def _ints(values) -> Sequence[int]:
    if isinstance(values, Tensor):
        values = convert_to_numpy(values)
    return [int(v) for v in np.asarray(values).reshape(-1)]


def slice(inputs: TensorLike, start_indices: Sequence[int], shape: ShapeLike) -> Tensor:  # noqa: A001
    """The block of ``inputs`` starting at ``start_indices`` with the given ``shape``.

    Args:
        inputs: the input tensor.
        start_indices: one start index per axis.
        shape: the block's size along each axis.

    Returns:
        A Tensor of ``shape``.

    Raises:
        ValueError: when the lengths differ from the rank or the block does not fit.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.arange(6.0), (2, 3))
        >>> ops.slice(x, (0, 1), (2, 2)).numpy().tolist()
        [[1.0, 2.0], [4.0, 5.0]]
    """
    x = tensor(inputs)
    starts, sizes = _ints(start_indices), _ints(shape)
    if len(starts) != x.ndim or len(sizes) != x.ndim:
        raise ValueError(f"`slice` needs one start index and one size per axis of the input (rank {x.ndim}). "
                         f"Received: start_indices={starts}, shape={sizes}")
    if any(a < 0 or n < 0 or a + n > d for a, n, d in zip(starts, sizes, x.shape)):
        raise ValueError(f"`slice`: a block of shape {tuple(sizes)} from {tuple(starts)} does not fit in a tensor of "
                         f"shape {x.shape}.")
    return shapes.slice(x, starts, [a + n for a, n in zip(starts, sizes)])


def reshape(x: TensorLike, newshape: Union[int, ShapeLike]) -> Tensor:
    """``x`` with its elements in row-major order laid out in ``newshape`` (one entry may be -1).

    Args:
        x: the input tensor.
        newshape: the new shape, an int or a sequence of ints.

    Returns:
        A Tensor of shape ``newshape``.

    Example:
        >>> from kerasette import ops
        >>> ops.reshape(ops.arange(6), (3, -1)).shape
        (3, 2)
    """
    return shapes.reshape(tensor(x), newshape)


def broadcast_to(x: TensorLike, shape: ShapeLike) -> Tensor:
    """Broadcast ``x`` to ``shape`` with numpy's rules; the gradient sums over the broadcast axes.

    Args:
        x: the input tensor.
        shape: the target shape.

    Returns:
        A Tensor of ``shape``.

    Example:
        >>> from kerasette import ops
        >>> ops.broadcast_to([1.0, 2.0], (2, 2)).numpy().tolist()
        [[1.0, 2.0], [1.0, 2.0]]
    """
    return shapes.broadcast_to(tensor(x), tuple(shape))


def expand_dims(x: TensorLike, axis: Union[int, Sequence[int]]) -> Tensor:
    """Insert axes of size 1 at the positions ``axis`` of the result.

    Args:
        x: the input tensor.
        axis: an axis or a sequence of axes (negative counts from the end of the result).

    Returns:
        A Tensor with ``len(axis)`` more axes.

    Example:
        >>> from kerasette import ops
        >>> ops.expand_dims(ops.zeros((2, 3)), (0, -1)).shape
        (1, 2, 3, 1)
    """
    x = tensor(x)
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    rank = x.ndim + len(axes)
    positions = sorted(normalize_axis(a, rank, "expand_dims") for a in axes)
    if len(set(positions)) != len(positions):
        raise ValueError(f"`expand_dims`: repeated axis in {axis!r}.")
    shape, rest = [], iter(x.shape)
    for i in range(rank):
        shape.append(1 if i in positions else next(rest))
    return shapes.reshape(x, shape)


def stack(x: Sequence[TensorLike], axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new axis.

    Args:
        x: the tensors.
        axis: the position of the new axis in the result.

    Returns:
        A Tensor with one more axis, of length ``len(x)``.

    Example:
        >>> from kerasette import ops
        >>> ops.stack([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy().tolist()
        [[1.0, 3.0], [2.0, 4.0]]
    """
    return shapes.stack([tensor(v) for v in x], axis=axis)
