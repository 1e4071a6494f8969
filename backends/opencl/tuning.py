"""Per-device choice of GEMM kernel parameters: a short timing run over a few candidate sets.

Candidates are parameter sets for the kernels of ``kernels/gemm.cl``: ``reg`` (register blocking, no local
memory: what suits a CPU, where barriers are costly) and ``tiled`` (local-memory tiles: what suits a GPU). Sets
that do not fit the device (work-group size, local memory) are dropped; each of the rest is checked against a
plain kernel on an odd-shaped product, then all are timed in interleaved rounds on a square GEMM of the dtype
(512 on a CPU, 2048 on a GPU). The fastest wins, unless the default is within 5% of it.

The winner is kept in memory and as JSON in ``programs.cache_dir()``, keyed by device name, platform, driver,
the gemm.cl source and the candidate list, so a new driver or an edited kernel tunes again. Tuning runs by
itself on the first GEMM of a dtype with at least ``TUNE_MIN_FLOPS`` (smaller ones use the defaults until
then), or explicitly with ``python -m kerasette.backends.opencl.tuning`` (which always re-tunes).

``KERASETTE_OPENCL_TUNE=0`` turns tuning off: the defaults are used and no cache is read or written (for
reproducible CI runs). Nothing is written at import.
"""

import hashlib
import json
import os
import tempfile
import time

import numpy as np
from kerasette.backends.opencl import debug, programs, runtime

TUNE_MIN_FLOPS = 2 * 256**3  # a GEMM smaller than this never triggers tuning
TUNE_SIZES = {"cpu": 512, "gpu": 2048}  # the square GEMM timed (a GPU's must outweigh its launch overhead)
_CHECK_SHAPE = (67, 45, 131)  # (M, N, K) of the correctness check: odd, so every edge path runs
_ROUNDS = 5  # timing rounds, every candidate once per round
_MARGIN = 1.05  # another set must beat the default by this factor to be chosen

# Register blocking, no local memory. Keys: WPTM rows x NV vectors of VW columns per work-item, (LX, LY)
# work-items per group (PoCL runs a group's work-items in turn on one core: a tall, narrow group rereads one
# panel of B from cache).
REG_CANDIDATES = [
    {"kernel": "reg", "WPTM": 16, "NV": 2, "VW": 16, "LX": 1, "LY": 32},
    {"kernel": "reg", "WPTM": 16, "NV": 2, "VW": 16, "LX": 8, "LY": 8},
    {"kernel": "reg", "WPTM": 12, "NV": 2, "VW": 16, "LX": 4, "LY": 4},
    {"kernel": "reg", "WPTM": 8, "NV": 2, "VW": 16, "LX": 8, "LY": 8},
    {"kernel": "reg", "WPTM": 16, "NV": 2, "VW": 8, "LX": 1, "LY": 32},
    {"kernel": "reg", "WPTM": 12, "NV": 2, "VW": 8, "LX": 4, "LY": 4},
]
# Local-memory tiles. Keys: TM x TN tile of C per work-group, TK deep; WPTM x WPTN outputs per work-item;
# VWA / VWB vector widths of the global loads; PAD extra local columns.
TILED_CANDIDATES = [
    {"kernel": "tiled", "TM": 64, "TN": 64, "TK": 16, "WPTM": 4, "WPTN": 4, "VWA": 4, "VWB": 4, "PAD": 1},
    {"kernel": "tiled", "TM": 128, "TN": 128, "TK": 16, "WPTM": 8, "WPTN": 8, "VWA": 4, "VWB": 4, "PAD": 1},
    {"kernel": "tiled", "TM": 128, "TN": 64, "TK": 16, "WPTM": 8, "WPTN": 4, "VWA": 4, "VWB": 4, "PAD": 1},
    {"kernel": "tiled", "TM": 64, "TN": 64, "TK": 8, "WPTM": 8, "WPTN": 4, "VWA": 2, "VWB": 2, "PAD": 1},
    {"kernel": "tiled", "TM": 32, "TN": 32, "TK": 16, "WPTM": 2, "WPTN": 2, "VWA": 4, "VWB": 4, "PAD": 1},
]
CPU_DEFAULTS = {"float32": REG_CANDIDATES[0], "float64": REG_CANDIDATES[4]}  # 16 floats or 8 doubles: one AVX-512
GPU_DEFAULT = TILED_CANDIDATES[0]

