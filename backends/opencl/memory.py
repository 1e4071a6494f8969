"""Device arrays, the buffer allocator and host transfers.

A ``DeviceArray`` is a C-contiguous block of device memory with a shape and a dtype. Reshaping
shares the block (like a numpy view); every other primitive writes a new array, except the
in-place ones (``assign`` and the optimizer updates). Buffers come from a pool, so the arrays a
training step frees are reused by the next step without new device allocations.
"""

import math
import threading

import numpy as np
import pyopencl as cl
import pyopencl.tools
from kerasette.backends.opencl import debug, runtime

# dtype name -> OpenCL C type. bool is stored as one byte (0 or 1).
CL_TYPES = {
    "float32": "float", "float64": "double", "int8": "char", "int16": "short", "int32": "int", "int64": "long",
    "uint8": "uchar", "uint16": "ushort", "uint32": "uint", "uint64": "ulong", "bool": "uchar",
}

_pool = {"pool": None, "runtime": None}
_upload_queue = {"queue": None, "runtime": None, "lock": threading.Lock()}


class DeviceArray:
    """A contiguous array in device memory."""

    __slots__ = ("buffer", "shape", "dtype", "__weakref__")

    def __init__(self, buffer, shape, dtype):
        self.buffer = buffer
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)

    @property
    def size(self):
        return math.prod(self.shape)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def nbytes(self):
        return self.size * self.dtype.itemsize

    def __repr__(self):
        return f"<DeviceArray shape={self.shape} dtype={self.dtype.name}>"


def cl_type(dtype):
    """The OpenCL C type that stores ``dtype``."""
    name = np.dtype(dtype).name
    if name == "float16":
        raise TypeError(_no_float16(runtime.get()))
    if name not in CL_TYPES:
        raise TypeError(f"The OpenCL backend does not support dtype {name}. Supported: {sorted(CL_TYPES)}.")
    if name == "float64" and not runtime.get().has_fp64:
        raise TypeError(f"The OpenCL device {runtime.get().name} has no float64 support (cl_khr_fp64); use float32.")
    return CL_TYPES[name]


def _no_float16(rt):
    """Why ``rt``'s device cannot hold float16 arrays (float16 and mixed_float16 policies), naming the device."""
    if not rt.has_fp16:
        return (f"The OpenCL backend does not support dtype float16 on device {rt.name} ({rt.platform}, driver "
                f"{rt.driver}): the device has no cl_khr_fp16, so it cannot compute in float16 ('float16' and "
                "'mixed_float16' dtype policies). Use 'float32', or the numpy backend.")
    return (f"The OpenCL backend does not support dtype float16 yet: device {rt.name} reports cl_khr_fp16, but "
            "kerasette's OpenCL kernels have no half versions, so it cannot compute in float16 ('float16' and "
            "'mixed_float16' dtype policies). Use 'float32', or the numpy backend.")


def _memory_pool():
    rt = runtime.get()
    if _pool["runtime"] is not rt:
        _pool["pool"] = cl.tools.MemoryPool(cl.tools.ImmediateAllocator(rt.queue))
        _pool["runtime"] = rt
    return _pool["pool"]


def allocate(nbytes):
    """A pooled device buffer of at least ``nbytes`` (at least one byte); a clear error when the device is full."""
    rt = runtime.get()
    nbytes = max(int(nbytes), 1)
    if nbytes > rt.max_alloc_size:
        raise runtime.DeviceOutOfMemoryError(
            f"Out of device memory on OpenCL device {rt.name}: one array needs {nbytes / 2**20:.1f} MiB, more than "
            f"the device's largest allocation ({rt.max_alloc_size / 2**20:.0f} MiB). Reduce batch_size (or the "
            "model's size)."
        )
    pool = _memory_pool()
    try:
        return pool.allocate(nbytes)
    except (cl.MemoryError, cl.RuntimeError) as error:
        pool.free_held()
        try:
            return pool.allocate(nbytes)
        except (cl.MemoryError, cl.RuntimeError):
            raise runtime.DeviceOutOfMemoryError(
                f"Out of device memory on OpenCL device {rt.name} while allocating {nbytes / 2**20:.1f} MiB "
                f"({error}). Reduce batch_size (or the model's size)."
            ) from None


