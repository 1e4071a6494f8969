"""Memory reuse for the numpy backend: scratch buffers for temporaries, recycled arrays for large outputs.

Why: a fresh large numpy array costs a page fault per 4 KB page on first write (about 0.1 to 0.6 ms
per MB on this project's machines), which for the temporaries and outputs of a convolution or an
optimizer step is tens of milliseconds per CNN training step. Reusing memory that has already been
touched removes that cost without changing a single result.

What it assumes:
- ``scratch`` buffers belong to one thread and one name; a caller uses one only until its next
  ``scratch`` call with the same name on the same thread, and never returns it (or a view of it).
- ``fresh`` relies on CPython's reference counting: an array in the pool is free when
  ``sys.getrefcount`` sees only the pool's own references (a view holds a reference to its base, so
  an array with live views stays taken). Another interpreter (PyPy) would need another test.
"""

import collections
import math
import sys
import threading

import numpy as np

_scratch_pool = threading.local()


def scratch(name, shape, dtype):
    """A work buffer reused from call to call (one per name and thread); never returned to callers.

    Each buffer grows to the largest size asked for and is kept for the life of the thread.
    """
    dtype = np.dtype(dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    pool = getattr(_scratch_pool, "buffers", None)
    if pool is None:
        pool = _scratch_pool.buffers = {}
    buffer = pool.get(name)
    if buffer is None or buffer.nbytes < nbytes:
        buffer = pool[name] = np.empty(max(nbytes, 64), dtype=np.uint8)
    return buffer[:nbytes].view(dtype).reshape(shape)


# ----- recycled outputs -------------------------------------------------------------------
# Large outputs of the heavy primitives are taken from a small per-shape pool of arrays that nothing
# references any more (the previous step's activations and gradients, once the tape has let them go).
RECYCLE_MIN_BYTES = 1 << 20
RECYCLE_PER_SHAPE = 6
RECYCLE_MAX_BYTES = 1 << 29  # beyond this, the least recently used shapes leave the pool
recycled = collections.OrderedDict()  # (shape, dtype) -> arrays, least recently used first
recycle_state = {"bytes": 0}
_recycle_lock = threading.Lock()
_FREE_REFS = 3  # the pool's list, the loop variable and getrefcount's argument


def fresh(shape, dtype):
    """An uninitialized array like ``np.empty(shape, dtype)``; a large one comes from the recycled pool."""
    dtype = np.dtype(dtype)
    shape = tuple(shape)
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes < RECYCLE_MIN_BYTES:
        return np.empty(shape, dtype=dtype)
    key = (shape, dtype.str)
    with _recycle_lock:
        arrays = recycled.setdefault(key, [])
        recycled.move_to_end(key)
        for array in arrays:
            if sys.getrefcount(array) == _FREE_REFS:
                return array
        array = np.empty(shape, dtype=dtype)
        if len(arrays) < RECYCLE_PER_SHAPE:
            arrays.append(array)
            recycle_state["bytes"] += nbytes
            while recycle_state["bytes"] > RECYCLE_MAX_BYTES and len(recycled) > 1:
                _, dropped = recycled.popitem(last=False)  # arrays still in use stay with their holders
                recycle_state["bytes"] -= sum(a.nbytes for a in dropped)
        return array


def recycled_ufunc(ufunc):
    """``ufunc(a, b)`` writing large float results into a recycled array (same-shape operands or a scalar)."""

    def apply(a, b):
        if type(a) is np.ndarray and a.dtype.kind == "f" and a.nbytes >= RECYCLE_MIN_BYTES:
            if (type(b) is np.ndarray and b.shape == a.shape and b.dtype == a.dtype) or isinstance(b, (int, float)):
                return ufunc(a, b, out=fresh(a.shape, a.dtype))
        return ufunc(a, b)

    apply.__name__ = ufunc.__name__
    return apply
