"""Train a small convnet on Fashion-MNIST: the Keras example, with ``import kerasette as keras``.

    python examples/fashion_mnist_cnn.py [--epochs 3] [--limit N] [--backend numpy]

Prints the test accuracy and the training time. ``--limit`` trains on the
first N training images (for quick checks).
"""

import argparse
import time

import numpy as np

import kerasette as keras
from kerasette import layers


def build_model(float32_softmax=False):
    """The convnet. ``float32_softmax=True`` ends it in a separate softmax layer kept in float32, as Keras
    advises under a ``mixed_float16`` policy (the tests and the mixed-precision benchmark build it so)."""
    if float32_softmax:
        classifier = [layers.Dense(10), layers.Activation("softmax", dtype="float32")]
    else:
        classifier = [layers.Dense(10, activation="softmax")]
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        *classifier,
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    parser.add_argument("--backend", default=None, help="numpy (default) or opencl")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if args.backend:
        keras.backends.set_backend(args.backend)
    if args.seed is not None:
        keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]

    model = build_model()
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
