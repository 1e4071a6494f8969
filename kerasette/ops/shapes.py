"""Differentiable shape ops: reshape, transpose, broadcasting, joining, slicing, indexing and padding."""

import builtins

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _axes, _data, _shape, _unary
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.tensor import Tensor


def shape(x):
    return _shape(x)


def reshape(x, new_shape):
    old = _shape(x)
    new_shape = tuple(int(s) for s in (new_shape if isinstance(new_shape, (tuple, list)) else (new_shape,)))
    if tuple(old) == new_shape and isinstance(x, Tensor):
        return x
    return _unary("reshape", x, lambda g: reshape(g, old), new_shape)


def transpose(x, axes=None):
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


def broadcast_to(x, new_shape):
    old = _shape(x)
    return _unary("broadcast_to", x, lambda g: _unbroadcast(g, old), tuple(new_shape))


def expand_dims(x, axis):
    old = list(_shape(x))
    axis = axis % (len(old) + 1)
    return reshape(x, old[:axis] + [1] + old[axis:])


def squeeze(x, axis=None):
    old = _shape(x)
    axes = [i for i, s in enumerate(old) if s == 1] if axis is None else _axes(axis, len(old))
    for a in axes:
        if old[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a} of a tensor of shape {tuple(old)}: its size is not 1.")
    return reshape(x, [s for i, s in enumerate(old) if i not in axes])


def concatenate(xs, axis=0):
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


def stack(xs, axis=0):
    return concatenate([expand_dims(x, axis) for x in xs], axis=axis)


def slice(x, start_indices, stop_indices):  # noqa: A001
    """``x[start:stop]`` along every axis (Keras's ``ops.slice`` takes start and shape)."""
    full = _shape(x)
    starts, stops = [int(s) for s in start_indices], [int(s) for s in stop_indices]

    def grad(g):
        return pad(g, [(a, n - b) for a, b, n in zip(starts, stops, full)])

    return _unary("slice", x, grad, starts, stops)


def getitem(x, key):
    """Basic indexing: ints, unit-step slices, ``...`` and ``None`` (a new axis of size 1)."""
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
        else:
            raise TypeError(f"Unsupported index {k!r}: use ints, unit-step slices, ... and None.")
    return reshape(slice(x, starts, stops), out_shape)


def take(x, indices, axis=None):
    """The entries of ``x`` at integer ``indices`` along ``axis`` (None: of the flattened ``x``), as ``np.take``.

    Negative indices count from the end; indices outside [-n, n) raise IndexError. The gradient with
    respect to ``x`` sums the incoming gradient into each taken position (repeated indices add up);
    ``indices`` get no gradient.
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


def pad(x, pad_width, constant_values=0):
    """Constant padding; ``pad_width`` is ((before, after), ...) per axis, or one pair or int for all."""
    full = _shape(x)
    pad_width = [tuple(int(v) for v in p) for p in np.broadcast_to(np.asarray(pad_width), (len(full), 2))]

    def grad(g):
        return slice(g, [p[0] for p in pad_width], [p[0] + n for p, n in zip(pad_width, full)])

    return _unary("pad", x, grad, pad_width, constant_values)


def flatten_batch(x):
    """Reshape (batch, ...) to (batch, features)."""
    s = _shape(x)
    return reshape(x, (s[0], int(np.prod(s[1:]))))