_chosen = {}  # (runtime id, dtype name) -> params
_state = {"loaded": None}  # runtime id whose disk cache has been read


def enabled():
    return os.environ.get("KERASETTE_OPENCL_TUNE", "1").strip().lower() not in ("0", "false", "no", "off")


def candidates(rt=None, dtype=np.float32):
    """The candidate sets that fit the device.

    On a GPU the tiled ones and one ``reg`` to compare; on a CPU only the ``reg`` ones (local memory with
    barriers is slow there, and PoCL takes seconds to build each tiled one).
    """
    rt = rt or runtime.get()
    ordered = TILED_CANDIDATES + REG_CANDIDATES[:1] if rt.is_gpu else REG_CANDIDATES
    return [p for p in ordered if fits(p, rt, dtype)]


def all_candidates(rt=None, dtype=np.float32):
    """Every candidate set of both kinds that fits the device (what the tests check)."""
    rt = rt or runtime.get()
    return [p for p in REG_CANDIDATES + TILED_CANDIDATES if fits(p, rt, dtype)]


def fits(params, rt, dtype):
    """Whether ``params`` is well formed and fits the device's work-group size and local memory."""
    itemsize = np.dtype(dtype).itemsize
    if params["kernel"] == "reg":
        return params["LX"] * params["LY"] <= rt.max_work_group_size
    tm, tn, tk = params["TM"], params["TN"], params["TK"]
    if tm % params["WPTM"] or tn % params["WPTN"] or tk % params["VWA"] or tk % params["VWB"]:
        return False
    if tm % params["VWA"] or tn % params["VWB"]:
        return False
    threads = (tm // params["WPTM"]) * (tn // params["WPTN"])
    local_bytes = tk * (tm + tn + 2 * params["PAD"]) * itemsize
    return threads <= rt.max_work_group_size and local_bytes <= rt.device.local_mem_size


def default(rt=None, dtype=np.float32):
    rt = rt or runtime.get()
    preferred = GPU_DEFAULT if rt.is_gpu else CPU_DEFAULTS.get(np.dtype(dtype).name, REG_CANDIDATES[0])
    if fits(preferred, rt, dtype):
        return preferred
    return next(iter(all_candidates(rt, dtype)), {"kernel": "reg", "WPTM": 1, "NV": 1, "VW": 1, "LX": 1, "LY": 1})


def params(dtype, flops=0.0):
    """The parameter set for a GEMM of ``dtype``.

    The tuned one if known, tuning now when ``flops`` is large enough, else the device's default.
    """
    rt = runtime.get()
    dtype = np.dtype(dtype)
    if not enabled():
        return default(rt, dtype)
    key = (id(rt), dtype.name)
    found = _chosen.get(key)
    if found is not None:
        return found
    if _state["loaded"] != id(rt):
        _state["loaded"] = id(rt)
        for name, entry in _read_cache(rt).items():
            if entry.get("params") in all_candidates(rt, name):
                _chosen[(id(rt), name)] = entry["params"]
        found = _chosen.get(key)
        if found is not None:
            return found
    if flops < TUNE_MIN_FLOPS:
        return default(rt, dtype)
    return tune(dtype)["params"]


def cache_key(rt=None):
    rt = rt or runtime.get()
    digest = hashlib.sha256()
    for part in (rt.name, rt.platform, rt.driver, programs.source("gemm.cl"),
                 json.dumps(REG_CANDIDATES + TILED_CANDIDATES, sort_keys=True)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def cache_path(rt=None):
    return os.path.join(programs.cache_dir(), f"gemm-tuning-{cache_key(rt)[:24]}.json")


def _read_cache(rt):
    try:
        with open(cache_path(rt), encoding="utf-8") as f:
            data = json.load(f)
        return data.get("dtypes", {}) if data.get("key") == cache_key(rt) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_cache(rt, dtype_name, entry):
    data = {"key": cache_key(rt), "device": rt.name, "platform": rt.platform, "driver": rt.driver,
            "dtypes": dict(_read_cache(rt), **{dtype_name: entry})}
    path = cache_path(rt)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only means tuning again in the next process


def _time_once(p, a, b, c):
    from kerasette.backends.opencl import gemm

    queue = runtime.get().queue
    start = time.perf_counter()
    gemm.gemm_with(p, a, b, out=c)
    queue.finish()
    return time.perf_counter() - start


def time_params(p, a, b, c, min_seconds=0.05, max_runs=10):
    """The best wall time of one GEMM ``a @ b`` into ``c`` with ``p`` over a few runs.

    The runs follow a warm-up (which compiles).
    """
    _time_once(p, a, b, c)
    best, spent, runs = float("inf"), 0.0, 0
    while runs < 2 or (spent < min_seconds and runs < max_runs):
        elapsed = _time_once(p, a, b, c)
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    return best


def _checks_out(p, dtype):
    """Whether ``p`` matches the one-output-per-work-item kernel on an odd shape (a guard against miscompiles)."""
    from kerasette.backends.opencl import creation, gemm

    m, n, k = _CHECK_SHAPE
    rng = np.random.default_rng(0)
    a = creation.asarray(rng.uniform(-1, 1, (m, k)).astype(dtype))
    b = creation.asarray(rng.uniform(-1, 1, (k, n)).astype(dtype))
    got = creation.to_numpy(gemm.gemm_with(p, a, b))
    want = creation.to_numpy(gemm.gemm_with({"kernel": "simple"}, a, b))
    tolerance = 1e-4 if np.dtype(dtype) == np.float32 else 1e-10
    return bool(np.allclose(got, want, rtol=tolerance, atol=tolerance * k))


def tune(dtype=np.float32, size=None, verbose=False):
    """Time every fitting candidate on a ``size``^3 GEMM of ``dtype`` (default: by device kind).

    Remember (and cache) the fastest that computes correctly. Returns {"params", "gflops", "timings", "size"}.
    """
    from kerasette.backends.opencl import creation, memory

    rt = runtime.get()
    size = size or TUNE_SIZES["gpu" if rt.is_gpu else "cpu"]
    dtype = np.dtype(dtype)
    counters = debug.counters()  # tuning's own transfers are not the caller's: restore the counters after
    a = creation.full((size, size), 0.5, dtype)
    b = creation.full((size, size), 0.25, dtype)
    c = memory.empty((size, size), dtype)
    flops = 2.0 * size**3
    # Warm up (build) and check each candidate, then time them in interleaved rounds, best of each: a burst of
    # load from other processes then hits every candidate alike rather than one.
    usable, best_s = [], {}
    for p in candidates(rt, dtype):
        try:
            _time_once(p, a, b, c)
            if _checks_out(p, dtype):
                usable.append(p)
            elif verbose:
                print(f"  {_describe(p)}: WRONG RESULT, skipped")
        except (runtime.OpenCLError, runtime.DeviceOutOfMemoryError, RuntimeError) as error:
            if verbose:
                print(f"  {_describe(p)}: failed ({str(error).splitlines()[0]})")
    for _ in range(_ROUNDS):
        for i, p in enumerate(usable):
            best_s[i] = min(best_s.get(i, float("inf")), _time_once(p, a, b, c))
    timings = [{"params": p, "gflops": round(flops / best_s[i] / 1e9, 2)} for i, p in enumerate(usable)]
    if verbose:
        for t in timings:
            print(f"  {_describe(t['params'])}: {t['gflops']:8.2f} GFLOP/s")
    best = max(timings, key=lambda t: t["gflops"], default=None)
    preferred = next((t for t in timings if t["params"] == default(rt, dtype)), None)
    if best is not None and preferred is not None and best["gflops"] < _MARGIN * preferred["gflops"]:
        best = preferred  # within the noise of timing: keep the default, chosen for large sizes too
    best = {"params": best["params"], "gflops": best["gflops"]} if best else None
    debug.COUNTERS.update(counters)
    if best is None:
        best = {"params": default(rt, dtype), "gflops": None}
    entry = dict(best, timings=timings, size=size)
    _chosen[(id(rt), dtype.name)] = best["params"]
    _write_cache(rt, dtype.name, entry)
    return entry


def _describe(p):
    return " ".join(f"{k}={v}" for k, v in p.items())


def main():
    rt = runtime.get()
    print(f"Tuning GEMM on {rt.describe()}")
    for dtype in (np.float32, np.float64) if rt.has_fp64 else (np.float32,):
        print(f"{np.dtype(dtype).name}:")
        entry = tune(dtype, verbose=True)
        print(f"  chosen: {_describe(entry['params'])} ({entry['gflops']} GFLOP/s)")
    print(f"Saved in {cache_path(rt)}")


if __name__ == "__main__":
    main()
