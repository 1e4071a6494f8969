"""Elementwise primitives: numpy-broadcasting maps over one to three operands (kernels in ``elementwise.cl``).

Result dtypes come from numpy itself: each primitive applies its numpy counterpart to empty stand-ins of
the operands (``_probe``), so promotion, NEP 50 weak Python scalars and the errors numpy raises (e.g.
subtracting booleans) are numpy's. Host scalars (Python or numpy scalars, 0-d numpy arrays) travel as
kernel scalar arguments, never uploaded.

Two kernels: ``ew_flat`` when every array operand has the output's size (or one
element), else ``ew_strided``, which walks the output's dimensions with per-operand strides (0 where an
operand is broadcast) after merging the dimensions that can be merged, up to ``MAX_RANK`` of them.
``gather`` exposes the strided copy to ``shape_ops`` (transpose, broadcast_to, slice).
"""

import numpy as np
import pyopencl.cltypes as cltypes
from kerasette.backends.opencl import creation, launch, memory, runtime
from kerasette.backends.opencl.indexing import index_type
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = [
    "add", "subtract", "multiply", "divide", "power", "maximum", "minimum", "equal", "not_equal", "greater",
    "greater_equal", "less", "less_equal", "logical_and", "where", "negative", "abs", "sign", "square", "sqrt",
    "exp", "log", "log1p", "tanh", "sigmoid", "erf", "clip", "isfinite", "relu_backward", "bias_add_relu",
]

_FILE = "elementwise.cl"
_LOCAL = 256
MAX_RANK = 8  # the IDX8 vectors of ew_strided
_ARRAY, _SCALAR, _SINGLE = 0, 1, 2  # operand modes, as in elementwise.cl
_EMPTY = {}  # dtype -> an empty array of it (the dtype probes' stand-in for a device array)


# ----- operands and dtypes -----------------------------------------------------------------------
def is_host_scalar(value):
    """Python and numpy scalars and 0-d numpy arrays: passed to kernels as scalar arguments."""
    return isinstance(value, (int, float, np.generic)) or (isinstance(value, np.ndarray) and value.ndim == 0)


def _empty(dtype):
    probe = _EMPTY.get(dtype)
    if probe is None:
        probe = _EMPTY[dtype] = np.empty(0, dtype)
    return probe


def _operands(values):
    """(device arrays and host scalars, their stand-ins for numpy's dtype rules)."""
    items, probes = [], []
    for value in values:
        if isinstance(value, DeviceArray):
            items.append(value)
            probes.append(_empty(value.dtype))
        elif is_host_scalar(value):
            if not isinstance(value, (int, float)) and value.dtype.kind not in "biuf":
                raise TypeError(f"The OpenCL backend holds numbers and booleans only; received {value!r}.")
            items.append(value)
            probes.append(value)
        else:
            array = creation.asarray(value)
            items.append(array)
            probes.append(_empty(array.dtype))
    return items, probes


def _probe(fn, probes):
    """``fn(*probes)``'s dtype (``fn`` may return the dtype itself).

    That is numpy's result type, and numpy's error for unsupported dtypes.
    """
    if any(isinstance(p, np.ndarray) and p.ndim for p in probes):
        result = fn(*probes)
    else:
        with np.errstate(all="ignore"):  # every operand a host scalar: numpy computes a value
            result = fn(*probes)
    return result if isinstance(result, np.dtype) else np.asarray(result).dtype


_VECTORS = {np.int32: cltypes.int8, np.int64: cltypes.long8}


def vec8(values, fill, dtype):
    """An OpenCL int8 / long8 argument: ``values`` innermost first (reversed), padded with ``fill``."""
    return np.array(tuple(reversed(values)) + (fill,) * (8 - len(values)), _VECTORS[dtype])


def contiguous_strides(shape):
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= n
    return tuple(reversed(strides))


def _broadcast_strides(shape, out_shape):
    lead = len(out_shape) - len(shape)
    own = contiguous_strides(shape)
    return (0,) * lead + tuple(0 if n == 1 else s for n, s in zip(shape, own))


def collapse(shape, strides_list):
    """Drop size-1 dimensions and merge neighbours that every operand walks contiguously.

    Returns (dims, [strides per operand]) with the same element order.
    """
    merged = []  # [size, [stride per operand]]
    for k, n in enumerate(shape):
        if n == 1:
            continue
        strides = [s[k] for s in strides_list]
        if merged and all(outer == inner * n for outer, inner in zip(merged[-1][1], strides)):
            merged[-1] = [merged[-1][0] * n, strides]
        else:
            merged.append([n, strides])
    dims = [m[0] for m in merged]
    return dims, [[m[1][j] for m in merged] for j in range(len(strides_list))]


# ----- the launcher ------------------------------------------------------------------------------
# Per call, Python work is a visible part of a small op's cost (kernel arguments alone cost ~15 us each on
# PoCL), so OpenCL type names and kernels are looked up in local caches and ew_strided takes few arguments.
_cl_names = {}
_kernels = {}  # (runtime, kernel name, define values) -> cl.Kernel


