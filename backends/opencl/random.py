"""Random streams on the device: uniform, normal, dropout masks and permutations.

Every number comes from a counter-based generator (Philox-4x32-10, see ``random.cl``) as a pure function of
the seed pair and the element's index, so the same seed gives the same numbers and nothing is uploaded.
The numbers differ from the numpy backend's (numpy's Philox is the 4x64 variant), not their distributions.
"""

import math

import numpy as np
from kerasette.backends.opencl import launch, memory, runtime
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["random_uniform", "random_normal", "random_permutation", "dropout_mask"]

_FILE = "random.cl"
_LOCAL = 64
_SORT_BLOCK = 512  # entries a work-group sorts in local memory (BLOCK_MAX in random.cl)
_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
_cache = {"runtime": None, "kernels": {}}


def _kernel(name, flag, dtype=None):
    """The kernel ``name`` (compiled with ``flag``) for outputs of ``dtype``, looked up once per runtime."""
    rt = runtime.get()
    if _cache["runtime"] is not rt:
        _cache["runtime"], _cache["kernels"] = rt, {}
    found = _cache["kernels"].get((name, dtype))
    if found is None:
        defines = {flag: 1} if dtype is None else _defines(flag, dtype)
        found = _cache["kernels"][(name, dtype)] = launch.kernel(_FILE, name, **defines)
    return found


def _seed_words(seed):
    """The Philox key (k0, k1) and upper counter words (c0, c1) of a seed pair (an int is (seed, 0))."""
    first, second = (seed, 0) if isinstance(seed, (int, np.integer)) else seed
    first, second = int(first) & _MASK64, int(second) & _MASK64
    return [np.uint32(first & _MASK32), np.uint32(first >> 32), np.uint32(second & _MASK32), np.uint32(second >> 32)]


def _float_type(dtype):
    """The type numbers are drawn in: double for float64 outputs, else float."""
    return np.dtype(np.float64 if dtype == np.float64 else np.float32)


def _defines(flag, dtype):
    f = _float_type(dtype)
    defines = {flag: 1, "T": cl_type(dtype), "F": cl_type(f)}
    if f == np.float64:
        defines["DOUBLE"] = 1
    return defines


def random_uniform(shape, low, high, dtype, seed):
    """Uniform in [low, high): ``u * (high - low) + low`` in the output's float type, as in the numpy backend."""
    dtype = np.dtype(dtype)
    out = memory.empty(shape, dtype)
    f = _float_type(dtype)
    scale, low_f, high_f = f.type(high - low), f.type(low), f.type(high)
    top = np.nextafter(high_f, f.type(-np.inf)) if high_f > low_f else high_f
    per = 2 if f == np.float64 else 4
    kernel = _kernel("uniform", "UNIFORM", dtype)
    launch.run(kernel, -(-out.size // per), _LOCAL, out, launch.i64(out.size), *_seed_words(seed), scale, low_f, top)
    return out


def random_normal(shape, mean, stddev, dtype, seed):
    """Normal by Box-Muller, scaled as ``z * stddev + mean``."""
    dtype = np.dtype(dtype)
    out = memory.empty(shape, dtype)
    f = _float_type(dtype)
    per = 2 if f == np.float64 else 4
    kernel = _kernel("normal", "NORMAL", dtype)
    launch.run(kernel, -(-out.size // per), _LOCAL, out, launch.i64(out.size), *_seed_words(seed),
               f.type(stddev), f.type(mean))
    return out


def dropout_mask(shape, rate, dtype, seed):
    """``1 / (1 - rate)`` where a 32-bit draw is at least ``rate * 2**32`` (probability 1 - rate), else 0."""
    dtype = np.dtype(dtype)
    out = memory.empty(shape, dtype)
    threshold = np.uint32(min(int(round(rate * 2.0**32)), _MASK32))
    scale = launch.scalar(1.0 / (1.0 - rate), dtype)
    kernel = _kernel("dropout", "DROPOUT", dtype)
    launch.run(kernel, -(-out.size // 4), _LOCAL, out, launch.i64(out.size), *_seed_words(seed), threshold, scale)
    return out


def random_permutation(n, seed):
    """A permutation of range(n) (int64): indices sorted by 64-bit random keys (bitonic sort on the device)."""
    n = int(n)
    if n == 0:
        return memory.empty((0,), np.int64)
    padded = max(2, 1 << (n - 1).bit_length())
    size = min(padded, _SORT_BLOCK, 2 * _group_limit())
    keys = memory.empty((padded,), np.uint64)
    vals = memory.empty((padded,), np.int64)
    pairs = padded // 2
    sort = _kernel("perm_block_sort", "PERMUTATION")
    launch.run(sort, pairs, size // 2, keys, vals, launch.i64(n), *_seed_words(seed))
    merge = _kernel("perm_block_merge", "PERMUTATION")
    step = _kernel("perm_global_step", "PERMUTATION")
    k = 2 * size
    while k <= padded:
        j = k // 2
        while j >= size:
            launch.run(step, pairs, _LOCAL, keys, vals, launch.i64(j), launch.i64(k), launch.i64(pairs))
            j //= 2
        launch.run(merge, pairs, size // 2, keys, vals, launch.i64(k))
        k *= 2
    return DeviceArray(vals.buffer, (n,), np.int64)  # the padding sorted to the end, past the first n


def _group_limit():
    """The largest power-of-two work-group size the device allows (the sort kernels use at most 256)."""
    limit = runtime.get().max_work_group_size
    return 1 << (int(math.log2(limit)))
