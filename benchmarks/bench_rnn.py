"""Recurrent training speed: LSTM(128) and GRU(128) on kerasette (numpy, OpenCL), Keras 3 + torch and PyTorch.

    python benchmarks/bench_rnn.py [--steps 12] [--repeats 3] [--threads 2] [--out FILE]

The model is the classic sequence classifier: ``Input((28, 28))`` (28 timesteps of 28 features,
Fashion-MNIST's shape) -> ``LSTM(128)`` or ``GRU(128)`` -> ``Dense(10, softmax)``, trained with Adam on
sparse categorical cross-entropy at batch 128 (random data: the speed does not depend on the
values). Plain PyTorch runs ``nn.LSTM`` / ``nn.GRU`` + ``nn.Linear`` with ``cross_entropy``.
Each measurement runs in a fresh process with the same thread count (OPENBLAS/OMP/MKL_NUM_THREADS
and ``torch.set_num_threads``): warm-up batches, then ``--steps`` timed batches through ``fit``
(a plain loop for PyTorch). The frameworks take turns within each repeat, so the ratios compare runs
made under the same machine load; the table gives the median samples/s, the ratios to Keras 3 +
torch and to PyTorch, and the load average before and after. Results go to
``benchmarks/results/rnn_<date>.json``.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH, STEPS, FEATURES, UNITS, CLASSES = 128, 28, 28, 128, 10
WARMUP = 2
FRAMEWORKS = ["kerasette", "kerasette[opencl]", "keras", "torch"]


# ----- the worker (one framework, one cell, in its own process) ------------------------------------------
def _data(steps):
    import numpy as np

    rng = np.random.default_rng(0)
    n = BATCH * steps
    return rng.normal(size=(n, STEPS, FEATURES)).astype("float32"), rng.integers(0, CLASSES, n).astype("int64")


def _keras_like(module, cell, steps):
    """samples/s of ``fit`` over ``steps`` batches for kerasette or Keras (the same script for both)."""
    model = module.Sequential([module.Input((STEPS, FEATURES)), getattr(module.layers, cell)(UNITS),
                               module.layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = _data(steps)
    model.fit(x[:WARMUP * BATCH], y[:WARMUP * BATCH], batch_size=BATCH, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
    return len(x) / (time.perf_counter() - start)


def _torch(cell, steps, threads):
    import torch

    torch.set_num_threads(threads)
    rnn = getattr(torch.nn, cell)(FEATURES, UNITS, batch_first=True)
    head = torch.nn.Linear(UNITS, CLASSES)
    optimizer = torch.optim.Adam(list(rnn.parameters()) + list(head.parameters()))
    x, y = (torch.from_numpy(a) for a in _data(steps))

    def batches(count):
        for i in range(count):
            optimizer.zero_grad()
            out, _ = rnn(x[i * BATCH:(i + 1) * BATCH])
            loss = torch.nn.functional.cross_entropy(head(out[:, -1]), y[i * BATCH:(i + 1) * BATCH])
            loss.backward()
            optimizer.step()

    batches(WARMUP)
    start = time.perf_counter()
    batches(steps)
    return steps * BATCH / (time.perf_counter() - start)


def worker(framework, cell, steps, threads):
    """Measure one framework and print one JSON line."""
    if framework.startswith("kerasette"):
        import kerasette

        if framework == "kerasette[opencl]":
            kerasette.backends.set_backend("opencl")
        rate = _keras_like(kerasette, cell, steps)
    elif framework == "keras":
        import keras
        import torch

        torch.set_num_threads(threads)
        rate = _keras_like(keras, cell, steps)
    else:
        rate = _torch(cell, steps, threads)
    print(json.dumps({"samples_per_s": rate}))


# ----- the driver ------------------------------------------------------------------------------------
def _measure(framework, cell, steps, threads):
    env = dict(os.environ, KERAS_BACKEND="torch", TQDM_DISABLE="1")
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", framework, cell, "--steps", str(steps),
           "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-2:])}
    return json.loads(lines[-1])


def _available(framework):
    probes = {"kerasette[opencl]": "import kerasette; kerasette.backends.set_backend('opencl')",
              "keras": "import keras, torch", "torch": "import torch"}
    code = probes.get(framework)
    if code is None:
        return True
    env = dict(os.environ, KERAS_BACKEND="torch")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, env=env).returncode == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12, help="timed training batches per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per framework (the median is reported)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cells", default="LSTM,GRU")
    parser.add_argument("--out", help="result file (default benchmarks/results/rnn_<date>.json)")
    parser.add_argument("--worker", nargs=2, metavar=("FRAMEWORK", "CELL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker[0], args.worker[1], args.steps, args.threads)

    frameworks = [f for f in FRAMEWORKS if _available(f)]
    skipped = [f for f in FRAMEWORKS if f not in frameworks]
    load_before = os.getloadavg()
    runs = {}
    for _ in range(args.repeats):
        for cell in args.cells.split(","):
            for framework in frameworks:
                result = _measure(framework, cell, args.steps, args.threads)
                runs.setdefault((cell, framework), []).append(result)
                print(f"  {cell:5s} {framework:18s} {result}", flush=True)
    load_after = os.getloadavg()
    table = {}
    for (cell, framework), results in runs.items():
        rates = [r["samples_per_s"] for r in results if "samples_per_s" in r]
        table.setdefault(cell, {})[framework] = {
            "median_samples_per_s": statistics.median(rates) if rates else None, "runs": rates,
            "errors": [r["error"] for r in results if "error" in r]}
    print(f"\nRecurrent training, batch {BATCH}, {STEPS} steps x {FEATURES} features, {UNITS} units, {args.threads} "
          f"threads, {args.steps} timed batches x {args.repeats} repeats (median)")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1-minute), {os.cpu_count()} CPUs")
    for cell, entries in table.items():
        keras_rate = (entries.get("keras") or {}).get("median_samples_per_s")
        torch_rate = (entries.get("torch") or {}).get("median_samples_per_s")
        for framework, entry in entries.items():
            rate = entry["median_samples_per_s"]
            if rate is None:
                print(f"{cell:5s} {framework:18s} failed: {entry['errors'][:1]}")
                continue
            ratios = []
            if keras_rate:
                ratios.append(f"{rate / keras_rate:5.2f}x Keras+torch")
            if torch_rate:
                ratios.append(f"{rate / torch_rate:5.2f}x PyTorch")
            print(f"{cell:5s} {framework:18s} {rate:8.0f} samples/s   " + "   ".join(ratios))
    if skipped:
        print("skipped (not installed or no device): " + ", ".join(skipped))
    record = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": platform.platform(),
              "processor": platform.processor(), "cpus": os.cpu_count(), "threads": args.threads,
              "batch": BATCH, "timesteps": STEPS, "features": FEATURES, "units": UNITS, "timed_batches": args.steps,
              "repeats": args.repeats, "load_average_before": load_before, "load_average_after": load_after,
              "results": table, "skipped": skipped}
    out = args.out or os.path.join(HERE, "results", f"rnn_{datetime.date.today().isoformat()}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
    print(f"written to {out}")
    return record


if __name__ == "__main__":
    main()
