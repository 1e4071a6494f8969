"""Compress a bundled application: float32 against int8 quantization and 80% pruning, on every backend.

    python examples/compress.py [--model LeNet5] [--backends numpy,opencl] [--sparsity 0.8]
                                [--epochs 3] [--limit N] [--test-limit N]

The variants, all from the application's shipped Fashion-MNIST weights:

- ``float32``: the model as shipped.
- ``int8``: ``model.quantize("int8")`` (Keras 3's API), when this kerasette has it; otherwise the
  script says so and leaves the rows out.
- ``pruned``: ``kerasette.pruning.prune_low_magnitude`` to ``--sparsity`` (a ``PolynomialDecay``
  from 0 over the first 25% of the steps), fine-tuned for ``--epochs`` on the 60,000 training
  images (the first ``--limit`` only, if given) with the ``UpdatePruningStep`` callback (Adam,
  cosine learning-rate decay), then ``strip_pruning``: a plain model whose kernels hold the zeros.
- ``pruned + int8``: the pruned model quantized (with ``int8``): the zeros stay zeros.

The fine-tuning runs once, on numpy; each backend then rebuilds every variant from the same weights.
For each variant and backend the table gives the top-1 accuracy on the Fashion-MNIST test images,
the size of the ``save_weights`` file raw and gzipped (level 9: zeros compress, so pruning shows up
there), and the prediction time per image (``model.predict`` at batch 500 after one warm-up batch;
wall clock, so it depends on what else the machine is doing). ``--model`` picks the application
(default LeNet5, the quickest).
"""

import argparse
import gzip
import os
import tempfile
import time

import numpy as np
from kerasette.applications import evaluate

import kerasette as keras
from kerasette import pruning

BATCH = 128
PREDICT_BATCH = 500
LEARNING_RATE = 3e-3  # peak of the cosine decay
PRUNE_FRACTION = 0.25  # the sparsity ramps up over this fraction of the fine-tuning steps
SEED = 1998


def build(name, weights):
    """Application ``name`` on the current backend, with the shipped weights or a list of arrays."""
    module = evaluate.APPLICATIONS[name][0]
    if isinstance(weights, str):
        return getattr(module, name)(weights=weights)
    model = getattr(module, name)(weights=None)
    model.set_weights(weights)
    return model


