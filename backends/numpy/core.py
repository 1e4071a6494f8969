"""Numpy primitives: creation, elementwise math, reductions, shapes, matmul and optimizer updates.

Also the machinery the heavy primitives share (here and in ``nn``): reused scratch buffers for
temporaries, a recycled pool for large outputs (page faults), a small thread pool that runs work
split over images or rows with OpenBLAS single-threaded meanwhile, and the thread policy of GEMMs.
"""

import builtins
import collections
import concurrent.futures
import ctypes
import math
import os
import sys
import threading
import time

import numpy as np

_scratch_pool = threading.local()


def _scratch(name, shape, dtype):
    """A work buffer reused from call to call (one per name and thread); never returned to callers.

    Large fresh arrays cost page faults on first touch (about 0.1 ms per MB here), which for the
    temporaries of a convolution or an optimizer step is a sizeable part of a training step. Each
    buffer grows to the largest size asked for and is kept for the life of the thread.
    """
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    pool = getattr(_scratch_pool, "buffers", None)
    if pool is None:
        pool = _scratch_pool.buffers = {}
    buffer = pool.get(name)
    if buffer is None or buffer.nbytes < nbytes:
        buffer = pool[name] = np.empty(builtins.max(nbytes, 64), dtype=np.uint8)
    return buffer[:nbytes].view(dtype).reshape(shape)


# ----- recycled outputs -------------------------------------------------------------------
# A fresh large array costs a page fault per 4 KB page on first write: about 0.6 ms per MB on this
# project's VMs, i.e. tens of milliseconds per CNN training step. Large outputs of the heavy primitives
# are therefore taken from a small per-shape pool of arrays that nothing references any more (the
# previous step's activations and gradients, once the tape has let them go): CPython's reference
# count says when an array is free, views included (a view holds a reference to its base).
_RECYCLE_MIN_BYTES = 1 << 20
_RECYCLE_PER_SHAPE = 6
_RECYCLE_MAX_BYTES = 1 << 29  # beyond this, the least recently used shapes leave the pool
_recycled = collections.OrderedDict()  # (shape, dtype) -> arrays, least recently used first
_recycle_state = {"bytes": 0}
_recycle_lock = threading.Lock()
_FREE_REFS = 3  # the pool's list, the loop variable and getrefcount's argument


def _fresh(shape, dtype):
    """An uninitialized array like ``np.empty(shape, dtype)``; a large one comes from the recycled pool."""
    dtype = np.dtype(dtype)
    shape = tuple(shape)
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes < _RECYCLE_MIN_BYTES:
        return np.empty(shape, dtype=dtype)
    key = (shape, dtype.str)
    with _recycle_lock:
        arrays = _recycled.setdefault(key, [])
        _recycled.move_to_end(key)
        for array in arrays:
            if sys.getrefcount(array) == _FREE_REFS:
                return array
        array = np.empty(shape, dtype=dtype)
        if len(arrays) < _RECYCLE_PER_SHAPE:
            arrays.append(array)
            _recycle_state["bytes"] += nbytes
            while _recycle_state["bytes"] > _RECYCLE_MAX_BYTES and len(_recycled) > 1:
                _, dropped = _recycled.popitem(last=False)  # arrays still in use stay with their holders
                _recycle_state["bytes"] -= builtins.sum(a.nbytes for a in dropped)
        return array


def _recycled_ufunc(ufunc):
    """``ufunc(a, b)`` writing large float results into a recycled array (same-shape operands or a scalar)."""

    def apply(a, b):
        if type(a) is np.ndarray and a.dtype.kind == "f" and a.nbytes >= _RECYCLE_MIN_BYTES:
            if (type(b) is np.ndarray and b.shape == a.shape and b.dtype == a.dtype) or isinstance(b, (int, float)):
                return ufunc(a, b, out=_fresh(a.shape, a.dtype))
        return ufunc(a, b)

    apply.__name__ = ufunc.__name__
    return apply


