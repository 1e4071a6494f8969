"""Train the bundled applications' weights on the full Fashion-MNIST training set (numpy backend).

    python applications/training/train.py                     # all four, into applications/weights/
    python applications/training/train.py --models vgg_small --update-hashes
    python applications/training/train.py --limit 3000 --epochs 1 --out /tmp/w   # a quick smoke run

Each model is trained from ``kerasette.utils.set_random_seed(SEED)`` with one BLAS thread, so a
run with the same kerasette version on the same machine repeats bit for bit (multi-threaded BLAS
may sum in another order, and a change to a numeric kernel changes the last bits, hence the file). The
weights are written with ``model.save_weights`` (Keras 3 ``.weights.h5`` layout); the script prints
each file's sha256 and, with ``--update-hashes``, writes it into the builder module's
``WEIGHTS_SHA256``, which the package checks when it loads the file. Nothing here is imported by
the package at run time.

Recipe (the same for every model): Adam with a cosine learning-rate decay over all steps, batch
128, sparse categorical cross-entropy, the images scaled by the module's ``preprocess_input``.
VGGSmall also sees each training image flipped left-right with probability 1/2 (drawn per epoch
from the seeded generator).
"""

import os

# One BLAS thread: reproducible sums, and on a shared machine faster than threads that wait for each other.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from kerasette.applications import _common  # noqa: E402

import kerasette as keras  # noqa: E402
from kerasette import applications  # noqa: E402

SEED = 1998
BATCH_SIZE = 128
# name -> (builder module, epochs, peak learning rate, random flips)
RECIPES = {
    "lenet5": (applications.lenet5, 12, 1e-3, False),
    "vgg_small": (applications.vgg_small, 8, 2e-3, True),
    "resnet_small": (applications.resnet_small, 8, 2e-3, False),
    "mobilenet_small": (applications.mobilenet_small, 8, 2e-3, False),
}
BUILDERS = {"lenet5": "LeNet5", "vgg_small": "VGGSmall", "resnet_small": "ResNetSmall",
            "mobilenet_small": "MobileNetSmall"}


def train_one(name, data, out_dir, epochs=None, limit=None, verbose=2):
    """Train one application from scratch; returns a report dict (accuracy, time, file, sha256)."""
    module, default_epochs, peak_lr, flips = RECIPES[name]
    epochs = default_epochs if epochs is None else epochs
    (x_train, y_train), (x_test, y_test) = data
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
    x_train, x_test = module.preprocess_input(x_train), module.preprocess_input(x_test)

    keras.utils.set_random_seed(SEED)
    flip_rng = np.random.default_rng(SEED)
    model = getattr(module, BUILDERS[name])(weights=None)
    steps = epochs * -(-len(x_train) // BATCH_SIZE)
    schedule = keras.optimizers.schedules.CosineDecay(peak_lr, decay_steps=steps, alpha=0.01)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    print(f"== {name}: {model.count_params():,} parameters, {epochs} epochs on {len(x_train):,} images",
          flush=True)
    start = time.perf_counter()
    for epoch in range(epochs):
        x_epoch = x_train
        if flips:
            flip = flip_rng.random(len(x_train)) < 0.5
            x_epoch = np.where(flip[:, None, None, None], x_train[:, :, ::-1], x_train)
        model.fit(x_epoch, y_train, batch_size=BATCH_SIZE, epochs=epoch + 1, initial_epoch=epoch, verbose=verbose)
    seconds = time.perf_counter() - start

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, module.WEIGHTS_FILE)
    # Save from a fresh, uncompiled copy: the file holds the model's weights only, no optimizer state.
    export = getattr(module, BUILDERS[name])(weights=None)
    export.set_weights(model.get_weights())
    export.save_weights(path)
    _, accuracy = model.evaluate(x_test, y_test, batch_size=500, verbose=0)
    report = {"model": name, "params": model.count_params(), "epochs": epochs, "train_images": len(x_train),
              "train_seconds": round(seconds, 1), "test_accuracy": round(float(accuracy), 4),
              "weights_file": module.WEIGHTS_FILE, "bytes": os.path.getsize(path), "sha256": _common.sha256_of(path)}
    print(json.dumps(report), flush=True)
    return report


def update_hash(name, sha256):
    """Write ``sha256`` into the builder module's ``WEIGHTS_SHA256`` line."""
    path = RECIPES[name][0].__file__
    with open(path, encoding="utf-8") as f:
        source = f.read()
    new, count = re.subn(r'^WEIGHTS_SHA256 = "[0-9a-f]*"$', f'WEIGHTS_SHA256 = "{sha256}"', source, flags=re.M)
    if count != 1:
        raise RuntimeError(f"No single WEIGHTS_SHA256 line in {path}.")
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    print(f"updated WEIGHTS_SHA256 in {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(RECIPES), help="comma-separated: " + ", ".join(RECIPES))
    parser.add_argument("--out", default=_common.WEIGHTS_DIR, help="folder for the .weights.h5 files")
    parser.add_argument("--epochs", type=int, default=None, help="override every recipe's epochs")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N images only")
    parser.add_argument("--report", default=None, help="append one JSON line per model to this file")
    parser.add_argument("--update-hashes", action="store_true", help="write the sha256 into the modules")
    parser.add_argument("--verbose", type=int, default=2)
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in RECIPES]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {list(RECIPES)}")
    if keras.backends.backend() != "numpy":
        print(f"note: training on the {keras.backends.backend()} backend; the shipped weights come from numpy",
              file=sys.stderr)
    data = keras.datasets.fashion_mnist.load_data()
    for name in names:
        report = train_one(name, data, args.out, args.epochs, args.limit, args.verbose)
        if args.report:
            with open(args.report, "a", encoding="utf-8") as f:
                f.write(json.dumps(report) + "\n")
        if args.update_hashes:
            update_hash(name, report["sha256"])


if __name__ == "__main__":
    main()
