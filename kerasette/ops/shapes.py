"""Differentiable shape ops: reshape, transpose, broadcasting, joining, slicing, indexing and padding."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence, Union

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _axes, _data, _shape, _unary
from kerasette.ops._types import Axis, Shape, ShapeLike, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.tensor import Tensor


def shape(x: TensorLike) -> Shape:
    """The shape of ``x`` as a tuple of ints.

    Args:
        x: a tensor or anything ``np.shape`` accepts.

    Returns:
        A tuple of ints.

    Example:
        >>> from kerasette import ops
        >>> ops.shape(ops.zeros((2, 3)))
        (2, 3)
    """
    return _shape(x)


def reshape(x: TensorLike, new_shape: Union[int, ShapeLike]) -> Tensor:
    """``x`` with its elements in row-major order laid out in ``new_shape``.

    Args:
        x: the input tensor.
        new_shape: the new shape, an int or a sequence of ints; one entry may be -1 (inferred).

    Returns:
        A Tensor of shape ``new_shape`` (``x`` itself when the shape is unchanged).

    Example:
        >>> from kerasette import ops
        >>> ops.reshape(ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0]), (2, -1)).numpy().tolist()
        [[1.0, 2.0], [3.0, 4.0]]
    """
    old = _shape(x)
    new_shape = tuple(int(s) for s in (new_shape if isinstance(new_shape, (tuple, list)) else (new_shape,)))
    if tuple(old) == new_shape and isinstance(x, Tensor):
        return x
    return _unary("reshape", x, lambda g: reshape(g, old), new_shape)


def transpose(x: TensorLike, axes: Optional[Sequence[int]] = None) -> Tensor:
    """Permute the axes of ``x``.

    Args:
        x: the input tensor.
        axes: the new order of the axes (None: reversed, so a matrix is transposed).

    Returns:
        A Tensor whose axis ``i`` is axis ``axes[i]`` of ``x``.

    Example:
        >>> from kerasette import ops
        >>> ops.transpose(ops.zeros((2, 3, 4)), (0, 2, 1)).shape
        (2, 4, 3)
    """
    ndim = len(_shape(x))
    axes = tuple(reversed(range(ndim))) if axes is None else tuple(a % ndim for a in axes)
    inverse = tuple(int(i) for i in np.argsort(axes))
    return _unary("transpose", x, lambda g: transpose(g, inverse), axes)


def _unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched to reach ``shape``."""
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    if axes:
        from kerasette.ops import reductions  # here, not at the top: reductions imports this module

        grad = reductions.sum(grad, axis=axes, keepdims=True)
    return reshape(grad, shape)


def broadcast_to(x: TensorLike, new_shape: ShapeLike) -> Tensor:
    """Broadcast ``x`` to ``new_shape`` with numpy's rules; the gradient sums over the broadcast axes.

    Args:
        x: the input tensor.
        new_shape: the target shape.

    Returns:
        A Tensor of shape ``new_shape``.
    """
    old = _shape(x)
    return _unary("broadcast_to", x, lambda g: _unbroadcast(g, old), tuple(new_shape))


def expand_dims(x: TensorLike, axis: int) -> Tensor:
    """Insert an axis of size 1 at position ``axis``.

    Args:
        x: the input tensor.
        axis: where the new axis goes in the result (negative counts from the end).

    Returns:
        A Tensor with one more axis.

    Example:
        >>> from kerasette import ops
        >>> ops.expand_dims(ops.zeros((2, 3)), -1).shape
        (2, 3, 1)
    """
    old = list(_shape(x))
    axis = axis % (len(old) + 1)
    return reshape(x, old[:axis] + [1] + old[axis:])


def squeeze(x: TensorLike, axis: Axis = None) -> Tensor:
    """Remove axes of size 1.

    Args:
        x: the input tensor.
        axis: the axis or axes to remove (None: every axis of size 1).

    Returns:
        A Tensor without those axes.

    Raises:
        ValueError: when a named axis does not have size 1.
    """
    old = _shape(x)
    axes = [i for i, s in enumerate(old) if s == 1] if axis is None else _axes(axis, len(old))
    for a in axes:
        if old[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a} of a tensor of shape {tuple(old)}: its size is not 1.")
    return reshape(x, [s for i, s in enumerate(old) if i not in axes])


