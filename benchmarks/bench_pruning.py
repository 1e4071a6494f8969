"""Magnitude pruning on real Fashion-MNIST: accuracy and gzip-compressed weight size against the dense model.

    python benchmarks/bench_pruning.py [--models mlp,resnet_small] [--sparsities 0.5,0.8,0.9]
                                       [--epochs E] [--limit N] [--threads 2] [--out FILE]

Two models, on the numpy backend:

- ``mlp``: the benchmark suite's MLP (784-512-512-10, ReLU, Dropout 0.2, ``bench_models.py``), trained
  dense from a fixed seed with RMSprop for ``--mlp-dense-epochs`` (default 3) epochs on the 60,000
  training images; that trained model is the dense reference.
- ``resnet_small``: the bundled ``ResNetSmall`` application with its shipped Fashion-MNIST weights
  (the dense reference; ``applications/training/train.py`` trained it for 8 epochs).

For each target sparsity, a copy of the dense model is wrapped with
``prune_low_magnitude(PolynomialDecay(0 -> target, over the first 25% of the fine-tuning steps,
masks updated every 20 steps))`` and fine-tuned on the training images (the first ``--limit`` only,
if given, for the dense MLP too) with Adam and a cosine learning-rate decay (MLP: 2 epochs from 1e-3;
ResNetSmall: 1 epoch from 3e-3; ``--epochs`` sets both), then ``strip_pruning`` gives the plain
model. The decaying rate
matters with BatchNormalization: the moving statistics then follow weights that have stopped moving.

The control is the dense model fine-tuned by the same recipe without pruning (the extra training
alone can move the accuracy); "vs control" compares each pruned model with it. For the dense
model, the control and each stripped model the table gives the test accuracy on the 10,000 test
images, the fraction of zeros in the prunable weights (kernels), and the size of the
``save_weights`` file (``.weights.h5``, Keras 3 layout, no optimizer state) raw and gzipped
(``gzip`` level 9): pruning does not shrink the file, zeros compress. Results go to
``benchmarks/results/pruning_<date>.json`` with the machine, the thread settings and the load.
"""

import os
import sys

# BLAS threads must be set before numpy is imported; --threads is read here for that reason (when run as a
# script: an importing process keeps its own settings).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thread_settings import apply_thread_argument  # noqa: E402

_THREADS = apply_thread_argument(sys.argv) if __name__ == "__main__" else "2"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_models  # noqa: E402
from kerasette.applications import resnet_small  # noqa: E402

import kerasette as keras  # noqa: E402
from kerasette import applications, pruning  # noqa: E402

SEED = 1998
BATCH = 128
PRUNE_FRACTION = 0.25  # the sparsity ramps up over this fraction of the fine-tuning steps
PRUNE_FREQUENCY = 20
# model -> (epochs, peak learning rate) of the fine-tuning (Adam, cosine decay to 1% of the rate)
FINE_TUNE = {"mlp": (2, 1e-3), "resnet_small": (1, 3e-3)}
MODELS = ("mlp", "resnet_small")


# ----- models and data ------------------------------------------------------------------------
def _data(name):
    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    if name == "mlp":
        prepare = lambda x: x.reshape(len(x), 784).astype("float32") / 255.0  # noqa: E731 - as bench_models
    else:
        prepare = resnet_small.preprocess_input
    return (prepare(x_train), y_train.astype("int32")), (prepare(x_test), y_test.astype("int32"))


def _fresh(name):
    """An uncompiled model of architecture ``name`` with random weights."""
    if name == "mlp":
        model = bench_models.build_keras_api(keras, "mlp")
        return keras.Sequential([keras.Input((784,))] + model.layers, name="mlp")
    return applications.ResNetSmall(weights=None)


def dense_reference(name, train, epochs, limit=None):
    """The dense model: trained here (MLP, on the first ``limit`` images) or the shipped weights (ResNetSmall)."""
    if name == "resnet_small":
        return applications.ResNetSmall(weights="fashion_mnist"), 0.0
    keras.utils.set_random_seed(SEED)
    model = bench_models.build_keras_api(keras, "mlp")
    start = time.perf_counter()
    model.fit(train[0][:limit], train[1][:limit], batch_size=BATCH, epochs=epochs, verbose=0)
    return model, time.perf_counter() - start


def copy_of(name, model):
    clone = _fresh(name)
    clone.set_weights(model.get_weights())
    return clone


def fine_tune(name, dense, sparsity, train, epochs, limit):
    """Fine-tune a copy of ``dense``, pruning it to ``sparsity`` on the way (None: no pruning, the control).

    Returns:
        (plain model, the stripped one when pruned; seconds; steps).
    """
    x, y = train
    if limit:
        x, y = x[:limit], y[:limit]
    steps = epochs * -(-len(x) // BATCH)
    keras.utils.set_random_seed(SEED)
    model, callbacks = copy_of(name, dense), []
    if sparsity is not None:
        frequency = max(1, min(PRUNE_FREQUENCY, int(steps * PRUNE_FRACTION)))
        end_step = frequency * max(1, round(steps * PRUNE_FRACTION / frequency))  # a mask update lands on it
        schedule = pruning.PolynomialDecay(initial_sparsity=0.0, final_sparsity=sparsity, begin_step=0,
                                           end_step=end_step, frequency=frequency)
        model, callbacks = pruning.prune_low_magnitude(model, pruning_schedule=schedule), [pruning.UpdatePruningStep()]
    rate = keras.optimizers.schedules.CosineDecay(FINE_TUNE[name][1], decay_steps=steps, alpha=0.01)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0, callbacks=callbacks)
    seconds = time.perf_counter() - start
    return (model if sparsity is None else pruning.strip_pruning(model)), seconds, steps


