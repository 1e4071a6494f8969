"""Creation, transfer and dtype primitives.

asarray, to_numpy, zeros/ones/full, arange, cast, copy, reshape and assign.
"""

import math

import numpy as np
from kerasette.backends.opencl import launch, memory
from kerasette.backends.opencl.memory import DeviceArray, cl_type

_FILE = "creation.cl"
_LOCAL = 64


def _n(array):
    return launch.i64(array.size)


def asarray(value, dtype=None):
    """A device array of ``value`` (a DeviceArray passes through, cast if ``dtype`` differs)."""
    if isinstance(value, DeviceArray):
        return value if dtype is None or np.dtype(dtype) == value.dtype else cast(value, dtype)
    host = np.asarray(value, dtype=dtype)
    if host.dtype.kind not in "biuf":
        raise TypeError(f"The OpenCL backend holds numbers and booleans only; received an array of dtype {host.dtype}.")
    return memory.upload(host)


def to_numpy(x):
    if isinstance(x, DeviceArray):
        return memory.download(x)
    return np.array(x, copy=True)


def full(shape, value, dtype):
    dtype = np.dtype(dtype)
    out = memory.empty(shape, dtype)
    kernel = launch.kernel(_FILE, "fill", T=cl_type(dtype))
    launch.run(kernel, out.size, _LOCAL, out, launch.scalar(value, dtype), _n(out))
    return out


def zeros(shape, dtype):
    return full(shape, 0, dtype)


def ones(shape, dtype):
    return full(shape, 1, dtype)


def arange(start, stop, step, dtype):
    dtype = np.dtype(dtype)
    count = max(0, math.ceil((stop - start) / step))
    out = memory.empty((count,), dtype)
    acc = "double" if memory.runtime.get().has_fp64 else "float"
    kernel = launch.kernel(_FILE, "arange", T=cl_type(dtype), ACC=acc)
    launch.run(kernel, count, _LOCAL, out, launch.scalar(start, acc == "double" and np.float64 or np.float32),
               launch.scalar(step, acc == "double" and np.float64 or np.float32), _n(out))
    return out


def shape(x):
    return x.shape if isinstance(x, DeviceArray) else np.shape(x)


def dtype(x):
    return x.dtype.name if isinstance(x, DeviceArray) else np.asarray(x).dtype.name


def cast(x, dtype):
    x = asarray(x)
    dtype = np.dtype(dtype)
    if dtype == x.dtype:
        return x
    out = memory.empty(x.shape, dtype)
    defines = {"TI": cl_type(x.dtype), "TO": cl_type(dtype)}
    if dtype == np.bool_:
        defines["TO_BOOL"] = 1
    launch.run(launch.kernel(_FILE, "cast", **defines), out.size, _LOCAL, x, out, _n(out))
    return out


def copy(x):
    x = asarray(x)
    out = memory.empty(x.shape, x.dtype)
    memory.copy_buffer(x, out, x.nbytes)
    return out


def reshape(x, shape):
    """The same buffer with a new shape (one ``-1`` allowed), like a numpy view."""
    x = asarray(x)
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise ValueError(f"Can only infer one dimension in reshape; received {shape}.")
    if -1 in shape:
        known = math.prod(s for s in shape if s != -1)
        if known == 0 or x.size % known:
            raise ValueError(f"Cannot reshape an array of size {x.size} into shape {shape}.")
        shape = tuple(x.size // known if s == -1 else s for s in shape)
    if math.prod(shape) != x.size:
        raise ValueError(f"Cannot reshape an array of size {x.size} into shape {shape}.")
    return DeviceArray(x.buffer, shape, x.dtype)


def assign(target, value):
    """Write ``value`` (broadcast and cast to the target's dtype) into ``target``'s buffer."""
    value = value if isinstance(value, DeviceArray) else asarray(np.asarray(value))
    if value.dtype != target.dtype:
        value = cast(value, target.dtype)
    if value.shape != target.shape:
        from kerasette.backends.opencl.shape_ops import broadcast_to

        value = broadcast_to(value, target.shape)
    if value.buffer is not target.buffer:
        memory.copy_buffer(value, target, target.nbytes)
    return target
