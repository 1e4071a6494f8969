"""Shape primitives: transpose, broadcast_to, concatenate, slice, pad, one_hot, take and scatter_add.

transpose, broadcast_to and slice are strided copies (``elementwise.gather``); the rest are kernels of
``shape.cl``. Every result is a new contiguous array, except where numpy would return the input's own
values unchanged (an identity transpose, a broadcast to the same shape), which return the input.
"""

import builtins
import math

import numpy as np
from kerasette.backends.opencl import creation, launch, memory, runtime
from kerasette.backends.opencl.elementwise import contiguous_strides, gather, is_host_scalar, vec8
from kerasette.backends.opencl.indexing import index_type
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["transpose", "broadcast_to", "concatenate", "slice", "pad", "one_hot", "take", "scatter_add"]

_FILE = "shape.cl"
_LOCAL = 256
_MAX_PAD_RANK = 8  # the IDX8 vectors of the pad kernel
_SCATTER_PARALLELISM = 4096  # scatter_add splits output rows until about this many work-items
_bad_index = {"runtime": None, "flag": None}  # take's out-of-range flag: one int32 on the device, kept at 0
_AxisError = getattr(np, "exceptions", np).AxisError


def _axis(axis, ndim, what):
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise _AxisError(f"{what}: axis {axis} is out of bounds for an array of dimension {ndim}.")
    return axis % ndim


def transpose(x, axes=None):
    x = creation.asarray(x)
    axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(_axis(a, x.ndim, "transpose") for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"transpose: axes {axes} are not a permutation of the {x.ndim} axes of shape {x.shape}.")
    if axes == tuple(range(x.ndim)):
        return x
    strides = contiguous_strides(x.shape)
    return gather(x, [x.shape[a] for a in axes], [strides[a] for a in axes])


def broadcast_to(x, shape):
    """A contiguous copy of ``x`` broadcast to ``shape`` (``x`` itself when it already has that shape)."""
    x = x if isinstance(x, DeviceArray) else creation.asarray(np.asarray(x))
    shape = tuple(int(s) for s in shape)
    if x.shape == shape:
        return x
    lead = len(shape) - x.ndim
    if lead < 0 or any(n not in (1, m) for n, m in zip(x.shape, shape[lead:])):
        raise ValueError(f"operands could not be broadcast together: cannot broadcast shape {x.shape} to {shape}.")
    own = contiguous_strides(x.shape)
    strides = (0,) * lead + tuple(0 if n == 1 else s for n, s in zip(x.shape, own))
    return gather(x, shape, strides)


def slice(x, starts, stops):  # noqa: A001 - the primitive's name is part of the interface
    """A contiguous copy of ``x[starts[0]:stops[0], ...]`` (unit steps; Python's clamping of bounds)."""
    x = creation.asarray(x)
    bounds = [builtins.slice(int(a), int(b)).indices(n)[:2] for a, b, n in zip(starts, stops, x.shape)]
    bounds += [(0, n) for n in x.shape[len(bounds):]]
    shape = [builtins.max(b - a, 0) for a, b in bounds]
    strides = contiguous_strides(x.shape)
    if tuple(shape) == x.shape:
        return creation.copy(x)
    offset = builtins.sum(a * s for (a, _), s in zip(bounds, strides)) if math.prod(shape) else 0
    return gather(x, shape, strides, offset)