def _cl(dtype):
    name = _cl_names.get(dtype)
    if name is None:
        name = _cl_names[dtype] = cl_type(dtype)
    return name


def _kernel(name, defines):
    key = (runtime.get(), name) + tuple(defines.values())
    kernel = _kernels.get(key)
    if kernel is None:
        kernel = _kernels[key] = launch.kernel(_FILE, name, **defines)
    return kernel


def _map(op, items, out_dtype, compute_dtype, scalar_types=None, strided=None):
    """``out = op(*items)`` elementwise, broadcast like numpy.

    ``strided`` = (out_shape, strides, offset) instead reads the one array operand along ``strides`` (elements,
    one per output dimension) from element ``offset``: ``gather``.
    """
    arrays = [x for x in items if isinstance(x, DeviceArray)]
    if strided is not None:
        out_shape = strided[0]
    elif not arrays:
        out_shape = ()
    elif all(x.shape == arrays[0].shape for x in arrays):
        out_shape = arrays[0].shape
    else:
        out_shape = np.broadcast_shapes(*[x.shape for x in arrays])
    out = memory.empty(out_shape, out_dtype)
    n = out.size
    if n == 0:
        return out
    compute_dtype = np.dtype(compute_dtype)
    idx, idx_dtype = index_type(n, *[x.size for x in arrays])
    defines = {"OP": "OP_" + op, "TO": _cl(out.dtype), "TC": _cl(compute_dtype),
               "CFLOAT": int(compute_dtype.kind == "f"), "IDX": idx}
    modes, values, flat = [], [], True
    for k, x in enumerate(items):
        if isinstance(x, DeviceArray):
            mode = _SINGLE if strided is None and x.size == 1 and n != 1 else _ARRAY
            flat = flat and (mode == _SINGLE or x.size == n)
            dtype = x.dtype
            values.append(x)
        else:
            mode = _SCALAR
            dtype = np.dtype(scalar_types[k] if scalar_types and scalar_types[k] else compute_dtype)
            values.append(launch.scalar(x.item() if isinstance(x, np.ndarray) else x, dtype))
        modes.append(mode)
        defines[f"T{k}"], defines[f"M{k}"] = _cl(dtype), mode
    if flat and strided is None:
        launch.run(_kernel("ew_flat", defines), n, _LOCAL, out, idx_dtype(n), *values)
        return out
    walked = [k for k, m in enumerate(modes) if m == _ARRAY]
    if strided is None:
        strides = [_broadcast_strides(items[k].shape, out_shape) for k in walked]
        offset = ()
    else:
        strides = [strided[1]]
        offset = (idx_dtype(strided[2]),)
        defines["OFFSET"] = 1
    dims, strides = collapse(out_shape, strides)
    if len(dims) > MAX_RANK:
        raise ValueError(
            f"The OpenCL backend handles elementwise operations over at most {MAX_RANK} dimensions that cannot be "
            f"merged; received output shape {tuple(out_shape)}."
        )
    args = []
    for k, value in enumerate(values):
        args.append(value)
        if modes[k] == _ARRAY:
            args.append(vec8(strides[walked.index(k)], 0, idx_dtype))
    launch.run(_kernel("ew_strided", defines), n, _LOCAL, out, idx_dtype(n), vec8(dims, 1, idx_dtype), *offset, *args)
    return out


def gather(x, shape, strides, offset=0):
    """A contiguous array of ``shape`` whose element at index I is ``x``'s flat element offset + I . strides."""
    return _map("COPY", [x], x.dtype, x.dtype, strided=(tuple(shape), tuple(strides), offset))


# ----- binary ------------------------------------------------------------------------------------
_BOOL_OPS = {"ADD": "LOGICAL_OR", "MULTIPLY": "LOGICAL_AND"}  # numpy's bool + and * are or / and


def _arithmetic(op, ufunc, a, b):
    items, probes = _operands((a, b))
    out_dtype = _probe(ufunc, probes)
    if out_dtype == np.bool_:
        op = _BOOL_OPS.get(op, op)
    return _map(op, items, out_dtype, out_dtype)


def _compare_dtype(probes):
    """The type both sides of a comparison convert to.

    That is numpy's result type, widened for a Python int that does not fit it (numpy compares such ints
    exactly).
    """
    dtype = _probe(np.result_type, probes)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        for p in probes:
            if type(p) is int and not info.min <= p <= info.max:
                dtype = np.dtype(np.int64 if -(2**63) <= p < 2**63 and dtype != np.uint64 else np.float64)
                info = np.iinfo(dtype) if dtype.kind == "i" else None
                if info is None:
                    break
    return dtype


def _comparison(op, a, b):
    items, probes = _operands((a, b))
    return _map(op, items, np.bool_, _compare_dtype(probes))


