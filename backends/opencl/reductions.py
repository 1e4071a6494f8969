"""Reductions (sum, mean, max, min, argmax, all) and softmax / log_softmax.

Size-1 axes are dropped and neighbouring axes of the same kind (reduced or kept) merged, so a
reduction over contiguous axes (the last axis, the first axes, all axes) is one reduction over the
middle axis of an (outer, length, inner) view of the buffer; axes that are not contiguous are
reduced one contiguous run at a time. Each run is one launch of ``reduce`` (see ``reduce.cl``), or two
when a long axis has few outputs: the first splits the axis into chunks over many work-groups and the
second reduces the chunks' partial results. Floating sums are added in short runs combined by a tree,
so their rounding is close to numpy's pairwise summation.
"""

import builtins
import math

import numpy as np
import pyopencl as cl
from kerasette.backends.opencl import creation, launch, memory, runtime
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["sum", "mean", "max", "min", "argmax", "all", "softmax", "log_softmax", "prod", "any", "argmin"]

_FILE = "reduce.cl"
_LOCAL_MAX = 256  # work-items per group at most (the size of the kernels' local arrays)
_GPU_RUN = 8  # elements per work-item before another work-item joins an output (GPU)
_CPU_RUN = 128  # the same on CPUs, where a work-group runs on one core anyway
_SPLIT_RUN = 64  # elements per work-item below which splitting an axis is not worth a second launch
_SPLIT_MIN_ELEMENTS = 1 << 17  # nor for fewer elements than this in all
_MAX_CHUNKS = 1024
_PERMUTE_DIMS = 8
_LOWEST = {"float": "-INFINITY", "double": "-INFINITY", "char": "CHAR_MIN", "short": "SHRT_MIN", "int": "INT_MIN",
           "long": "LONG_MIN", "uchar": "0", "ushort": "0", "uint": "0", "ulong": "0"}
_HIGHEST = {"float": "INFINITY", "double": "INFINITY", "char": "CHAR_MAX", "short": "SHRT_MAX", "int": "INT_MAX",
            "long": "LONG_MAX", "uchar": "UCHAR_MAX", "ushort": "USHRT_MAX", "uint": "UINT_MAX",
            "ulong": "ULONG_MAX"}
_AxisError = getattr(np, "exceptions", np).AxisError  # numpy >= 1.25 has np.exceptions
_result_dtypes = {}
_cache = {"runtime": None, "kernels": {}}  # per runtime: key -> _Kernel


# ----- shapes ------------------------------------------------------------------------------------
def _axes(axis, ndim):
    """``axis`` (None, int or tuple; negatives count from the end) as a set of axes, checked like numpy."""
    if axis is None:
        return set(range(ndim))
    items = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = set()
    for a in items:
        a = int(a)
        if not -ndim <= a < ndim:
            raise _AxisError(a, ndim)
        a %= ndim
        if a in axes:
            raise ValueError("duplicate value in 'axis'")
        axes.add(a)
    return axes


def _out_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _groups(shape, axes):
    """[size, reduced] of ``shape`` with size-1 axes dropped and neighbours of the same kind merged."""
    groups = []
    for i, size in enumerate(shape):
        if size == 1:
            continue
        reduced = i in axes
        if groups and groups[-1][1] == reduced:
            groups[-1][0] *= size
        else:
            groups.append([size, reduced])
    return groups


def _runs(shape, axes):
    """The (outer, length, inner) views that reduce ``axes`` one contiguous run at a time, last run first."""
    groups = _groups(shape, axes)
    sizes = [size for size, _ in groups]
    runs = []
    for k in reversed(range(len(groups))):
        if groups[k][1]:
            runs.append((math.prod(sizes[:k]), sizes[k], math.prod(sizes[k + 1:])))
            sizes[k] = 1
    return runs or [(math.prod(shape), 1, 1)]


# ----- kernels and launch geometry ---------------------------------------------------------------
def _pow2_at_least(n):
    return 1 << builtins.max(int(n) - 1, 0).bit_length()


