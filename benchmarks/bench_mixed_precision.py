"""Mixed precision on kerasette's backends: CNN training-step time, float32 against mixed_float16.

    python benchmarks/bench_mixed_precision.py [--steps 10] [--batch 128] [--threads 2] [--out results.json]

The model is the Fashion-MNIST convnet of ``examples/fashion_mnist_cnn.py`` with its final softmax in
float32 (Keras's advice for mixed precision). Each (backend, policy) pair builds it with the same seed,
compiles it with Adam (under ``mixed_float16`` ``compile`` wraps it in a ``LossScaleOptimizer``), runs two
warm-up ``train_on_batch`` steps, then times ``--steps`` steps on one batch of random 28x28x1 images;
the table shows the best step (the least disturbed on a shared machine), the JSON also the median.

Also timed: one 512x512x512 matrix product in float32, in float16 through kerasette (the numpy backend
runs it as SGEMM on float32 copies, rounded to float16), and numpy's own float16 ``matmul`` (no BLAS).

A backend that refuses float16 (OpenCL without half kernels) is recorded with its error. Results go to
``benchmarks/results/mixed_precision_<date>.json`` with the machine, the thread settings and the load
average; the machine is shared, so the times are "machine loaded" figures.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thread_settings import apply_thread_argument  # noqa: E402

_THREADS = apply_thread_argument(sys.argv, extra_variables=("KERASETTE_NUM_THREADS",))

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

POLICIES = ("float32", "mixed_float16")
EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "fashion_mnist_cnn.py")


def _example_convnet():
    """The convnet of ``examples/fashion_mnist_cnn.py``, its final softmax in float32."""
    spec = importlib.util.spec_from_file_location("fashion_mnist_cnn", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    return example.build_model(float32_softmax=True)


def _times(run, steps):
    for _ in range(2):
        run()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return {"best_s": min(times), "median_s": statistics.median(times)}


def _cnn_step(keras, policy, batch, steps):
    """Seconds per training step of the CNN under ``policy`` on the active backend."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (batch, 28, 28, 1)).astype("float32")
    y = rng.integers(0, 10, batch)
    keras.mixed_precision.set_global_policy(policy)
    try:
        keras.utils.set_random_seed(0)
        model = _example_convnet()
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    finally:
        keras.mixed_precision.set_global_policy("float32")
    result = _times(lambda: model.train_on_batch(x, y), steps)
    result["optimizer"] = type(model.optimizer).__name__
    return result


def _matmul(ops, n=512, repeats=5):
    """A float32 and a float16 n^3 product through kerasette, and numpy's own float16 matmul."""
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(n, n)).astype("float32"), rng.normal(size=(n, n)).astype("float32")
    out = {"n": n}
    for dtype in ("float32", "float16"):
        try:
            ta, tb = ops.convert_to_tensor(a.astype(dtype)), ops.convert_to_tensor(b.astype(dtype))
        except TypeError as error:
            out[f"{dtype}_error"] = str(error)
            continue
        out[f"kerasette_{dtype}_s"] = _times(lambda ta=ta, tb=tb: ops.matmul(ta, tb).numpy(), repeats)["best_s"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", default=_THREADS, help="BLAS and kerasette threads (set before import)")
    parser.add_argument("--backends", nargs="+", default=["numpy", "opencl"])
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    import kerasette as keras
    from kerasette import backends, ops

    warnings.filterwarnings("ignore", message="The dtype policy 'mixed_float16' computes in float16")
    load_before = os.getloadavg()
    results = []
    for name in args.backends:
        try:
            backends.set_backend(name)
        except (ImportError, RuntimeError) as error:
            results.append({"backend": name, "error": str(error)})
            continue
        entry = {"backend": name, "cnn": {}, "matmul": _matmul(ops)}
        for policy in POLICIES:
            try:
                entry["cnn"][policy] = _cnn_step(keras, policy, args.batch, args.steps)
            except (TypeError, ValueError) as error:  # a backend that refuses float16
                entry["cnn"][policy] = {"error": str(error)}
        if name == "numpy":
            a = np.random.default_rng(1).normal(size=(512, 512)).astype("float16")
            entry["matmul"]["numpy_own_float16_s"] = _times(lambda a=a: np.matmul(a, a), 2)["best_s"]
        results.append(entry)

    print(f"CNN training step, batch {args.batch} (best of {args.steps}), threads {args.threads}, machine loaded")
    for entry in results:
        for policy, timing in entry.get("cnn", {}).items():
            cell = f"{timing['best_s'] * 1000:8.1f} ms" if "best_s" in timing else "refused: " + timing["error"][:90]
            print(f"  {entry['backend']:<7} {policy:<14} {cell}")
        cnn = entry.get("cnn", {})
        if all("best_s" in cnn.get(p, {}) for p in POLICIES):
            ratio = cnn["mixed_float16"]["best_s"] / cnn["float32"]["best_s"]
            entry["mixed_over_float32"] = ratio
            print(f"  {entry['backend']:<7} mixed_float16 / float32 = {ratio:.2f}x")
        print(f"  {entry['backend']:<7} 512^3 matmul: " + json.dumps(entry.get("matmul", entry.get("error"))))
    report = {
        "benchmark": "mixed_precision", "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": platform.platform(), "processor": platform.processor(), "cpus": os.cpu_count(),
        "threads": args.threads, "batch": args.batch, "steps": args.steps,
        "note": "machine loaded: other jobs shared the cores; best and median step times",
        "load_average_before": load_before, "load_average_after": os.getloadavg(), "results": results,
    }
    out = args.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                   f"mixed_precision_{datetime.date.today().isoformat()}.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
