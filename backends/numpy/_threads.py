"""Threads for the numpy backend: OpenBLAS's thread count, a small thread pool, and how work is split.

Why: the heavy primitives (GEMMs, convolutions, big elementwise passes, optimizer updates) split their
work over a small pool of threads while OpenBLAS is held at one thread. On a shared 2-vCPU machine
OpenBLAS's own threads spin while they wait for each other: when another process holds a core, a 1 ms
GEMM takes 12-24 ms, and a convolution made of small GEMMs 4x longer than on one thread. Pool threads
that wait sleep instead, so a busy machine costs the parallel speedup and no more. Plain GEMMs are
split over the same pool (``gemm``): OpenBLAS's own threads would keep spinning after each GEMM and
slow down the pool's work that follows.

What it assumes:
- numpy releases the GIL inside BLAS calls and ufunc loops, so pool threads run numpy work in parallel.
- The BLAS is an OpenBLAS found in the process as threadpoolctl finds it: a library whose path in
  ``/proc/self/maps`` (Linux) contains "openblas" and that exports ``openblas_get_num_threads`` /
  ``openblas_set_num_threads`` (or the ``scipy_openblas`` names, with or without the ``64_`` suffix),
  called through ctypes. Its thread count is process-wide. Without such a library (another BLAS,
  another OS) the pool is off: kernels run serially and the BLAS keeps its own threading.
- ``KERASETTE_NUM_THREADS`` sets the pool size (default: OpenBLAS's own thread count, i.e.
  OPENBLAS_NUM_THREADS / OMP_NUM_THREADS or the number of cores); 1 turns the pool off.
- Tasks given to ``parallel`` are independent (they write disjoint outputs), so results do not depend
  on the number of threads.
"""

import concurrent.futures
import ctypes
import math
import os
import threading

import numpy as np
from kerasette.backends.numpy import _half

PARALLEL_ELEMENTS = 1 << 17  # below this, an elementwise pass is not worth splitting over threads

# Convolutions and pooling work on a few images at a time, so that their temporaries (the im2col
# block, GEMM partial sums, the gradient rows) stay in the CPU cache instead of making round trips
# to memory: each chunk's largest temporary is kept near this size. The chunks are spread over the pool.
CHUNK_BYTES = 1 << 20

UPDATE_BLOCK = 1 << 16  # elements per block: the ~10 passes of an optimizer update run on a block while it is in cache


class Threads:
    """The pool size, the OpenBLAS controls, and the pool itself (created on first use, again after a fork)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.local = threading.local()
        self.get_blas, self.set_blas = openblas_thread_controls()
        default = self.get_blas() if self.get_blas else 1
        try:
            workers = int(os.environ.get("KERASETTE_NUM_THREADS") or default)
        except ValueError:
            workers = default
        self.workers = max(1, min(workers, os.cpu_count() or 1))
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
        """A context manager: OpenBLAS at one thread for its duration.

        The setting is process-wide; the outermost exit restores the previous count.
        """
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


def openblas_functions(*names):
    """The functions ``names`` (e.g. "get_num_threads") of the OpenBLAS loaded in this process, or None.

    Looks for each name with the ``scipy_openblas`` or ``openblas`` prefix, with or without the ``64_``
    suffix, in the first loaded OpenBLAS that exports all of them.
    """
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split(maxsplit=5)[5].strip() for line in f
                     if "openblas" in line.lower() and len(line.split(maxsplit=5)) == 6}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                functions = [getattr(lib, f"{prefix}_{name}{suffix}", None) for name in names]
                if all(f is not None for f in functions):
                    return functions
    return None


def openblas_thread_controls():
    """(get, set) for the thread count of the OpenBLAS loaded in this process, or (None, None)."""
    functions = openblas_functions("get_num_threads", "set_num_threads")
    if functions is None:
        return None, None
    getter, setter = functions
    getter.restype, setter.restype = ctypes.c_int, None
    setter.argtypes = [ctypes.c_int]
    return getter, setter


def openblas_kernels():
    """The name of the kernel set the loaded OpenBLAS runs ("Haswell", "SkylakeX", ...), or None.

    A build for many CPUs picks it when it loads, from the CPU or from ``OPENBLAS_CORETYPE``.
    """
    functions = openblas_functions("get_corename")
    if functions is None:
        return None
    functions[0].restype = ctypes.c_char_p
    name = functions[0]()
    return name.decode(errors="replace") if name else None


_threads_state = None


def threads():
    """The process's ``Threads`` (found and sized on first use)."""
    global _threads_state
    if _threads_state is None:
        _threads_state = Threads()
    return _threads_state