# ----- threads ---------------------------------------------------------------------------
# The heavy kernels (GEMMs, convolutions, big elementwise passes) split their work over a small pool
# of threads -- numpy releases the GIL inside BLAS calls and ufunc loops -- while OpenBLAS is held at
# one thread. On a shared 2-vCPU machine OpenBLAS's own threads spin while they wait for each other:
# when another process holds a core, a 1 ms GEMM takes 12-24 ms, and a convolution made of small
# GEMMs 4x longer than on one thread. Pool threads that wait sleep instead, so a busy machine costs
# the parallel speedup and no more. KERASETTE_NUM_THREADS sets the pool size (default: OpenBLAS's own
# thread count, i.e. OPENBLAS_NUM_THREADS / OMP_NUM_THREADS or the number of cores); 1 turns the pool
# off, and then kernels run serially and OpenBLAS keeps its own threading, as it also does without
# an OpenBLAS whose thread count can be set (found in the process as threadpoolctl finds it).
class _Threads:
    def __init__(self):
        self.lock = threading.Lock()
        self.local = threading.local()
        self.get_blas, self.set_blas = _openblas_thread_controls()
        default = self.get_blas() if self.get_blas else 1
        try:
            workers = int(os.environ.get("KERASETTE_NUM_THREADS") or default)
        except ValueError:
            workers = default
        self.workers = builtins.max(1, builtins.min(workers, os.cpu_count() or 1))
        if self.set_blas is None:
            self.workers = 1
        self.executor, self.pid = None, None
        self.depth, self.saved = 0, None

    def pool(self):
        if self.executor is None or self.pid != os.getpid():  # a forked child needs threads of its own
            self.executor = concurrent.futures.ThreadPoolExecutor(self.workers - 1, "kerasette-numpy")
            self.pid = os.getpid()
        return self.executor

    def single_blas(self):
        """A context manager: OpenBLAS at one thread for its duration (process-wide; the outermost exit
        restores the previous count)."""
        return self

    def __enter__(self):
        if self.set_blas is not None and self.workers > 1:
            with self.lock:
                if self.depth == 0:
                    self.saved = self.get_blas()
                    self.set_blas(1)
                self.depth += 1
        return self

    def __exit__(self, *exc):
        if self.set_blas is not None and self.workers > 1:
            with self.lock:
                self.depth -= 1
                if self.depth == 0:
                    self.set_blas(self.saved)


