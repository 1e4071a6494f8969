"""Int8 post-training quantization of the four bundled applications, and the int8 GEMM against float32 GEMM.

    python benchmarks/bench_quantize.py [--samples 10000] [--timing-samples 1000] [--calibration 500]
                                        [--backends numpy,opencl] [--sizes 256,512,1024] [--threads 2]
                                        [--out FILE]

For each application (LeNet5, VGGSmall, ResNetSmall, MobileNetSmall, with their shipped Fashion-MNIST
weights) the table gives, on the first ``--samples`` Fashion-MNIST test images (default: all 10,000):

- the float32 test accuracy, the int8 accuracy after ``model.quantize("int8")`` (Keras's dynamic
  per-row/per-sample input scales), and after ``calibrate`` (one static input scale per layer measured on
  the first ``--calibration`` *training* images);
- the size of the ``save_weights`` file (``.weights.h5``, Keras 3 layout) float32 and int8, and the ratio,
  and the ratio of the weights' own bytes ("payload": HDF5 adds about a kilobyte of metadata per dataset,
  which weighs on these small models);
- predict time (``model.predict``, batch 250, ``--timing-samples`` images, best of 2) float32 and int8, per
  backend. Each backend runs in its own subprocess.

The GEMM part times ``int8_matmul`` (int8 x int8 -> int32) against ``matmul`` (float32) on square
matrices, per backend, device-resident operands on OpenCL (``finish`` after each call). On numpy the
int8 product is a float32 GEMM of the int8 values (numpy has no fast int8 GEMM), so it costs a float GEMM
plus two conversions. Results go to ``benchmarks/results/quantize_<date>.json`` with the machine, the
thread settings and the load average; the machine is shared, so the times are "machine loaded" figures.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thread_settings import apply_thread_argument  # noqa: E402

_THREADS = apply_thread_argument(sys.argv)

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

APPLICATIONS = ("LeNet5", "VGGSmall", "ResNetSmall", "MobileNetSmall")


def _load_app(name):
    from kerasette.applications import _common
    from kerasette.applications.evaluate import APPLICATIONS as MODULES

    module = MODULES[name][0]
    return getattr(module, name)(weights=_common.PRETRAINED), module


def _accuracy(model, x, y):
    return float(np.mean(np.argmax(model.predict(x, batch_size=500, verbose=0), axis=1) == y))


def _weights_bytes(model):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "m.weights.h5")
        model.save_weights(path)
        return os.path.getsize(path)


def _payload_bytes(model):
    """The bytes of the weights themselves (what the file holds beyond HDF5's per-dataset metadata)."""
    return int(sum(np.dtype(w.dtype).itemsize * int(np.prod(w.shape)) for w in model.weights))


def _predict_seconds(model, x):
    model.predict(x[:250], batch_size=250, verbose=0)  # warm-up: kernels compiled, buffers allocated
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        model.predict(x, batch_size=250, verbose=0)
        best = min(best, time.perf_counter() - start)
    return best


def _quantize(model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BatchNormalization has no int8 form: Model.quantize warns
        model.quantize("int8")


def worker_applications(args):
    """Accuracy and file sizes (first backend only) and predict times of each application."""
    from kerasette.datasets import fashion_mnist
    from kerasette.quantizers import calibrate

    (x_train, _), (x_test, y_test) = fashion_mnist.load_data()
    rows = []
    for name in args.models.split(","):
        model, module = _load_app(name)
        x = module.preprocess_input(x_test[:args.samples])
        y = np.asarray(y_test[:args.samples])
        timing = x[:args.timing_samples]
        row = {"name": name, "params": model.count_params()}
        if args.accuracy:
            row["float32_accuracy"] = _accuracy(model, x, y)
            row["float32_weights_bytes"] = _weights_bytes(model)
            row["float32_payload_bytes"] = _payload_bytes(model)
        row["float32_predict_s"] = _predict_seconds(model, timing)
        _quantize(model)
        if args.accuracy:
            row["int8_accuracy"] = _accuracy(model, x, y)
            row["int8_weights_bytes"] = _weights_bytes(model)
            row["size_ratio"] = row["int8_weights_bytes"] / row["float32_weights_bytes"]
            row["int8_payload_bytes"] = _payload_bytes(model)
            row["payload_ratio"] = row["int8_payload_bytes"] / row["float32_payload_bytes"]
        row["int8_predict_s"] = _predict_seconds(model, timing)
        if args.accuracy:
            calibrate(model, module.preprocess_input(x_train[:args.calibration]), batch_size=250)
            row["int8_calibrated_accuracy"] = _accuracy(model, x, y)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


def _no_sync():
    """numpy calls return when they are done."""


def worker_gemm(args, backend):
    """Seconds per int8_matmul and per float32 matmul at each size (device-resident on OpenCL)."""
    from kerasette import backends

    module = backends.current()
    sync = _no_sync
    if backend == "opencl":
        from kerasette.backends.opencl import runtime

        sync = runtime.get().queue.finish
    rng = np.random.default_rng(0)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        a8 = module.asarray(rng.integers(-127, 128, (n, n)).astype(np.int8))
        b8 = module.asarray(rng.integers(-127, 128, (n, n)).astype(np.int8))
        a32 = module.asarray(rng.normal(size=(n, n)).astype(np.float32))
        b32 = module.asarray(rng.normal(size=(n, n)).astype(np.float32))
        row = {"n": n}
        for label, fn, a, b in (("int8_s", module.int8_matmul, a8, b8), ("float32_s", module.matmul, a32, b32)):
            module.to_numpy(fn(a, b))  # warm-up (kernel build, tuning)
            sync()
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                fn(a, b)
                sync()
                best = min(best, time.perf_counter() - start)
            row[label] = best
            row[label.replace("_s", "_gops")] = 2 * n**3 / best / 1e9
        row["int8_speedup"] = row["float32_s"] / row["int8_s"]
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


def _worker(args):
    from kerasette import backends

    info = {"backend": args.worker}
    if args.worker == "opencl":
        from kerasette.backends.opencl import int8_gemm, runtime

        device = runtime.get().device
        info.update(device=device.name.strip(), platform=device.platform.name.strip(),
                    integer_dot_product=int8_gemm.has_dot_product())
    assert backends.backend() == args.worker
    result = {"info": info, "gemm": worker_gemm(args, args.worker)}
    result["applications"] = worker_applications(args)
    print(json.dumps(result))


def _spawn(args, backend, accuracy):
    command = [sys.executable, __file__, "--worker", backend, "--samples", str(args.samples), "--timing-samples",
               str(args.timing_samples), "--calibration", str(args.calibration), "--sizes", args.sizes,
               "--models", args.models, "--threads", args.threads] + ([] if accuracy else ["--no-accuracy"])
    env = dict(os.environ, KERASETTE_BACKEND=backend)
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _table(results):
    first = results["backends"][0]
    predict = " | ".join(f"predict f32 / int8 ({b['info']['backend']})" for b in results["backends"])
    lines = ["| application | params | float32 acc | int8 acc | int8 calibrated acc | weights f32 | weights int8 | "
             f"file ratio | payload ratio | {predict} |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(results["backends"])]
    for i, row in enumerate(first["applications"]):
        times = " | ".join(f"{b['applications'][i]['float32_predict_s']:.2f} s / "
                           f"{b['applications'][i]['int8_predict_s']:.2f} s" for b in results["backends"])
        lines.append(f"| {row['name']} | {row['params']:,} | {row['float32_accuracy']:.4f} | "
                     f"{row['int8_accuracy']:.4f} | {row['int8_calibrated_accuracy']:.4f} | "
                     f"{row['float32_weights_bytes'] / 1024:.0f} KiB | {row['int8_weights_bytes'] / 1024:.0f} KiB | "
                     f"{row['size_ratio']:.2f} | {row['payload_ratio']:.2f} | {times} |")
    lines += ["", "| backend | n | int8 GEMM | float32 GEMM | int8 speed-up |", "|---|---:|---:|---:|---:|"]
    for b in results["backends"]:
        for g in b["gemm"]:
            lines.append(f"| {b['info']['backend']} | {g['n']} | {g['int8_s'] * 1e3:.1f} ms ({g['int8_gops']:.1f} "
                         f"GOP/s) | {g['float32_s'] * 1e3:.1f} ms ({g['float32_gops']:.1f} GFLOP/s) | "
                         f"{g['int8_speedup']:.2f}x |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10000)
    parser.add_argument("--timing-samples", type=int, default=1000)
    parser.add_argument("--calibration", type=int, default=500)
    parser.add_argument("--backends", default="numpy,opencl")
    parser.add_argument("--models", default=",".join(APPLICATIONS))
    parser.add_argument("--sizes", default="256,512,1024")
    parser.add_argument("--threads", default=_THREADS)
    parser.add_argument("--out", default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-accuracy", dest="accuracy", action="store_false", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args)
        return
    start, load_before = time.perf_counter(), os.getloadavg()
    names = [b.strip() for b in args.backends.split(",") if b.strip()]
    results = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": platform.platform(),
        "processor": platform.processor(), "cpus": os.cpu_count(), "threads": args.threads,
        "samples": args.samples, "timing_samples": args.timing_samples, "calibration_samples": args.calibration,
        "note": "machine loaded: other jobs shared the 2 cores; accuracy and sizes from the first backend",
        "load_average_before": load_before,
        "backends": [_spawn(args, name, accuracy=(i == 0)) for i, name in enumerate(names)],
    }
    results["load_average_after"] = os.getloadavg()
    results["total_seconds"] = round(time.perf_counter() - start, 1)
    table = _table(results)
    results["table"] = table
    out = args.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                   f"quantize_{datetime.date.today().isoformat()}.json")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    print(table)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