class _Kernel:
    """A built kernel with what its launches need: the work-group size limit and the device's traits."""

    def __init__(self, name, defines):
        rt = runtime.get()
        self.kernel = launch.kernel(_FILE, name, **defines)
        allowed = self.kernel.get_work_group_info(cl.kernel_work_group_info.WORK_GROUP_SIZE, rt.device)
        allowed = builtins.min(_LOCAL_MAX, rt.max_work_group_size, allowed)
        self.group = 1 << (allowed.bit_length() - 1)  # a power of 2, for the trees
        self.run = _GPU_RUN if rt.is_gpu else _CPU_RUN
        self.target = 4 * rt.device.max_compute_units  # work-groups that keep the device busy
        self.div = np.dtype(np.float32 if defines.get("DIV") == "float" else np.float64)  # reduce's divisor


def _cached(key, name, make_defines):
    """The _Kernel for ``key``, built on first use (the defines' dtype names are slow to compute per call)."""
    rt = runtime.get()
    if _cache["runtime"] is not rt:
        _cache["runtime"], _cache["kernels"] = rt, {}
    found = _cache["kernels"].get(key)
    if found is None:
        found = _cache["kernels"][key] = _Kernel(name, make_defines())
    return found


def _plan(k, n_out, length, inner, split):
    """(lanes, ways, chunks): outputs per work-group, work-items per output, groups along the reduced axis."""
    group = k.group
    wanted = _pow2_at_least(-(-length // k.run))
    if inner > 1:  # neighbouring work-items on neighbouring outputs: reads of one row are contiguous
        lanes = builtins.min(32, _pow2_at_least(inner), group)
        ways = builtins.min(group // lanes, wanted)
    else:
        ways = builtins.min(group, wanted)
        lanes = 1
    lanes = builtins.max(lanes, builtins.min(group // ways, _pow2_at_least(n_out)))
    chunks = 1
    groups = -(-n_out // lanes)
    if (split and groups < k.target and length >= 2 * ways * _SPLIT_RUN
            and n_out * length >= _SPLIT_MIN_ELEMENTS):
        chunks = builtins.min(-(-k.target // groups), -(-length // (ways * _SPLIT_RUN)), _MAX_CHUNKS)
    return lanes, ways, chunks


def _reduce_kernel(op, source, acc, out, divide):
    def defines():
        acc_cl = cl_type(acc)
        d = {"TI": cl_type(source), "ACC": acc_cl, "TO": cl_type(out), f"OP_{op.upper()}": 1, "LOCAL_MAX": _LOCAL_MAX}
        if op in ("sum", "any"):
            d["IDENTITY"] = "0"
        elif op in ("all", "prod"):
            d["IDENTITY"] = "1"
        elif acc.kind == "b":
            d["IDENTITY"] = "0" if op == "max" else "1"
        else:
            d["IDENTITY"] = (_LOWEST if op == "max" else _HIGHEST)[acc_cl]
        if acc.kind == "f":
            d["FLOATING"] = 1
        d["DIV"] = "double" if runtime.get().has_fp64 else "float"  # mean divides like numpy, in float64
        if divide:
            d["MEAN"] = 1
        if not runtime.get().is_gpu:
            d["BLOCKED"] = 1
        return d

    return _cached(("reduce", op, source, acc, out, divide), "reduce", defines)


def _launch_reduce(k, x, out, view, chunk, chunks, lanes, ways, divisor):
    n_out, length, inner = view
    launch.run(k.kernel, (n_out, ways * chunks), (lanes, ways), x, out, launch.i64(n_out), launch.i64(length),
               launch.i64(inner), launch.i64(chunk), k.div.type(1 if divisor is None else divisor))


def _reduce_run(x, outer, length, inner, op, acc, out_dtype, divisor):
    """One contiguous run: reduce the middle axis of ``x`` viewed as (outer, length, inner), flat output."""
    n_out = outer * inner
    out = memory.empty((n_out,), out_dtype)
    if n_out == 0:
        return out
    k = _reduce_kernel(op, x.dtype, acc, out_dtype, divisor is not None)
    lanes, ways, chunks = _plan(k, n_out, length, inner, split=True)
    if chunks == 1:
        _launch_reduce(k, x, out, (n_out, length, inner), length, 1, lanes, ways, divisor)
        return out
    chunk = -(-length // chunks)
    chunks = -(-length // chunk)
    partial = memory.empty((outer * chunks * inner,), acc)
    first = _reduce_kernel(op, x.dtype, acc, acc, False)
    _launch_reduce(first, x, partial, (n_out, length, inner), chunk, chunks, lanes, ways, None)
    second = _reduce_kernel(op, acc, acc, out_dtype, divisor is not None)
    lanes, ways, _ = _plan(second, n_out, chunks, inner, split=False)
    _launch_reduce(second, partial, out, (n_out, chunks, inner), chunks, 1, lanes, ways, divisor)
    return out


def _result_dtype(kind, dtype):
    """The numpy result dtype of the reduction ``kind`` over ``dtype`` (sum of int32 is int64, mean of ints float64)."""
    key = (kind, dtype)
    found = _result_dtypes.get(key)
    if found is None:
        sample = np.zeros(1, dtype)
        found = _result_dtypes[key] = np.dtype({"sum": np.sum, "prod": np.prod}.get(kind, np.mean)(sample).dtype)
    return found


def _reduce(x, axis, keepdims, op):
    x = creation.asarray(x)
    axes = _axes(axis, x.ndim)
    count = math.prod(x.shape[a] for a in axes)
    if op in ("max", "min") and count == 0:
        name = "maximum" if op == "max" else "minimum"
        raise ValueError(f"zero-size array to reduction operation {name} which has no identity")
    if op in ("sum", "mean", "prod"):
        out_dtype = _result_dtype(op, x.dtype)
        acc = out_dtype
    elif op in ("all", "any"):
        out_dtype = acc = np.dtype(np.bool_)
    else:
        out_dtype = acc = x.dtype
    shape = _out_shape(x.shape, axes, keepdims)
    runs = _runs(x.shape, axes)
    data = x
    for k, (outer, length, inner) in enumerate(runs):
        last = k == len(runs) - 1
        divisor = count if last and op == "mean" else None
        data = _reduce_run(data, outer, length, inner, "sum" if op == "mean" else op, acc,
                           out_dtype if last else acc, divisor)
    return DeviceArray(data.buffer, shape, out_dtype)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - the primitive's name is part of the interface
    return _reduce(x, axis, keepdims, "sum")


def mean(x, axis=None, keepdims=False):
    return _reduce(x, axis, keepdims, "mean")


def max(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce(x, axis, keepdims, "max")


def min(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce(x, axis, keepdims, "min")


def all(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce(x, axis, keepdims, "all")


def _row_defines(flag, dtype, **extra):
    """Defines of the argmax and softmax kernels for elements of ``dtype``."""
    t = cl_type(dtype)
    defines = {flag: 1, "T": t, "LOWEST": "0" if dtype.kind == "b" else _LOWEST[t], "LOCAL_MAX": _LOCAL_MAX, **extra}
    if dtype.kind == "f":
        defines["FLOATING"] = 1
    if not runtime.get().is_gpu:
        defines["BLOCKED"] = 1
    return defines


def prod(x, axis=None, keepdims=False):
    return _reduce(x, axis, keepdims, "prod")


def any(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce(x, axis, keepdims, "any")


def argmax(x, axis=None):
    """Index of the first maximum along ``axis`` (int64; NaN counts as the maximum, as in numpy)."""
    return _arg_extremum(x, axis, "argmax")


def argmin(x, axis=None):
    """Index of the first minimum along ``axis`` (int64; NaN counts as the minimum, as in numpy)."""
    return _arg_extremum(x, axis, "argmin")


def _arg_extremum(x, axis, name):
    x = creation.asarray(x)
    if axis is None:
        outer, length, inner, shape = 1, x.size, 1, ()
    else:
        (a,) = _axes(int(axis), x.ndim)
        outer, length, inner = math.prod(x.shape[:a]), x.shape[a], math.prod(x.shape[a + 1:])
        shape = x.shape[:a] + x.shape[a + 1:]
    if length == 0:
        raise ValueError(f"attempt to get {name} of an empty sequence")
    out = memory.empty(shape, np.int64)
    n_out = outer * inner
    if n_out == 0:
        return out
    if name == "argmin":
        t = cl_type(x.dtype)
        k = _cached(("argmin", x.dtype), "argmax", lambda: _row_defines(
            "ARGMAX", x.dtype, ARGMIN=1, LOWEST="1" if x.dtype.kind == "b" else _HIGHEST[t]))
    else:
        k = _cached(("argmax", x.dtype), "argmax", lambda: _row_defines("ARGMAX", x.dtype))
    lanes, ways, _ = _plan(k, n_out, length, inner, split=False)
    launch.run(k.kernel, (n_out, ways), (lanes, ways), x, out, launch.i64(n_out), launch.i64(length),
               launch.i64(inner))
    return out


# ----- softmax -----------------------------------------------------------------------------------
def _permute(x, dims, strides):
    """A contiguous copy of the strided view (``dims``, ``strides`` in elements) of ``x``'s buffer."""
    pad = _PERMUTE_DIMS - len(dims)
    out = memory.empty((x.size,), x.dtype)
    k = _cached(("permute", x.dtype), "permute", lambda: {"PERMUTE": 1, "T": cl_type(x.dtype)})
    args = [launch.i64(d) for d in (1,) * pad + tuple(dims)] + [launch.i64(s) for s in (0,) * pad + tuple(strides)]
    launch.run(k.kernel, x.size, 64, x, out, launch.i64(x.size), *args)
    return out


def _softmax_rows(x, n_rows, length, inner, log):
    """Softmax over the middle axis of ``x`` viewed as (outer, length, inner), ``n_rows`` = outer * inner."""
    out = memory.empty((x.size,), x.dtype)
    flags = {"LOG_SOFTMAX": 1} if log else {}
    k = _cached(("softmax", x.dtype, log), "softmax", lambda: _row_defines("SOFTMAX", x.dtype, **flags))
    if x.size:
        lanes, ways, _ = _plan(k, n_rows, length, inner, split=False)
        launch.run(k.kernel, (n_rows, ways), (lanes, ways), x, out, launch.i64(n_rows), launch.i64(length),
                   launch.i64(inner))
    return out


def _softmax(x, axis, log):
    x = creation.asarray(x)
    if x.dtype.kind != "f":  # numpy's exp of an integer difference is float64
        x = creation.cast(x, np.float64)
    axes = _axes(axis, x.ndim)
    groups = _groups(x.shape, axes)
    reduced = [k for k, (_, r) in enumerate(groups) if r]
    sizes = [size for size, _ in groups]
    if len(reduced) <= 1:  # one launch: the reduced axes are contiguous
        k = reduced[0] if reduced else len(groups)
        length = sizes[k] if reduced else 1
        outer, inner = math.prod(sizes[:k]), math.prod(sizes[k + 1:])
        out = _softmax_rows(x, outer * inner, length, inner, log)
        return DeviceArray(out.buffer, x.shape, x.dtype)
    if len(groups) > _PERMUTE_DIMS:
        raise ValueError(f"softmax over axes {axis} of an array of shape {x.shape}: the OpenCL backend handles at "
                         f"most {_PERMUTE_DIMS} alternating runs of reduced and kept axes.")
    # Axes that are not contiguous: move them last, take softmax over the rows, move them back.
    strides = [math.prod(sizes[k + 1:]) for k in range(len(sizes))]
    order = [k for k in range(len(groups)) if k not in reduced] + reduced
    moved = _permute(x, [sizes[k] for k in order], [strides[k] for k in order])
    length = math.prod(sizes[k] for k in reduced)
    rows = _softmax_rows(moved, x.size // length, length, 1, log)
    moved_strides = [math.prod(sizes[k] for k in order[i + 1:]) for i in range(len(order))]
    back = _permute(rows, sizes, [moved_strides[order.index(k)] for k in range(len(sizes))])
    return DeviceArray(back.buffer, x.shape, x.dtype)


def softmax(x, axis=-1):
    return _softmax(x, axis, log=False)


def log_softmax(x, axis=-1):
    return _softmax(x, axis, log=True)
