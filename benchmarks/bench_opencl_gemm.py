"""OpenCL GEMM GFLOP/s next to numpy's matmul, same machine, same run; prints a table and writes a JSON.

    python benchmarks/bench_opencl_gemm.py [--sizes 128 256 512] [--dtype float32] [--repeats 3] [--out FILE]

Square sizes default to 128-2048 on a CPU device (4096 is slow on PoCL: ask with --sizes) and to 128-4096 on
a GPU. The deep-learning shapes are a Dense layer's products (128x784x512, 128x512x512, 128x512x10) and a
3x3 convolution's im2col GEMM at batch 128 (86528x288x64), with its two gradient products (transposed
operands). The GEMM parameters are tuned (or read from the tuning cache) before timing; the chosen set is
recorded. Each figure is the best of at least ``repeats`` runs after a warm-up (more for quick ones); the
OpenCL time includes waiting for the queue, not host transfers. Results go to
``benchmarks/results/opencl_gemm_<date>.json``.
"""

import argparse
import datetime
import json
import os
import platform
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DL_SHAPES = [  # (label, M, N, K, transpose_a, transpose_b)
    ("dense 784->512 fwd", 128, 512, 784, False, False),
    ("dense 512->512 fwd", 128, 512, 512, False, False),
    ("dense 512->10 fwd", 128, 10, 512, False, False),
    ("conv 3x3 32->64 im2col fwd", 86528, 64, 288, False, False),
    ("conv 3x3 32->64 dW (cols^T g)", 288, 64, 86528, True, False),
    ("conv 3x3 32->64 dX (g W^T)", 86528, 288, 64, False, True),
]


def best_time(fn, repeats, min_seconds=0.3, max_runs=200):
    """The best of at least ``repeats`` runs after a warm-up, more for quick ones (up to ``min_seconds`` in all):
    the machine may be shared, and the best run is the one least disturbed."""
    fn()
    best, spent, runs = float("inf"), 0.0, 0
    while runs < repeats or (spent < min_seconds and runs < max_runs):
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    return best


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return None


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")),
                        platform.processor())
    except OSError:
        return platform.processor()


def row(label, m, n, k, transpose_a, transpose_b, dtype, repeats):
    from kerasette.backends.opencl import creation, gemm, runtime

    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (k, m) if transpose_a else (m, k)).astype(dtype)
    b = rng.uniform(-1, 1, (n, k) if transpose_b else (k, n)).astype(dtype)
    flops = 2.0 * m * n * k
    host_a, host_b = (a.T if transpose_a else a), (b.T if transpose_b else b)
    host_c = np.empty((m, n), dtype)
    numpy_s = best_time(lambda: np.matmul(host_a, host_b, out=host_c), repeats)
    da, db = creation.asarray(a), creation.asarray(b)
    dc = gemm.gemm(da, db, transpose_a, transpose_b)
    queue = runtime.get().queue

    def device_gemm():
        gemm.gemm(da, db, transpose_a, transpose_b, out=dc)
        queue.finish()

    opencl_s = best_time(device_gemm, repeats)
    error = float(np.max(np.abs(creation.to_numpy(dc) - host_c))) if host_c.size else 0.0
    return {"label": label, "m": m, "n": n, "k": k, "transpose_a": transpose_a, "transpose_b": transpose_b,
            "gflop": flops / 1e9, "opencl_gflops": flops / opencl_s / 1e9, "numpy_gflops": flops / numpy_s / 1e9,
            "opencl_ms": opencl_s * 1e3, "numpy_ms": numpy_s * 1e3, "max_abs_diff": error}


def format_table(report):
    lines = [f"device: {report['device']}", f"host: {report['cpu']} ({report['cores']} cores), numpy "
             f"{report['numpy']}; load average before/after: {report['load_before']} / {report['load_after']}",
             f"dtype {report['dtype']}, tuned parameters: {report['params']}", ""]
    header = (f"{'GEMM':32} {'M':>6} {'N':>6} {'K':>6} {'op':>3} {'OpenCL GFLOP/s':>15} {'numpy GFLOP/s':>14} "
              f"{'ratio':>6}")
    lines += [header, "-" * len(header)]
    for r in report["rows"]:
        op = ("T" if r["transpose_a"] else "N") + ("T" if r["transpose_b"] else "N")
        ratio = r["opencl_gflops"] / r["numpy_gflops"]
        lines.append(f"{r['label']:32} {r['m']:6d} {r['n']:6d} {r['k']:6d} {op:>3} {r['opencl_gflops']:15.1f} "
                     f"{r['numpy_gflops']:14.1f} {ratio:6.2f}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="square sizes (default 128-2048 on a CPU, to 4096 on "
                        "a GPU)")
    parser.add_argument("--no-dl", action="store_true", help="skip the deep-learning shapes")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", help="result file (default benchmarks/results/opencl_gemm_<date>.json)")
    args = parser.parse_args(argv)

    from kerasette import backends

    backends.load_backend("opencl").initialize()
    from kerasette.backends.opencl import runtime, tuning

    rt = runtime.get()
    sizes = args.sizes or ([128, 256, 512, 1024, 2048] + ([4096] if rt.is_gpu else []))
    params = tuning.params(args.dtype, flops=float("inf"))  # tunes now unless cached (or KERASETTE_OPENCL_TUNE=0)
    report = {"date": datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S"), "device": rt.describe(),
              "cpu": cpu_name(), "cores": os.cpu_count(), "numpy": np.__version__, "dtype": args.dtype,
              "params": params, "tuning": "on" if tuning.enabled() else "off (defaults)",
              "load_before": loadavg(), "rows": []}
    shapes = [(f"square {s}", s, s, s, False, False) for s in sizes]
    shapes += [] if args.no_dl else DL_SHAPES
    for shape in shapes:
        report["rows"].append(row(*shape, np.dtype(args.dtype), args.repeats))
        print(f"  {shape[0]}: {report['rows'][-1]['opencl_gflops']:.1f} GFLOP/s", flush=True)
    report["load_after"] = loadavg()
    print(format_table(report))
    out = args.out or os.path.join(HERE, "results", f"opencl_gemm_{report['date']}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