def concatenate(xs: Sequence[TensorLike], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis.

    Args:
        xs: the tensors, of equal shapes except along ``axis``.
        axis: the axis to join along.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.concatenate([ops.zeros((2, 1)), ops.ones((2, 2))], axis=1).numpy().tolist()
        [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]
    """
    xs = list(xs)
    ndim = len(_shape(xs[0]))
    axis = axis % ndim
    bounds = np.cumsum([0] + [_shape(x)[axis] for x in xs])

    def part(k):
        def grad(g):
            starts = [0] * ndim
            stops = list(g.shape)
            starts[axis], stops[axis] = int(bounds[k]), int(bounds[k + 1])
            return slice(g, starts, stops)

        return grad

    out = _backend().concatenate([_data(x) for x in xs], axis)
    return make_tensor(out, tuple(xs), [part(k) for k in range(len(xs))])


def stack(xs: Sequence[TensorLike], axis: int = 0) -> Tensor:
    """Join tensors of the same shape along a new axis.

    Args:
        xs: the tensors, all of one shape.
        axis: the position of the new axis in the result.

    Returns:
        A Tensor with one more axis, of length ``len(xs)``.

    Example:
        >>> from kerasette import ops
        >>> ops.stack([ops.zeros((3,)), ops.ones((3,))]).shape
        (2, 3)
    """
    return concatenate([expand_dims(x, axis) for x in xs], axis=axis)


def slice(x: TensorLike, start_indices: Sequence[int], stop_indices: Sequence[int]) -> Tensor:  # noqa: A001
    """``x[start:stop]`` along every axis.

    Unlike ``keras.ops.slice``, whose third argument is the shape of the slice, this one takes
    the stop indices.

    Args:
        x: the input tensor.
        start_indices: one start index per axis.
        stop_indices: one (exclusive) stop index per axis.

    Returns:
        A Tensor of shape ``stop - start`` per axis.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.convert_to_tensor([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]), (2, 3))
        >>> ops.slice(x, [0, 1], [2, 2]).numpy().tolist()  # start indices, then the slice's shape
        [[1.0, 2.0], [4.0, 5.0]]
    """
    full = _shape(x)
    starts, stops = [int(s) for s in start_indices], [int(s) for s in stop_indices]

    def grad(g):
        return pad(g, [(a, n - b) for a, b, n in zip(starts, stops, full)])

    return _unary("slice", x, grad, starts, stops)


def getitem(x: TensorLike, key: Any) -> Tensor:
    """Basic indexing, ``x[key]``: ints, slices (any step), ``...`` and ``None`` (a new axis of size 1).

    ``Tensor.__getitem__`` calls it, so ``t[0, 1:3]`` works on tensors.

    Args:
        x: the input tensor.
        key: an index or a tuple of them.

    Returns:
        A Tensor.

    Raises:
        IndexError: for too many indices, more than one ellipsis, or an int out of range.
        TypeError: for other kinds of index (arrays, tensors).

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        >>> x[1, 0:2].numpy().tolist()
        [4.0, 5.0]
        >>> x[:, None, -1].shape
        (2, 1)
        >>> x[::-1, ::2].numpy().tolist()
        [[4.0, 6.0], [1.0, 3.0]]
    """
    key = key if isinstance(key, tuple) else (key,)
    full = _shape(x)
    indexing = [k for k in key if k is not None and k is not Ellipsis]
    if len(indexing) > len(full):
        raise IndexError(f"Too many indices for a tensor of shape {tuple(full)}: {key!r}.")
    if builtins.sum(k is Ellipsis for k in key) > 1:
        raise IndexError("An index can only have a single ellipsis ('...').")
    at = key.index(Ellipsis) if Ellipsis in key else len(key)  # unnamed axes go where ... is, else last
    key = key[:at] + (builtins.slice(None),) * (len(full) - len(indexing)) + key[at + 1 :]
    starts, stops, out_shape, axis = [], [], [], 0
    strided = []  # (output axis, positions taken within the sliced span) for slices with a step other than 1
    for k in key:
        if k is None:
            out_shape.append(1)
            continue
        n = full[axis]
        axis += 1
        if isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            if not -n <= k < n:
                raise IndexError(f"Index {int(k)} is out of bounds for axis {axis - 1} with size {n}.")
            k = int(k) % n
            starts.append(k), stops.append(k + 1)
        elif isinstance(k, builtins.slice) and k.step in (None, 1):
            a, b, _ = k.indices(n)
            b = builtins.max(a, b)
            starts.append(a), stops.append(b), out_shape.append(b - a)
        elif isinstance(k, builtins.slice):
            if k.step == 0:
                raise ValueError("Slice step cannot be zero.")
            positions = list(range(*k.indices(n)))
            low = builtins.min(positions) if positions else 0
            high = builtins.max(positions) + 1 if positions else 0
            starts.append(low), stops.append(high), out_shape.append(high - low)
            if positions:
                strided.append((len(out_shape) - 1, [p - low for p in positions]))
        else:
            raise TypeError(f"Unsupported index {k!r}: use ints, slices, ... and None.")
    result = reshape(slice(x, starts, stops), out_shape)
    for out_axis, positions in strided:
        result = take(result, np.asarray(positions, dtype=np.int64), axis=out_axis)
    return result


def take(x: TensorLike, indices: TensorLike, axis: Optional[int] = None) -> Tensor:
    """The entries of ``x`` at integer ``indices`` along ``axis`` (None: of the flattened ``x``), as ``np.take``.

    Negative indices count from the end; indices outside [-n, n) raise IndexError. The gradient with
    respect to ``x`` sums the incoming gradient into each taken position (repeated indices add up);
    ``indices`` get no gradient.

    Args:
        x: the input tensor.
        indices: integer indices, any shape.
        axis: the axis to take along (None: flatten ``x`` first).

    Returns:
        A Tensor: ``x``'s shape with ``axis`` replaced by ``indices``'s shape.

    Raises:
        ValueError: for an ``axis`` out of range.
        TypeError: for indices that are not integers.

    Example:
        >>> from kerasette import ops
        >>> table = ops.convert_to_tensor([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
        >>> ops.take(table, ops.convert_to_tensor([2, 0]), axis=0).numpy().tolist()
        [[2.0, 2.0], [0.0, 0.0]]
    """
    if axis is None:
        return take(reshape(x, (int(np.prod(_shape(x))),)), indices, 0)
    shape = tuple(_shape(x))
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"`take`: axis {axis} is out of range for a tensor of shape {shape}.")
    axis = int(axis) % len(shape)
    index_data = _data(indices)
    kind = indices.dtype if isinstance(indices, Tensor) else _backend().dtype(index_data)
    if not kind.startswith(("int", "uint")):
        raise TypeError(f"`take` needs integer indices. Received indices of dtype {kind}.")
    B = _backend()

    def grad(g):
        return Tensor(B.scatter_add(shape, index_data, g.data, axis))

    return make_tensor(B.take(_data(x), index_data, axis), (x, indices), [grad, None])


def pad(x: TensorLike, pad_width: Any, constant_values: float = 0) -> Tensor:
    """Pad ``x`` with a constant (Keras's ``mode="constant"``; no other mode is offered).

    Args:
        x: the input tensor.
        pad_width: ``((before, after), ...)`` with one pair per axis, or one pair or int for all axes.
        constant_values: the value of the padding.

    Returns:
        A Tensor, larger by ``before + after`` along each axis.

    Example:
        >>> from kerasette import ops
        >>> ops.pad(ops.ones((1, 2)), ((0, 0), (1, 1))).numpy().tolist()
        [[0.0, 1.0, 1.0, 0.0]]
    """
    full = _shape(x)
    pad_width = [tuple(int(v) for v in p) for p in np.broadcast_to(np.asarray(pad_width), (len(full), 2))]

    def grad(g):
        return slice(g, [p[0] for p in pad_width], [p[0] + n for p, n in zip(pad_width, full)])

    return _unary("pad", x, grad, pad_width, constant_values)


def flatten_batch(x: TensorLike) -> Tensor:
    """Reshape ``(batch, ...)`` to ``(batch, features)``, as the ``Flatten`` layer does.

    Args:
        x: a tensor of rank >= 1.

    Returns:
        A Tensor of rank 2.

    Example:
        >>> from kerasette import ops
        >>> ops.flatten_batch(ops.zeros((4, 3, 2))).shape
        (4, 6)
    """
    s = _shape(x)
    return reshape(x, (s[0], int(np.prod(s[1:]))))