# ----- measurements ---------------------------------------------------------------------------
def accuracy(model, test):
    probabilities = model.predict(test[0], batch_size=500, verbose=0)
    return float(np.mean(np.argmax(probabilities, axis=1) == test[1]))


def overall_sparsity(model):
    """The fraction of zeros over all prunable weights together (get_sparsity weighted by size)."""
    sizes = {w.path: int(np.prod(w.shape)) for w in model.weights}
    per_weight = pruning.get_sparsity(model)
    total = sum(sizes[path] for path in per_weight)
    return sum(per_weight[path] * sizes[path] for path in per_weight) / total


def file_sizes(name, model, folder):
    """(raw bytes, gzip level-9 bytes) of ``save_weights`` of an uncompiled copy of ``model``."""
    path = os.path.join(folder, f"{name}.weights.h5")
    copy_of(name, model).save_weights(path)
    with open(path, "rb") as f:
        raw = f.read()
    return len(raw), len(gzip.compress(raw, compresslevel=9))


def measure(name, model, test, folder, sparsity_target, seconds, steps):
    raw, zipped = file_sizes(name, model, folder)
    return {"target_sparsity": sparsity_target, "sparsity": round(overall_sparsity(model), 4),
            "test_accuracy": round(accuracy(model, test), 4), "weights_bytes": raw, "gzip_bytes": zipped,
            "train_seconds": round(seconds, 1), "steps": steps}


def run_model(name, sparsities, args, folder):
    """The rows of one model: the dense start, the dense control fine-tuned the same way, each sparsity."""
    train, test = _data(name)
    epochs = args.epochs or FINE_TUNE[name][0]
    dense, seconds = dense_reference(name, train, args.mlp_dense_epochs, args.limit)
    rows = [dict(measure(name, dense, test, folder, 0.0, seconds, 0), variant="dense")]
    for sparsity in [None] + sparsities:
        model, seconds, steps = fine_tune(name, dense, sparsity, train, epochs, args.limit)
        row = measure(name, model, test, folder, sparsity or 0.0, seconds, steps)
        rows.append(dict(row, variant="dense, fine-tuned" if sparsity is None else f"pruned {sparsity:.0%}"))
    for row in rows:
        print(f"{name}: {row['variant']}: {row['test_accuracy']:.4f} ({row['train_seconds']:.0f} s)", flush=True)
    return {"params": dense.count_params(), "fine_tune_epochs": epochs, "fine_tune_lr": FINE_TUNE[name][1],
            "rows": rows}


def table(results):
    """Markdown; "vs control" compares with the dense model fine-tuned by the same recipe without pruning."""
    lines = ["| model | variant | zeros in kernels | test accuracy | vs control | weights file | gzip |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, result in results.items():
        control = result["rows"][1]
        for row in result["rows"]:
            pruned = row["variant"].startswith("pruned")
            delta = f"{100 * (row['test_accuracy'] - control['test_accuracy']):+.2f} pt" if pruned else ""
            ratio = f" ({control['gzip_bytes'] / row['gzip_bytes']:.1f}x smaller)" if pruned else ""
            lines.append(f"| {name} | {row['variant']} | {row['sparsity']:.1%} | {row['test_accuracy']:.4f} | {delta} "
                         f"| {row['weights_bytes'] / 1024:.0f} KiB | {row['gzip_bytes'] / 1024:.0f} KiB{ratio} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated: " + ", ".join(MODELS))
    parser.add_argument("--sparsities", default="0.5,0.8,0.9", help="comma-separated target sparsities")
    parser.add_argument("--epochs", type=int, default=None,
                        help="fine-tuning epochs per sparsity (default: 2 for the MLP, 1 for ResNetSmall)")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N training images only")
    parser.add_argument("--mlp-dense-epochs", type=int, default=3, help="epochs of the dense MLP")
    parser.add_argument("--threads", type=int, default=int(_THREADS), help="BLAS threads (set before numpy loads)")
    parser.add_argument("--out", default=None, help="JSON file (default benchmarks/results/pruning_<date>.json)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {list(MODELS)}")
    sparsities = [float(s) for s in args.sparsities.split(",") if s.strip()]
    load_before = os.getloadavg()
    start = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            results[name] = run_model(name, sparsities, args, folder)
    record = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": platform.platform(),
        "processor": platform.processor(), "cpus": os.cpu_count(), "threads": args.threads,
        "backend": keras.backends.backend(), "load_average_before": load_before,
        "load_average_after": os.getloadavg(), "total_seconds": round(time.perf_counter() - start, 1),
        "recipe": {"fine_tune_images": args.limit or 60000, "batch": BATCH,
                   "schedule": f"PolynomialDecay(0 -> target, end_step={PRUNE_FRACTION:.0%} of the steps, "
                               f"frequency={PRUNE_FREQUENCY})",
                   "optimizer": "Adam, CosineDecay(peak lr, all steps, alpha=0.01)",
                   "mlp_dense_epochs": args.mlp_dense_epochs, "seed": SEED},
        "results": results,
    }
    out = args.out or os.path.join(HERE, "results", f"pruning_{datetime.date.today().isoformat()}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
    print()
    print(table(results))
    print(f"\n{record['total_seconds']:.0f} s, {args.threads} threads, load average {load_before[0]:.1f} -> "
          f"{record['load_average_after'][0]:.1f}; written to {out}")


if __name__ == "__main__":
    main()