def prune_and_fine_tune(name, train, sparsity, epochs):
    """The shipped model pruned to ``sparsity`` while fine-tuning, stripped; returns (weights, seconds)."""
    x, y = train
    steps = epochs * -(-len(x) // BATCH)
    frequency = max(1, min(20, int(steps * PRUNE_FRACTION)))
    end_step = frequency * max(1, round(steps * PRUNE_FRACTION / frequency))  # a mask update lands on it
    schedule = pruning.PolynomialDecay(initial_sparsity=0.0, final_sparsity=sparsity, begin_step=0,
                                       end_step=end_step, frequency=frequency)
    keras.utils.set_random_seed(SEED)
    pruned = pruning.prune_low_magnitude(build(name, "fashion_mnist"), pruning_schedule=schedule)
    rate = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, decay_steps=steps, alpha=0.01)
    pruned.compile(optimizer=keras.optimizers.Adam(learning_rate=rate), loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
    start = time.perf_counter()
    pruned.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    return pruning.strip_pruning(pruned).get_weights(), time.perf_counter() - start


def int8_available():
    """Whether this kerasette's models have ``quantize`` (Keras 3's post-training quantization API)."""
    return callable(getattr(keras.Model, "quantize", None))


def variants(name, pruned_weights, with_int8):
    """``{variant: model}`` built on the current backend."""
    models = {"float32": build(name, "fashion_mnist")}
    if with_int8:
        quantized = build(name, "fashion_mnist")
        quantized.quantize("int8")
        models["int8"] = quantized
    models["pruned"] = build(name, pruned_weights)
    if with_int8:  # the two compose: quantizing keeps the zeros (round(0 * scale) = 0)
        both = build(name, pruned_weights)
        both.quantize("int8")
        models["pruned + int8"] = both
    return models


def file_sizes(model, folder, variant):
    """(raw bytes, gzip level-9 bytes) of ``model.save_weights``."""
    path = os.path.join(folder, f"{variant}.weights.h5")
    model.save_weights(path)
    with open(path, "rb") as f:
        raw = f.read()
    return len(raw), len(gzip.compress(raw, compresslevel=9))


def accuracy_and_speed(model, test):
    """(top-1 accuracy, seconds per image) of ``model.predict`` on ``test``, after a warm-up batch."""
    x, y = test
    model.predict(x[:PREDICT_BATCH], batch_size=PREDICT_BATCH, verbose=0)  # OpenCL compiles its kernels here
    start = time.perf_counter()
    probabilities = model.predict(x, batch_size=PREDICT_BATCH, verbose=0)
    seconds = time.perf_counter() - start
    return float(np.mean(np.argmax(probabilities, axis=1) == y)), seconds / len(x)


def zero_fraction(model):
    """The fraction of zeros over the prunable weights (kernels) together."""
    per_weight = pruning.get_sparsity(model)
    sizes = {w.path: int(np.prod(w.shape)) for w in model.weights}
    return sum(per_weight[p] * sizes[p] for p in per_weight) / sum(sizes[p] for p in per_weight)


def table(rows):
    lines = ["| variant | backend | test accuracy | zeros in kernels | weights file | gzip | predict / image |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['variant']} | {r['backend']} | {r['accuracy']:.4f} | {r['sparsity']:.1%} "
                     f"| {r['bytes'] / 1024:.0f} KiB | {r['gzip_bytes'] / 1024:.0f} KiB "
                     f"| {r['seconds_per_image'] * 1e6:.0f} us |")
    return "\n".join(lines)


def main(argv=None):
    """Run the comparison and print the table; returns the rows (dicts).

    Args:
        argv: the command-line arguments (None: ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="LeNet5", choices=list(evaluate.APPLICATIONS))
    parser.add_argument("--backends", default=None, help="comma-separated (default: numpy, and opencl if it loads)")
    parser.add_argument("--sparsity", type=float, default=0.8)
    parser.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs of the pruned model")
    parser.add_argument("--limit", type=int, default=None, help="fine-tune on the first N training images only")
    parser.add_argument("--test-limit", type=int, default=None, help="evaluate on the first N test images")
    args = parser.parse_args(argv)

    original = keras.backends.backend()
    backends = args.backends.split(",") if args.backends else ["numpy"] + (["opencl"] if _opencl_loads() else [])
    module = evaluate.APPLICATIONS[args.model][0]
    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    train = module.preprocess_input(x_train[:args.limit]), y_train[:args.limit].astype("int32")
    test = module.preprocess_input(x_test[:args.test_limit]), y_test[:args.test_limit].astype("int32")
    with_int8 = int8_available()
    if not with_int8:
        print("int8: this kerasette has no `Model.quantize`; the int8 rows are left out.")

    rows = []
    try:
        keras.backends.set_backend("numpy")
        pruned_weights, seconds = prune_and_fine_tune(args.model, train, args.sparsity, args.epochs)
        print(f"{args.model}: pruned to {args.sparsity:.0%} while fine-tuning on {len(train[0]):,} images, "
              f"{args.epochs} epoch(s), {seconds:.0f} s (numpy)")
        sizes = {}
        with tempfile.TemporaryDirectory() as folder:
            for backend in backends:
                keras.backends.set_backend(backend.strip())
                for variant, model in variants(args.model, pruned_weights, with_int8).items():
                    if variant not in sizes:
                        sizes[variant] = file_sizes(model, folder, variant)
                    accuracy, per_image = accuracy_and_speed(model, test)
                    rows.append({"variant": variant, "backend": keras.backends.backend(), "accuracy": accuracy,
                                 "sparsity": zero_fraction(model), "bytes": sizes[variant][0],
                                 "gzip_bytes": sizes[variant][1], "seconds_per_image": per_image})
    finally:
        keras.backends.set_backend(original)
    print(f"\n{args.model} on {len(test[0]):,} Fashion-MNIST test images:\n")
    print(table(rows))
    return rows


def _opencl_loads():
    try:
        keras.backends.set_backend("opencl")
        return True
    except (ImportError, RuntimeError):  # no pyopencl, no device: the table is numpy only
        return False
    finally:
        keras.backends.set_backend("numpy")


if __name__ == "__main__":
    main()