def concatenate(arrays, axis=0):
    arrays = [creation.asarray(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    first = arrays[0]
    if first.ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    axis = _axis(axis, first.ndim, "concatenate")
    for a in arrays[1:]:
        if a.ndim != first.ndim or a.shape[:axis] != first.shape[:axis] or a.shape[axis + 1:] != first.shape[axis + 1:]:
            raise ValueError(
                f"concatenate: all input dimensions except axis {axis} must match; received shapes "
                f"{[a.shape for a in arrays]}."
            )
    total = builtins.sum(a.shape[axis] for a in arrays)
    out_shape = first.shape[:axis] + (total,) + first.shape[axis + 1:]
    out = memory.empty(out_shape, np.result_type(*[a.dtype for a in arrays]))
    inner = math.prod(out_shape[axis + 1:])
    idx, idx_dtype = index_type(out.size)
    start = 0
    for a in arrays:
        kernel = launch.kernel(_FILE, "concat_part", T=cl_type(a.dtype), TO=cl_type(out.dtype), IDX=idx)
        part = a.shape[axis] * inner
        launch.run(kernel, a.size, _LOCAL, a, out, idx_dtype(a.size), idx_dtype(part), idx_dtype(total * inner),
                   idx_dtype(start * inner))
        start += a.shape[axis]
    return out


def pad(x, pad_width, value=0):
    """Constant padding; ``pad_width`` is ((before, after), ...) per axis (or anything numpy broadcasts to it)."""
    x = creation.asarray(x)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    if (widths < 0).any():
        raise ValueError(f"pad: index can't contain negative values; received {widths.tolist()}.")
    if x.ndim > _MAX_PAD_RANK:
        raise ValueError(f"The OpenCL backend pads arrays of at most {_MAX_PAD_RANK} dimensions; received {x.ndim}.")
    out_shape = tuple(int(n + b + a) for n, (b, a) in zip(x.shape, widths))
    if out_shape == x.shape:
        return creation.copy(x)
    out = memory.empty(out_shape, x.dtype)
    idx, idx_dtype = index_type(out.size)
    kernel = launch.kernel(_FILE, "pad", T=cl_type(x.dtype), IDX=idx)
    launch.run(kernel, out.size, _LOCAL, x, out, launch.scalar(value, x.dtype), idx_dtype(out.size),
               vec8(out_shape, 1, idx_dtype), vec8([int(b) for b, _ in widths], 0, idx_dtype),
               vec8(x.shape, 1, idx_dtype))
    return out


def one_hot(indices, depth, dtype):
    """Rows of ``depth`` zeros with a one at each index; out-of-range indices (-1 included) give zero rows."""
    indices = creation.asarray(indices)
    depth = int(depth)
    out = memory.empty(indices.shape + (depth,), dtype)
    idx, idx_dtype = index_type(out.size)
    kernel = launch.kernel(_FILE, "one_hot", T=cl_type(out.dtype), TI=cl_type(indices.dtype), IDX=idx)
    launch.run(kernel, out.size, _LOCAL, indices, out, idx_dtype(out.size), idx_dtype(depth))
    return out


# ----- take and its gradient -----------------------------------------------------------------------
def _check_index_dtype(dtype, what):
    if np.dtype(dtype).kind not in "biu":
        raise TypeError(f"{what} needs integer indices; received indices of dtype {np.dtype(dtype).name}.")


def _host_indices(indices, size, axis):
    """Indices given on the host: checked against [-size, size) here (no device read-back needed)."""
    host = np.asarray(indices)
    _check_index_dtype(host.dtype, "take")
    if host.size and (host.min() < -size or host.max() >= size):
        bad = host[(host < -size) | (host >= size)].reshape(-1)[0]
        raise IndexError(f"index {int(bad)} is out of bounds for axis {axis} with size {size}")
    return host


def _flag():
    rt = runtime.get()
    if _bad_index["runtime"] is not rt:
        _bad_index["flag"] = creation.zeros((1,), np.int32)
        _bad_index["runtime"] = rt
    return _bad_index["flag"]


def take(x, indices, axis):
    """numpy.take along ``axis``: negative indices count from the end; others outside [-n, n) raise IndexError.

    Indices on the host are checked on the host. For indices already on the device the kernel raises a flag
    on a bad index, and this reads that one int32 back (a device-to-host transfer, which waits for the queue).
    A host scalar index takes a slice (no upload).
    """
    x = creation.asarray(x)
    axis = _axis(axis, x.ndim, "take")
    size = x.shape[axis]
    on_host = not isinstance(indices, DeviceArray)
    if on_host:
        indices = _host_indices(indices, size, axis)
        if indices.ndim == 0:
            k = int(indices) % size
            starts = [0] * x.ndim
            starts[axis] = k
            stops = list(x.shape)
            stops[axis] = k + 1
            return creation.reshape(slice(x, starts, stops), x.shape[:axis] + x.shape[axis + 1:])
        indices = creation.asarray(indices)
    _check_index_dtype(indices.dtype, "take")
    if size == 0 and indices.size:
        raise IndexError("cannot do a non-empty take from an empty axis")
    out = memory.empty(x.shape[:axis] + indices.shape + x.shape[axis + 1:], x.dtype)
    if out.size == 0:
        return out
    idx, idx_dtype = index_type(out.size, x.size)
    flag = _flag()
    kernel = launch.kernel(_FILE, "take", T=cl_type(x.dtype), TI=cl_type(indices.dtype), IDX=idx)
    launch.run(kernel, out.size, _LOCAL, x, indices, out, idx_dtype(out.size), idx_dtype(indices.size),
               idx_dtype(size), idx_dtype(math.prod(x.shape[axis + 1:])), flag)
    if not on_host and memory.download(flag)[0]:
        _bad_index["flag"] = creation.zeros((1,), np.int32)
        raise IndexError(f"take: an index is out of bounds for axis {axis} with size {size}")
    return out


def scatter_add(shape, indices, updates, axis):
    """zeros(shape) with the rows of ``updates`` summed in at ``indices`` along ``axis``.

    ``updates`` has shape shape[:axis] + indices.shape + shape[axis+1:]. Repeated indices accumulate (in index
    order), negative ones count from the end.

    Deterministic, without atomics: every output row scans all the indices (cost: rows x indices comparisons,
    plus the additions), split over enough work-items per row to keep the device busy. Out-of-range indices
    on the device are ignored.
    """
    shape = tuple(int(s) for s in shape)
    axis = _axis(axis, len(shape), "scatter_add")
    size = shape[axis]
    if isinstance(indices, DeviceArray):
        _check_index_dtype(indices.dtype, "scatter_add")
    else:
        indices = np.asarray(indices)
        _check_index_dtype(indices.dtype, "scatter_add")
        if indices.size and (indices.min() < -size or indices.max() >= size):
            raise IndexError(f"scatter_add: an index is out of bounds for axis {axis} with size {size}")
        indices = creation.asarray(indices.reshape(-1) if is_host_scalar(indices) else indices)
    updates = creation.asarray(updates)
    outer, inner, count = math.prod(shape[:axis]), math.prod(shape[axis + 1:]), indices.size
    if updates.size != outer * count * inner:
        raise ValueError(
            f"scatter_add: updates of shape {updates.shape} do not match shape {shape} with {count} indices along "
            f"axis {axis}."
        )
    out = memory.empty(shape, updates.dtype)
    rows = outer * size
    if rows == 0 or inner == 0:
        return out
    lanes = builtins.max(1, builtins.min(inner, -(-_SCATTER_PARALLELISM // rows)))
    idx, idx_dtype = index_type(out.size, updates.size, rows * lanes)
    kernel = launch.kernel(_FILE, "scatter_add", T=cl_type(updates.dtype), TI=cl_type(indices.dtype), IDX=idx)
    launch.run(kernel, rows * lanes, _LOCAL, indices, updates, out, idx_dtype(rows * lanes), idx_dtype(lanes),
               idx_dtype(count), idx_dtype(size), idx_dtype(inner))
    return out
