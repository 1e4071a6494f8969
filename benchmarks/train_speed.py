"""Training speed of the two examples (MLP and CNN) on Fashion-MNIST, kerasette next to Keras 3.

    python benchmarks/train_speed.py [--steps 40] [--out benchmarks/results/train_speed.json]

Each framework runs in its own subprocess (same data, model, batch size and
optimizer), one after another in this one invocation, so the ratios are
comparable on a noisy machine. Keras 3 runs with its torch backend when
``keras`` and ``torch`` are installed; otherwise it is skipped with a note.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

BATCH = 128
HERE = os.path.dirname(os.path.abspath(__file__))


def build(keras, name):
    layers = keras.layers
    if name == "mlp":
        return keras.Sequential([
            keras.Input(shape=(784,)), layers.Dense(512, activation="relu"), layers.Dropout(0.2),
            layers.Dense(512, activation="relu"), layers.Dropout(0.2), layers.Dense(10, activation="softmax"),
        ]), "rmsprop"
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="softmax"),
    ]), "adam"


def worker(framework, model_name, steps):
    """Time ``steps`` training batches of one model; print one JSON line."""
    import numpy as np

    import kerasette

    (x, y), _ = kerasette.datasets.fashion_mnist.load_data()
    x = x[: steps * BATCH].astype("float32") / 255
    y = y[: steps * BATCH]
    x = x.reshape(-1, 784) if model_name == "mlp" else np.expand_dims(x, -1)
    if framework == "kerasette":
        keras = kerasette
        version = kerasette.__version__
    else:
        os.environ["KERAS_BACKEND"] = "torch"
        import keras

        version = f"keras {keras.__version__}, torch {__import__('torch').__version__}"
    model, optimizer = build(keras, model_name)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    model.fit(x[: 3 * BATCH], y[: 3 * BATCH], batch_size=BATCH, epochs=1, verbose=0)  # warm-up
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    print(json.dumps({"framework": framework, "model": model_name, "samples_per_s": len(x) / seconds,
                      "seconds": seconds, "samples": len(x), "version": version}))


def run_worker(framework, model_name, steps):
    cmd = [sys.executable, __file__, "--worker", framework, "--model", model_name, "--steps", str(steps)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"framework": framework, "model": model_name, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(lines[-1])


def keras_available():
    probe = "import keras, torch"
    env = dict(os.environ, KERAS_BACKEND="torch")
    return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40, help="training batches timed per run")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "train_speed.json"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.model, args.steps)

    frameworks = ["kerasette"] + (["keras"] if keras_available() else [])
    notes = [] if "keras" in frameworks else ["Keras 3 + torch not installed: skipped "
                                              "(pip install torch==2.13.0 keras)"]
    results = [run_worker(fw, model, args.steps) for model in ("mlp", "cnn") for fw in frameworks]
    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
               "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset (all cores)"),
               "batch_size": BATCH, "steps": args.steps}
    print(f"{'model':6} {'framework':10} {'samples/s':>10}   version")
    for r in results:
        rate = f"{r['samples_per_s']:10.0f}" if "samples_per_s" in r else f"{'error':>10}"
        print(f"{r['model']:6} {r['framework']:10} {rate}   {r.get('version', r.get('error'))}")
    for model in ("mlp", "cnn"):
        rates = {r["framework"]: r.get("samples_per_s") for r in results if r["model"] == model}
        if rates.get("keras") and rates.get("kerasette"):
            print(f"{model}: kerasette / Keras 3 (torch) = {rates['kerasette'] / rates['keras']:.2f}x")
    for note in notes:
        print("note:", note)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"machine": machine, "results": results, "notes": notes}, f, indent=2)
    print("written to", args.out)


if __name__ == "__main__":
    main()