# ----- splitting work -------------------------------------------------------------------------
def splits(n, min_size=1):
    """Up to one contiguous (start, stop) range of ``range(n)`` per worker, each at least ``min_size`` long."""
    parts = max(1, min(threads().workers, n // max(min_size, 1)))
    bounds = [n * i // parts for i in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def split_if_large(n, elements, min_size):
    """``splits(n, min_size)`` for a pass over at least ``2 * PARALLEL_ELEMENTS`` elements, else ``range(n)`` whole."""
    return splits(n, min_size) if elements >= 2 * PARALLEL_ELEMENTS else [(0, n)]


def row_ranges(shape):
    """Ranges of the first axis to split an elementwise pass over the pool (one range when small)."""
    if not shape:
        return [(0, 1)]
    size = math.prod(shape)
    per_row = max(1, size // max(shape[0], 1))
    return split_if_large(shape[0], size, -(-PARALLEL_ELEMENTS // per_row))


def parallel(tasks):
    """Run the callables ``tasks`` (independent numpy work that releases the GIL) over the pool.

    OpenBLAS is single-threaded meanwhile; returns their results in order. Nested calls run serially.
    """
    state = threads()
    if state.workers == 1 or len(tasks) < 2 or getattr(state.local, "inside", False):
        return [task() for task in tasks]  # serial: GEMMs inside go through gemm's thread policy
    with state.single_blas():

        def run(group):
            state.local.inside = True
            try:
                return [task() for task in group]
            finally:
                state.local.inside = False

        groups = [tasks[i :: state.workers] for i in range(state.workers)]
        futures = [state.pool().submit(run, group) for group in groups[1:] if group]
        results = {0: run(groups[0])}
        for i, future in enumerate(futures, 1):
            results[i] = future.result()
        return [results[i % state.workers][i // state.workers] for i in range(len(tasks))]


def by_rows(shape, work):
    """Run ``work(start, stop)`` over ranges of the first axis of an array of ``shape``, spread over the pool."""
    ranges = row_ranges(shape)
    if len(ranges) == 1:  # small: no task list (batch-1 inference is mostly such calls)
        work(*ranges[0])
        return
    parallel([lambda a=a, b=b: work(a, b) for a, b in ranges])


def image_chunks(n, bytes_per_image):
    step = max(1, min(n, CHUNK_BYTES // max(bytes_per_image, 1)))
    return [(start, min(start + step, n)) for start in range(0, n, step)]


def by_images(n, bytes_per_image, work):
    """Run ``work(start, stop)`` over cache-sized chunks of images, the chunks spread over the thread pool."""
    chunks = image_chunks(n, bytes_per_image)
    if len(chunks) == 1:  # a few images (batch-1 inference): one thread-setting switch for all the chunk's GEMMs
        with threads().single_blas():
            return [work(*chunks[0])]
    return parallel([lambda a=a, b=b: work(a, b) for a, b in chunks])


def in_place_blocks(update, variable, gradient, *slots):
    """Run ``update(variable, gradient, *slots)`` on matching flat blocks, in place.

    So only on C-contiguous arrays; anything else is updated whole. Blocks spread over the thread pool for
    large variables.
    """
    arrays = (variable,) + slots
    if np.shape(gradient) != variable.shape:
        gradient = np.broadcast_to(gradient, variable.shape)
    if variable.size <= UPDATE_BLOCK or not all(a.flags.c_contiguous and a.flags.writeable for a in arrays):
        update(variable, gradient, *slots)
        return variable
    flat = [a.reshape(-1) for a in arrays]
    grad = np.ascontiguousarray(gradient).reshape(-1)
    size = variable.size

    def run(first, last):
        for a in range(first, last, UPDATE_BLOCK):
            b = min(a + UPDATE_BLOCK, last)
            update(flat[0][a:b], grad[a:b], *[f[a:b] for f in flat[1:]])

    parallel([lambda a=a, b=b: run(a, b) for a, b in split_if_large(size, size, PARALLEL_ELEMENTS)])
    return variable


# ----- plain GEMMs: split over the pool -----------------------------------------------------
# Below this, a GEMM runs whole on one thread: the pool's hand-off (40-60 us here) would cost more than
# the second thread saves (a 16 MFLOP GEMM takes about 0.15 ms on one thread).
SPLIT_MIN_FLOPS = 16e6
SPLIT_MIN_ROWS = 32  # rows (or columns) per part: narrower parts run well below the GEMM's speed
# OpenBLAS runs small products on one thread whatever its setting: a GEMM with m*n*k <= 65536 * 4
# (interface/gemm.c: SMP_THRESHOLD_MIN * GEMM_MULTITHREAD_THRESHOLD), and a GEMV (numpy's path for a
# product with one row or one column) with fewer than 2304 * 4 matrix elements (interface/gemv.c). Below
# these bounds (a quarter and 0.9 of them) gemm leaves the setting alone: a switch costs more than the product.
SINGLE_THREAD_GEMM = 65536
SINGLE_THREAD_GEMV = 8192


def gemm(a, b, out=None):
    """``np.matmul(a, b, out=out)`` with OpenBLAS at one thread, split over the pool when large.

    Why not OpenBLAS's own threads: they spin for a while after each GEMM, and in a training step the
    convolutions and elementwise passes that follow run on the pool's threads, which then share the
    cores with spinning threads (measured: the CNN's convolutions 1.5x slower inside a step than alone,
    and about 80 ms of spinning CPU time per step). Splitting over the pool costs a hand-off and no
    spinning; large GEMMs run about as fast as with OpenBLAS's two threads.

    Large 2-D products are split by rows of ``a`` (or by columns of ``b`` when ``a`` has few rows),
    batched ones by their leading batch axis; every part writes its own slice of the output, so the
    result is the same as one ``np.matmul``.
    """
    if a.dtype == np.float16 or b.dtype == np.float16:  # no BLAS: SGEMM on float32 copies, rounded back
        return _half.half_gemm(gemm, a, b, out)
    state = _threads_state or threads()
    if state.workers == 1 or a.ndim < 2 or b.ndim < 2 or getattr(state.local, "inside", False):
        return np.matmul(a, b, out=out)
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    if a.ndim == b.ndim == 2:
        if m * k * n < (SINGLE_THREAD_GEMV if m == 1 or n == 1 else SINGLE_THREAD_GEMM):
            return np.matmul(a, b, out=out)  # OpenBLAS runs it on one thread anyway: no setting to change
        batch = ()
    else:
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    if 2.0 * m * k * n * math.prod(batch) < SPLIT_MIN_FLOPS:
        with state:
            return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty(batch + (m, n), np.result_type(a, b))
    tasks = _gemm_parts(a, b, out, batch, m, n)
    if len(tasks) == 1:
        with state.single_blas():
            tasks[0]()
    else:
        parallel(tasks)
    return out


def _gemm_parts(a, b, out, batch, m, n):
    """Tasks that write ``a @ b`` into ``out`` one slice each (one task when no split fits)."""

    def rows(r0, r1):
        np.matmul(a[..., r0:r1, :], b, out=out[..., r0:r1, :])

    def cols(c0, c1):
        np.matmul(a, b[..., c0:c1], out=out[..., c0:c1])

    def items(i0, i1):  # a slice of the leading batch axis; an operand without that axis is broadcast
        part = [x[i0:i1] if x.ndim == out.ndim and x.shape[0] != 1 else x for x in (a, b)]
        np.matmul(part[0], part[1], out=out[i0:i1])

    if batch and batch[0] >= threads().workers:
        return [lambda i0=i0, i1=i1: items(i0, i1) for i0, i1 in splits(batch[0])]
    if m >= n and m >= 2 * SPLIT_MIN_ROWS:
        return [lambda r0=r0, r1=r1: rows(r0, r1) for r0, r1 in splits(m, SPLIT_MIN_ROWS)]
    if n >= 2 * SPLIT_MIN_ROWS:
        return [lambda c0=c0, c1=c1: cols(c0, c1) for c0, c1 in splits(n, SPLIT_MIN_ROWS)]
    return [lambda: np.matmul(a, b, out=out)]