def _openblas_thread_controls():
    """(get, set) for the thread count of the OpenBLAS loaded in this process, or (None, None)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split(maxsplit=5)[5].strip() for line in f
                     if "openblas" in line.lower() and len(line.split(maxsplit=5)) == 6}
    except OSError:
        return None, None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                setter = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if getter is not None and setter is not None:
                    getter.restype, setter.restype = ctypes.c_int, None
                    setter.argtypes = [ctypes.c_int]
                    return getter, setter
    return None, None


_threads_state = None


def _threads():
    global _threads_state
    if _threads_state is None:
        _threads_state = _Threads()
    return _threads_state


def _splits(n, min_size=1):
    """Up to one contiguous (start, stop) range of ``range(n)`` per worker, each at least ``min_size`` long."""
    parts = builtins.max(1, builtins.min(_threads().workers, n // builtins.max(min_size, 1)))
    bounds = [n * i // parts for i in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def _parallel(tasks):
    """Run the callables ``tasks`` (independent numpy work that releases the GIL) over the pool, OpenBLAS
    single-threaded meanwhile; returns their results in order. Nested calls run serially."""
    threads = _threads()
    if threads.workers == 1 or len(tasks) < 2 or getattr(threads.local, "inside", False):
        return [task() for task in tasks]  # serial: GEMMs inside go through _gemm's thread policy
    with threads.single_blas():

        def run(group):
            threads.local.inside = True
            try:
                return [task() for task in group]
            finally:
                threads.local.inside = False

        groups = [tasks[i :: threads.workers] for i in range(threads.workers)]
        futures = [threads.pool().submit(run, group) for group in groups[1:] if group]
        results = {0: run(groups[0])}
        for i, future in enumerate(futures, 1):
            results[i] = future.result()
        return [results[i % threads.workers][i // threads.workers] for i in range(len(tasks))]


def asarray(value, dtype=None):
    return np.asarray(value, dtype=dtype)


def to_numpy(x):
    return np.array(x, copy=True)


def zeros(shape, dtype):
    return np.zeros(shape, dtype=dtype)


def ones(shape, dtype):
    return np.ones(shape, dtype=dtype)


def full(shape, value, dtype):
    return np.full(shape, value, dtype=dtype)


def arange(start, stop, step, dtype):
    return np.arange(start, stop, step, dtype=dtype)


def shape(x):
    return x.shape if type(x) is np.ndarray else np.shape(x)


_DTYPE_NAMES = {}


def dtype(x):
    d = x.dtype if type(x) is np.ndarray else np.asarray(x).dtype
    name = _DTYPE_NAMES.get(d)
    if name is None:  # dtype.name is computed on every access (several microseconds)
        name = _DTYPE_NAMES[d] = d.name
    return name


def cast(x, dtype):
    return np.asarray(x).astype(dtype, copy=False)


def copy(x):
    return np.array(x, copy=True)


add = _recycled_ufunc(np.add)
subtract = _recycled_ufunc(np.subtract)
multiply = _recycled_ufunc(np.multiply)
maximum = np.maximum
minimum = np.minimum
equal = np.equal
not_equal = np.not_equal
greater = np.greater
greater_equal = np.greater_equal
less = np.less
less_equal = np.less_equal
logical_and = np.logical_and
where = np.where
negative = np.negative
abs = np.abs  # noqa: A001 - the primitive's name is part of the interface
sign = np.sign
square = np.square
sqrt = np.sqrt
exp = np.exp
log = np.log
log1p = np.log1p
tanh = np.tanh
isfinite = np.isfinite


def divide(a, b):
    return np.true_divide(a, b)


def power(a, b):
    return np.power(a, b)


def sigmoid(x):
    # Split by sign so exp never overflows.
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def erf(x):
    x = np.asarray(x)
    if x.dtype in (np.float32, np.float16):
        return _erf_fast(x).astype(x.dtype)
    return _erf_float64(x)


def _erf_fast(x):
    # Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7, enough for float32.
    z = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-z * z))


_ERF_SERIES_LIMIT = 2.5
_ERFC_FRACTION_DEPTH = 50


def _erf_float64(x):
    """erf to a few ulps in float64 (the float32 approximation is off by 1e-7).

    Below |x| = 2.5: erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)),
    a series of positive terms (no cancellation). Above: erfc(x) from its continued
    fraction exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
    """
    z = np.abs(x).astype(np.float64)
    out = np.empty_like(z)
    small = z < _ERF_SERIES_LIMIT
    s = z[small]
    term, total, ratio, n = s, s, 2.0 * s * s, 0
    while term.size and np.any(term > 1e-17 * total):
        n += 1
        term = term * ratio / (2 * n + 1)
        total = total + term
    out[small] = (2.0 / np.sqrt(np.pi)) * np.exp(-s * s) * total
    big = z[~small]
    with np.errstate(invalid="ignore"):  # nan inputs stay nan
        fraction = big
        for k in range(_ERFC_FRACTION_DEPTH, 0, -1):
            fraction = big + (0.5 * k) / fraction
        out[~small] = 1.0 - np.exp(-big * big) / (np.sqrt(np.pi) * fraction)
    return np.copysign(out, x)


def clip(x, low, high):
    return np.clip(x, low, high)


# The reductions call the ufunc's reduce directly on arrays (what np.sum / np.max do after their checks).
def sum(x, axis=None, keepdims=False):  # noqa: A001
    if type(x) is np.ndarray:
        return np.add.reduce(x, axis=axis, keepdims=keepdims)
    return np.sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    if type(x) is np.ndarray:
        return np.maximum.reduce(x, axis=axis, keepdims=keepdims)
    return np.max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    if type(x) is np.ndarray:
        return np.minimum.reduce(x, axis=axis, keepdims=keepdims)
    return np.min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis):
    return np.argmax(x, axis=axis)


def all(x, axis=None, keepdims=False):  # noqa: A001
    return np.all(x, axis=axis, keepdims=keepdims)


def reshape(x, shape):
    return np.reshape(x, shape)


def transpose(x, axes):
    return np.transpose(x, axes)


def broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


def concatenate(arrays, axis):
    return np.concatenate(arrays, axis=axis)


def slice(x, starts, stops):  # noqa: A001
    index = tuple(builtins.slice(a, b) for a, b in zip(starts, stops))
    return np.array(np.asarray(x)[index], copy=True)  # a copy, as the interface promises


def pad(x, pad_width, value):
    return np.pad(x, pad_width, mode="constant", constant_values=value)


def one_hot(indices, depth, dtype):
    # Out-of-range indices (-1 included) give all-zero rows, as in TensorFlow and JAX.
    indices = np.asarray(indices).astype(np.int64, copy=False)
    return (indices[..., None] == np.arange(depth)).astype(dtype)


class _GemmThreads:
    """Which thread count ``matmul`` gives OpenBLAS: its own (fastest on a quiet machine: its threads
    hand work over in microseconds, where a pool hand-off through the OS takes about 0.1 ms here), or
    one thread for a while after a GEMM stalled.

    A stall is a GEMM slower than 4x a conservative single-thread estimate (50 GFLOP/s), and over 1 ms:
    what happens to OpenBLAS's spinning threads when another process holds a core (a 0.5 ms GEMM taking
    12-24 ms). After one, GEMMs run single-threaded for ``HOLD_S`` seconds, then threads are tried again.
    """

    SINGLE_THREAD_FLOPS = 50e9
    HOLD_S = 2.0

    def __init__(self):
        self.single_until = 0.0

    def matmul(self, a, b, flops, out=None):
        if time.monotonic() < self.single_until:
            with _threads().single_blas():
                return np.matmul(a, b, out=out)
        start = time.perf_counter()
        out = np.matmul(a, b, out=out)
        elapsed = time.perf_counter() - start
        if elapsed > 1e-3 and elapsed > 4 * flops / self.SINGLE_THREAD_FLOPS:
            self.single_until = time.monotonic() + self.HOLD_S
        return out


_gemm_threads = _GemmThreads()


def _gemm(a, b, out=None):
    """``np.matmul(a, b, out=out)`` with OpenBLAS's threads governed by ``_GemmThreads``, unless the caller
    already holds BLAS at one thread (inside ``_parallel``) or the pool is off."""
    threads = _threads()
    if threads.workers == 1 or threads.depth or a.ndim < 2 or b.ndim < 2:
        return np.matmul(a, b, out=out)
    flops = 2.0 * a.shape[-2] * a.shape[-1] * b.shape[-1] * math.prod(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]))
    return _gemm_threads.matmul(a, b, flops, out)


def matmul(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 2 and b.ndim == 2 and a.dtype.kind == "f" and a.shape[1] == b.shape[0]:
        return _gemm(a, b, out=_fresh((a.shape[0], b.shape[1]), np.result_type(a, b)))
    return _gemm(a, b)


def assign(target, value):
    np.copyto(target, value, casting="same_kind")
    return target


# ----- in-place optimizer updates ----------------------------------------------
# The same float operations, in the same order, as the composite formulas in kerasette.optimizers,
# so the results are identical; only the temporaries are reused instead of allocated, and large
# variables are updated in slices over the thread pool.
_PARALLEL_ELEMENTS = 1 << 17
_UPDATE_BLOCK = 1 << 16  # elements per block: the ~10 passes of an update run on a block while it is in cache


def _in_place(update, variable, gradient, *slots):
    """Run ``update(variable, gradient, *slots)`` on matching flat blocks, in place (so only on C-contiguous
    arrays; anything else is updated whole). Blocks spread over the thread pool for large variables."""
    arrays = (variable,) + slots
    if np.shape(gradient) != variable.shape:
        gradient = np.broadcast_to(gradient, variable.shape)
    if variable.size <= _UPDATE_BLOCK or not all(a.flags.c_contiguous and a.flags.writeable for a in arrays):
        update(variable, gradient, *slots)
        return variable
    flat = [a.reshape(-1) for a in arrays]
    grad = np.ascontiguousarray(gradient).reshape(-1)
    size = variable.size

    def run(first, last):
        for a in range(first, last, _UPDATE_BLOCK):
            b = builtins.min(a + _UPDATE_BLOCK, last)
            update(flat[0][a:b], grad[a:b], *[f[a:b] for f in flat[1:]])

    ranges = _splits(size, _PARALLEL_ELEMENTS) if size >= 2 * _PARALLEL_ELEMENTS else [(0, size)]
    _parallel([lambda a=a, b=b: run(a, b) for a, b in ranges])
    return variable


def adam_update(variable, gradient, momentum, velocity, alpha, beta_1, beta_2, epsilon):
    def update(w, g, m, v):
        t = _scratch("update_a", w.shape, w.dtype)
        np.subtract(g, m, out=t)
        np.multiply(t, 1.0 - beta_1, out=t)
        np.add(m, t, out=m)
        np.square(g, out=t)
        np.subtract(t, v, out=t)
        np.multiply(t, 1.0 - beta_2, out=t)
        np.add(v, t, out=v)
        u = _scratch("update_b", w.shape, w.dtype)
        np.sqrt(v, out=t)
        np.add(t, epsilon, out=t)
        np.multiply(m, alpha, out=u)
        np.divide(u, t, out=u)
        np.subtract(w, u, out=w)

    return _in_place(update, variable, gradient, momentum, velocity)


def rmsprop_update(variable, gradient, velocity, learning_rate, rho, epsilon):
    def update(w, g, v):
        t = _scratch("update_a", w.shape, w.dtype)
        np.multiply(v, rho, out=v)
        np.square(g, out=t)
        np.multiply(t, 1.0 - rho, out=t)
        np.add(v, t, out=v)
        np.add(v, epsilon, out=t)
        np.sqrt(t, out=t)
        u = _scratch("update_b", w.shape, w.dtype)
        np.multiply(g, learning_rate, out=u)
        np.divide(u, t, out=u)
        np.subtract(w, u, out=w)

    return _in_place(update, variable, gradient, velocity)