def _primitive(name, body, doc):
    """A named primitive function ``body`` with ``doc`` (the primitives below differ only in op and ufunc)."""
    body.__name__ = body.__qualname__ = name
    body.__doc__ = doc
    return body


def _arithmetic_primitive(name, op, ufunc, doc=None):
    return _primitive(name, lambda a, b: _arithmetic(op, ufunc, a, b), doc or f"numpy's {ufunc.__name__}(a, b).")


def _comparison_primitive(name, op):
    return _primitive(name, lambda a, b: _comparison(op, a, b), f"numpy's {name}(a, b): a bool array.")


add = _arithmetic_primitive("add", "ADD", np.add)
subtract = _arithmetic_primitive("subtract", "SUBTRACT", np.subtract)
multiply = _arithmetic_primitive("multiply", "MULTIPLY", np.multiply)
divide = _arithmetic_primitive("divide", "DIVIDE", np.true_divide)
power = _arithmetic_primitive("power", "POWER", np.power, "numpy's power; integer bases to negative integer powers "
                              "give 0 (or +-1) instead of numpy's error.")
maximum = _arithmetic_primitive("maximum", "MAXIMUM", np.maximum)
minimum = _arithmetic_primitive("minimum", "MINIMUM", np.minimum)
equal = _comparison_primitive("equal", "EQUAL")
not_equal = _comparison_primitive("not_equal", "NOT_EQUAL")
greater = _comparison_primitive("greater", "GREATER")
greater_equal = _comparison_primitive("greater_equal", "GREATER_EQUAL")
less = _comparison_primitive("less", "LESS")
less_equal = _comparison_primitive("less_equal", "LESS_EQUAL")


def logical_and(a, b):
    items, probes = _operands((a, b))
    return _map("LOGICAL_AND", items, np.bool_, _probe(np.result_type, probes))


def where(condition, a, b):
    items, probes = _operands((condition, a, b))
    out_dtype = _probe(np.where, [_empty(np.dtype(np.bool_))] + probes[1:])
    return _map("WHERE", items, out_dtype, out_dtype, scalar_types=(np.bool_, None, None))


# ----- unary -------------------------------------------------------------------------------------
def _unary(op, ufunc, x):
    items, probes = _operands((x,))
    out_dtype = _probe(ufunc, probes)
    return _map(op, items, out_dtype, out_dtype)


def _unary_primitive(name, op, ufunc):
    return _primitive(name, lambda x: _unary(op, ufunc, x), f"numpy's {ufunc.__name__}(x).")


negative = _unary_primitive("negative", "NEGATIVE", np.negative)
abs = _unary_primitive("abs", "ABS", np.abs)  # noqa: A001 - the primitive's name is part of the interface
sign = _unary_primitive("sign", "SIGN", np.sign)
square = _unary_primitive("square", "SQUARE", np.square)
sqrt = _unary_primitive("sqrt", "SQRT", np.sqrt)
exp = _unary_primitive("exp", "EXP", np.exp)
log = _unary_primitive("log", "LOG", np.log)
log1p = _unary_primitive("log1p", "LOG1P", np.log1p)
tanh = _unary_primitive("tanh", "TANH", np.tanh)


def isfinite(x):
    items, probes = _operands((x,))
    return _map("ISFINITE", items, np.bool_, np.asarray(probes[0]).dtype)


def _float_compute(dtype):
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def sigmoid(x):
    """1 / (1 + exp(-x)), split by sign so exp never overflows; the output keeps x's dtype (as numpy's backend)."""
    items, probes = _operands((x,))
    dtype = np.asarray(probes[0]).dtype
    return _map("SIGMOID", items, dtype, _float_compute(dtype))


def erf(x):
    """OpenCL's erf; float32 and float64 keep their dtype, anything else gives float64."""
    items, probes = _operands((x,))
    dtype = _float_compute(np.asarray(probes[0]).dtype)
    return _map("ERF", items, dtype, dtype)


def clip(x, low, high):
    items, probes = _operands((x, low, high))
    out_dtype = _probe(np.clip, probes)
    return _map("CLIP", items, out_dtype, out_dtype)


# ----- fused -------------------------------------------------------------------------------------
def _strong_dtypes(probes):
    """The numpy result type with every operand as an array (as the numpy backend's np.asarray makes them)."""
    return np.result_type(*[np.asarray(p).dtype for p in probes])


def relu_backward(grad, y):
    """``grad`` where the ReLU output ``y`` is positive, else 0: (y > 0) * grad in one kernel."""
    items, probes = _operands((grad, y))
    dtype = _strong_dtypes(probes)
    return _map("RELU_BACKWARD", items, dtype, dtype, scalar_types=(None, np.asarray(probes[1]).dtype))


def bias_add_relu(x, bias):
    """``maximum(x + bias, 0)`` in one kernel (the bias broadcast along the last axis)."""
    items, probes = _operands((x, bias))
    dtype = _strong_dtypes(probes)
    return _map("BIAS_ADD_RELU", items, dtype, dtype)