def empty(shape, dtype):
    """An uninitialised device array."""
    shape = tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"Negative dimension in shape {shape}.")
    dtype = np.dtype(dtype)
    cl_type(dtype)
    return DeviceArray(allocate(math.prod(shape) * dtype.itemsize), shape, dtype)


def upload(host):
    """A device copy of a numpy array (one host-to-device transfer)."""
    shape = np.shape(host)  # ascontiguousarray makes a 0-d array 1-d
    host = np.ascontiguousarray(host)
    if host.dtype == np.bool_:
        host = host.view(np.uint8)
        out = empty(shape, np.bool_)
    else:
        out = empty(shape, host.dtype)
    if host.size:
        cl.enqueue_copy(runtime.get().queue, out.buffer, host, is_blocking=True)
        debug.count("host_to_device")
    return out


def download(array):
    """A numpy copy of a device array (one device-to-host transfer)."""
    host = np.empty(array.shape, np.uint8 if array.dtype == np.bool_ else array.dtype)
    if host.size:
        cl.enqueue_copy(runtime.get().queue, host, array.buffer, is_blocking=True)
        debug.count("device_to_host")
    return host.view(np.bool_) if array.dtype == np.bool_ else host


def copy_buffer(source, target, nbytes):
    """Device-to-device copy of ``nbytes`` (an enqueued command, counted as a kernel launch)."""
    if nbytes:
        cl.enqueue_copy(runtime.get().queue, target.buffer, source.buffer, byte_count=nbytes)
        debug.count("kernel_launches")


class ThreadUploader:
    """Uploads arrays from another thread (the data thread, one batch ahead of the step); made on the main thread.

    What keeps this thread-safe: the thread makes OpenCL calls only (thread-safe since OpenCL 1.1;
    pyopencl releases the GIL in them) and touches none of the backend's Python state (the pool, the
    counters, the kernel caches). Each array gets a buffer of its own (``clCreateBuffer``), not one
    from the pool: a pooled block the main thread freed may still be read by kernels waiting in the
    main queue, and a write from another queue would race them; a new buffer aliases nothing, and
    OpenCL keeps a released buffer alive until the commands using it finish. The write goes through a
    second in-order queue (so it does not wait behind the step's kernels) and is blocking: the array
    is complete before the main thread sees it, so the step needs no event to wait on. The transfer is
    not counted here: ``count`` adds it on the main thread, to the step that takes the batch.
    """

    def __init__(self):
        self.runtime = runtime.get()
        with _upload_queue["lock"]:
            if _upload_queue["runtime"] is not self.runtime:
                _upload_queue["queue"] = cl.CommandQueue(self.runtime.context)
                _upload_queue["runtime"] = self.runtime
            self.queue = _upload_queue["queue"]
        self._types = {name for name in CL_TYPES if name != "float64" or self.runtime.has_fp64}

    def upload(self, host):
        """A device copy of the numpy array ``host`` and its transfer count, or None to leave it to the main thread.

        None for what ``upload`` on the main thread should handle, with its errors: a dtype the device
        cannot hold, an array larger than one allocation, or an allocation that fails (device full).

        Args:
            host: a numpy array.

        Returns:
            ``(DeviceArray, transfers)`` (transfers is 0 for an empty array), or None.
        """
        if np.dtype(host.dtype).name not in self._types:
            return None
        shape = np.shape(host)
        host = np.ascontiguousarray(host)
        dtype = host.dtype
        if dtype == np.bool_:
            host = host.view(np.uint8)
        nbytes = max(host.nbytes, 1)
        if nbytes > self.runtime.max_alloc_size:
            return None
        try:
            buffer = cl.Buffer(self.runtime.context, cl.mem_flags.READ_WRITE, nbytes)
            if host.size:
                cl.enqueue_copy(self.queue, buffer, host, is_blocking=True)
        except (cl.MemoryError, cl.RuntimeError):
            return None
        return DeviceArray(buffer, shape, dtype), int(host.size > 0)

    @staticmethod
    def count(transfers):
        """Count ``transfers`` uploads made by the thread (call on the main thread)."""
        if transfers:
            debug.count("host_to_device", transfers)
