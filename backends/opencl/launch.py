"""The launcher: enqueue a kernel over a global range, with scalar arguments typed for OpenCL.

Each launch is counted (and, when the queue profiles, its event kept for ``debug.kernel_times``).
"""

import numpy as np
import pyopencl as cl
from kerasette.backends.opencl import debug, programs, runtime
from kerasette.backends.opencl.memory import DeviceArray


def scalar(value, dtype):
    """``value`` as a numpy scalar of ``dtype`` (bool as uchar), as a kernel argument."""
    dtype = np.dtype(dtype)
    return np.uint8(bool(value)) if dtype == np.bool_ else dtype.type(value)


def i32(value):
    return np.int32(value)


def i64(value):
    return np.int64(value)


def round_up(n, multiple):
    return -(-n // multiple) * multiple


def run(kernel, global_size, local_size, *args):
    """Enqueue ``kernel`` (a cl.Kernel) with ``args``: DeviceArrays pass their buffers, numpy scalars pass as is.

    ``global_size`` is an int or a tuple; a global size with a zero skips the launch. With a
    ``local_size``, the global size is rounded up to a multiple of it (kernels guard their edges).
    """
    global_size = (global_size,) if isinstance(global_size, (int, np.integer)) else tuple(global_size)
    if any(g == 0 for g in global_size):
        return
    if local_size is not None:
        local_size = (local_size,) if isinstance(local_size, (int, np.integer)) else tuple(local_size)
        global_size = tuple(round_up(g, loc) for g, loc in zip(global_size, local_size))
    kernel.set_args(*[a.buffer if isinstance(a, DeviceArray) else a for a in args])
    rt = runtime.get()
    try:
        event = cl.enqueue_nd_range_kernel(rt.queue, kernel, global_size, local_size)
    except cl.MemoryError as error:
        raise runtime.DeviceOutOfMemoryError(
            f"Out of device memory on OpenCL device {rt.name} running kernel {kernel.function_name} ({error}). "
            "Reduce batch_size (or the model's size)."
        ) from None
    debug.count("kernel_launches")
    if rt.profiling:  # KERASETTE_DEBUG=3
        debug.record(kernel.function_name, event)


def kernel(filename, name, **defines):
    """Shorthand for ``programs.kernel``."""
    return programs.kernel(filename, name, defines)
