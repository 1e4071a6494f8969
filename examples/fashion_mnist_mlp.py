"""Train a 784-512-512-10 MLP with dropout on Fashion-MNIST with RMSprop (the Keras mnist_mlp recipe).

    python examples/fashion_mnist_mlp.py [--epochs 5] [--limit N] [--backend numpy]

Prints the test accuracy and the training time.
"""

import argparse
import time

import kerasette as keras
from kerasette import layers


def build_model():
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
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
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)
    y_test = keras.utils.to_categorical(y_test, 10)
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]

    model = build_model()
    model.summary()
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=2,
              validation_data=(x_test, y_test))
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss: {loss:.4f}  test accuracy: {accuracy:.4f}")
    print(f"training time: {seconds:.1f} s ({len(x_train) * args.epochs / seconds:.0f} samples/s, "
          f"backend {keras.backends.backend()})")


if __name__ == "__main__":
    main()
