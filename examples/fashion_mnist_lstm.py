"""Classify Fashion-MNIST with an LSTM that reads each image as 28 steps of 28 pixels: the classic Keras recipe.

    python examples/fashion_mnist_lstm.py [--epochs 15] [--limit N] [--backend numpy] [--units 128]

Each image row is one timestep (28 features); an ``LSTM(128)`` reads the 28 rows and a softmax layer
classifies its last state. The LSTM runs as one input GEMM plus one GEMM and one fused gate kernel
per step, forwards and backwards. Prints the test accuracy and the training time. ``--limit``
trains on the first N training images (for quick checks).
"""

import argparse
import time

import kerasette as keras
from kerasette import layers


def build_model(units=128):
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.LSTM(units),
        layers.Dense(10, activation="softmax"),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--units", type=int, default=128)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    parser.add_argument("--backend", default=None, help="numpy (default) or opencl")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.backend:
        keras.backends.set_backend(args.backend)
    keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train, x_test = x_train.astype("float32") / 255, x_test.astype("float32") / 255  # (n, 28 steps, 28 features)
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]

    model = build_model(args.units)
    model.summary()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=0.1)
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    trained = int(len(x_train) * 0.9) * args.epochs
    print(f"test loss: {loss:.4f}  test accuracy: {accuracy:.4f}")
    print(f"training time: {seconds:.1f} s ({trained / seconds:.0f} samples/s, backend {keras.backends.backend()})")
    print("first predictions:", model.predict(x_test[:3], verbose=0).argmax(axis=1), "labels:", y_test[:3])


if __name__ == "__main__":
    main()
