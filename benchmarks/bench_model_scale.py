"""How building, saving and loading scale with depth: Sequential and functional chains of Dense layers.

    python benchmarks/bench_model_scale.py [--depths 100 250 500 1000]

Prints one line per depth and form: seconds to build the model, to save and load it as .keras and as
.h5, and the time per layer, so a quadratic step shows up as a time per layer that grows with depth.
Numpy backend, one process; the machine is shared, so compare within one run.
"""

import argparse
import os
import tempfile
import time

import numpy as np

import kerasette as keras


def _sequential(depth):
    return keras.Sequential([keras.Input((8,))] + [keras.layers.Dense(8) for _ in range(depth)])


def _functional(depth):
    x = inputs = keras.Input((8,))
    for _ in range(depth):
        x = keras.layers.Dense(8)(x)
    return keras.Model(inputs, x)


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def measure(depth, build, folder):
    """Seconds to build, save and load a ``depth``-layer model, per format; checks the loads predict alike."""
    model, build_s = _timed(lambda: build(depth))
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    expected = model.predict(x, verbose=0)
    row = {"build": build_s}
    for extension in (".keras", ".h5"):
        path = os.path.join(folder, f"model{extension}")
        _, row["save" + extension] = _timed(lambda p=path: model.save(p))
        loaded, row["load" + extension] = _timed(lambda p=path: keras.models.load_model(p))
        np.testing.assert_array_equal(loaded.predict(x, verbose=0), expected)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", type=int, nargs="+", default=[100, 250, 500, 1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for form, build in (("sequential", _sequential), ("functional", _functional)):
            for depth in args.depths:
                keras.utils.clear_session()
                row = measure(depth, build, folder)
                cells = "  ".join(f"{key} {seconds:6.2f} s" for key, seconds in row.items())
                per_layer = 1000 * (row["build"] + row["load.keras"]) / depth
                print(f"{form:10s} {depth:5d} layers  {cells}  (build+load.keras {per_layer:.2f} ms/layer)")


if __name__ == "__main__":
    main()
