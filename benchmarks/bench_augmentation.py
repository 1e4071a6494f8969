"""Augmentation throughput: images/s of RandomFlip + RandomRotation + RandomZoom on batches of 128.

    python benchmarks/bench_augmentation.py [--repeats 5] [--sizes 28 224] [--out results.json]

Each framework runs in a fresh process (``--worker``): kerasette on its numpy and OpenCL backends, and
Keras 3 on its torch backend (CPU), with the same layers and arguments (factor 0.1 each, Keras's defaults
otherwise: bilinear, fill_mode "reflect"), called with ``training=True`` on the same uint8-range float32
images: 28x28x1 and 224x224x3. Each framework times ``repeats`` batches after two warm-up batches, including
reading the result back to the host (``numpy()``), so device frameworks are not credited for unfinished work;
the table shows the best batch (the least disturbed by other processes on a shared machine), the JSON line
also the median. Threads: PyTorch gets ``torch.set_num_threads(os.cpu_count())``; kerasette's numpy backend
uses its thread pool (``KERASETTE_NUM_THREADS``). Prints a table and one JSON line.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

BATCH = 128
FRAMEWORKS = ("kerasette-numpy", "kerasette-opencl", "keras-torch")
SHAPES = {28: (28, 28, 1), 224: (224, 224, 3)}


def _stack(layers_module):
    return [layers_module.RandomFlip(seed=1), layers_module.RandomRotation(0.1, seed=2),
            layers_module.RandomZoom(0.1, seed=3)]


def _worker(framework, size, repeats):
    """Time the stack in this process; returns a dict with images/s."""
    images = np.random.default_rng(0).uniform(0, 255, (BATCH,) + SHAPES[size]).astype("float32")
    if framework.startswith("kerasette"):
        from kerasette import backends, layers, ops

        backends.set_backend(framework.split("-")[1])
        stack = _stack(layers)
        x = ops.convert_to_tensor(images)

        def run():
            y = x
            for layer in stack:
                y = layer(y, training=True)
            return y.numpy()
    else:
        os.environ["KERAS_BACKEND"] = "torch"
        import keras
        import torch

        torch.set_num_threads(os.cpu_count())
        stack = _stack(keras.layers)
        x = torch.as_tensor(images)

        def run():
            y = x
            for layer in stack:
                y = layer(y, training=True)
            return keras.ops.convert_to_numpy(y)

    for _ in range(2):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    assert out.shape == images.shape
    best, median = min(times), statistics.median(times)
    return {"framework": framework, "size": size, "best_seconds_per_batch": best, "median_seconds_per_batch": median,
            "images_per_s": BATCH / best, "median_images_per_s": BATCH / median}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[28, 224])
    parser.add_argument("--frameworks", nargs="+", default=list(FRAMEWORKS))
    parser.add_argument("--worker", nargs=2, metavar=("FRAMEWORK", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help="also write the results to this JSON file")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.worker[0], int(args.worker[1]), args.repeats)))
        return
    results = []
    for size in args.sizes:
        for framework in args.frameworks:
            command = [sys.executable, os.path.abspath(__file__), "--worker", framework, str(size), "--repeats",
                       str(args.repeats)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                results.append({"framework": framework, "size": size, "error": done.stderr.strip()[-300:]})
                continue
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"RandomFlip + RandomRotation + RandomZoom, batch {BATCH}, training=True (best of {args.repeats})")
    print(f"{'framework':<18}" + "".join(f"{f'{s}x{s}':>14}" for s in args.sizes) + "   (images/s)")
    for framework in args.frameworks:
        cells = []
        for size in args.sizes:
            found = [r for r in results if r["framework"] == framework and r["size"] == size][0]
            cells.append(f"{found['images_per_s']:>14.0f}" if "images_per_s" in found else f"{'failed':>14}")
        print(f"{framework:<18}" + "".join(cells))
    line = json.dumps({"benchmark": "augmentation", "batch": BATCH, "results": results})
    print(line)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
