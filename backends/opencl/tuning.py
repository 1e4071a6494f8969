"""Per-device choice of GEMM kernel parameters: a short timing run over a few candidate sets.

Candidates are parameter sets for the kernels of ``kernels/gemm.cl``: ``reg`` (register blocking, no local
memory: what suits a CPU, where barriers are costly) and ``tiled`` (local-memory tiles: what suits a GPU). Sets
that do not fit the device (work-group size, local memory) are dropped; the rest run a 512^3 GEMM of the dtype
and the fastest wins, after a check of its result on an odd-shaped product.

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
TUNE_SIZE = 512
_CHECK_SHAPE = (67, 45, 131)  # (M, N, K) of the correctness check: odd, so every edge path runs

# Register blocking, no local memory. Keys: WPTM rows x NV vectors of VW columns per work-item, (LX, LY)
# work-items per group.
REG_CANDIDATES = [
    {"kernel": "reg", "WPTM": 4, "NV": 2, "VW": 8, "LX": 8, "LY": 8},
    {"kernel": "reg", "WPTM": 6, "NV": 2, "VW": 8, "LX": 8, "LY": 4},
    {"kernel": "reg", "WPTM": 8, "NV": 1, "VW": 8, "LX": 8, "LY": 8},
    {"kernel": "reg", "WPTM": 4, "NV": 4, "VW": 4, "LX": 4, "LY": 16},
    {"kernel": "reg", "WPTM": 4, "NV": 1, "VW": 16, "LX": 8, "LY": 8},
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
CPU_DEFAULT = REG_CANDIDATES[0]
GPU_DEFAULT = TILED_CANDIDATES[0]

_chosen = {}  # (runtime id, dtype name) -> params
_state = {"loaded": None}  # runtime id whose disk cache has been read


def enabled():
    return os.environ.get("KERASETTE_OPENCL_TUNE", "1").strip().lower() not in ("0", "false", "no", "off")


def candidates(rt=None, dtype=np.float32):
    """The candidate sets that fit the device: the kind that suits it first, one of the other kind to compare."""
    rt = rt or runtime.get()
    ordered = TILED_CANDIDATES + REG_CANDIDATES[:1] if rt.is_gpu else REG_CANDIDATES + TILED_CANDIDATES[-1:]
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
    preferred = GPU_DEFAULT if rt.is_gpu else CPU_DEFAULT
    if fits(preferred, rt, dtype):
        return preferred
    return next(iter(all_candidates(rt, dtype)), {"kernel": "reg", "WPTM": 1, "NV": 1, "VW": 1, "LX": 1, "LY": 1})


def params(dtype, flops=0.0):
    """The parameter set for a GEMM of ``dtype``: the tuned one if known, tuning now when ``flops`` is large
    enough, else the device's default."""
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


def time_params(p, a, b, c, min_seconds=0.05, max_runs=10):
    """The best wall time of one (M, N, K) GEMM with ``p`` over a few runs, after a warm-up (which compiles)."""
    from kerasette.backends.opencl import gemm

    queue = runtime.get().queue
    gemm.gemm_with(p, a, b, out=c)
    queue.finish()
    best, spent, runs = float("inf"), 0.0, 0
    while runs < 2 or (spent < min_seconds and runs < max_runs):
        start = time.perf_counter()
        gemm.gemm_with(p, a, b, out=c)
        queue.finish()
        elapsed = time.perf_counter() - start
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


def tune(dtype=np.float32, size=TUNE_SIZE, verbose=False):
    """Time every fitting candidate on a ``size``^3 GEMM of ``dtype``; remember (and cache) the fastest that
    computes correctly. Returns {"params", "gflops", "timings"}."""
    from kerasette.backends.opencl import creation, memory

    rt = runtime.get()
    dtype = np.dtype(dtype)
    counters = debug.counters()  # tuning's own transfers are not the caller's: restore the counters after
    a = creation.full((size, size), 0.5, dtype)
    b = creation.full((size, size), 0.25, dtype)
    c = memory.empty((size, size), dtype)
    flops = 2.0 * size**3
    timings, best = [], None
    for p in candidates(rt, dtype):
        try:
            seconds = time_params(p, a, b, c)
            ok = _checks_out(p, dtype)
        except (runtime.OpenCLError, runtime.DeviceOutOfMemoryError, RuntimeError) as error:
            if verbose:
                print(f"  {_describe(p)}: failed ({str(error).splitlines()[0]})")
            continue
        gflops = flops / seconds / 1e9
        timings.append({"params": p, "gflops": round(gflops, 2), "correct": ok})
        if verbose:
            print(f"  {_describe(p)}: {gflops:8.2f} GFLOP/s{'' if ok else '  WRONG RESULT, skipped'}")
        if ok and (best is None or gflops > best["gflops"]):
            best = {"params": p, "gflops": round(gflops, 2)}
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
