"""Look at a training run without TensorBoard: `History` curves saved as a PNG with matplotlib.

    python examples/plot_history.py [--epochs 5] [--limit 6000] [--out history.png] [--logdir logs]

Trains a small MLP on Fashion-MNIST, then draws one panel per metric (loss, accuracy, ...) with
the training curve and, when there is one, the validation curve. matplotlib is optional for
kerasette: without it the script says how to install it and exits with status 1. With
`--logdir` the same run is also written for TensorBoard (`pip install "kerasette[tensorboard]"`,
then `tensorboard --logdir logs`).
"""

import argparse
import sys

import kerasette as keras
from kerasette import layers


def plot_history(history, path, title=None):
    """Save the curves of a `History` (or its `.history` dict) to `path`; returns the panel names.

    Raises ImportError (with the pip command) when matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no window, no display needed
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator
    except ImportError as error:
        raise ImportError("Plotting the history needs matplotlib, which kerasette does not install: "
                          "pip install matplotlib") from error
    logs = getattr(history, "history", history)
    names = [key for key in logs if not key.startswith("val_")]
    figure, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.6), squeeze=False)
    for axis, name in zip(axes[0], names):
        epochs = range(1, len(logs[name]) + 1)
        axis.plot(epochs, logs[name], marker="o", label="training")
        if f"val_{name}" in logs:
            axis.plot(range(1, len(logs[f"val_{name}"]) + 1), logs[f"val_{name}"], marker="o", label="validation")
        axis.set_title(name)
        axis.set_xlabel("epoch")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(alpha=0.3)
        axis.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=6000, help="train on the first N images")
    parser.add_argument("--out", default="history.png")
    parser.add_argument("--logdir", default=None, help="also write TensorBoard logs here")
    args = parser.parse_args(argv)
    try:
        import matplotlib  # noqa: F401 - checked before spending time on training
    except ImportError:
        print("This example draws with matplotlib, which is not installed: pip install matplotlib",
              file=sys.stderr)
        return 1

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train = x_train[: args.limit].reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    model = keras.Sequential([keras.Input((784,)), layers.Dense(128, activation="relu"), layers.Dropout(0.2),
                              layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = [keras.callbacks.TensorBoard(args.logdir, histogram_freq=1)] if args.logdir else []
    history = model.fit(x_train, y_train[: args.limit], epochs=args.epochs, batch_size=64, verbose=2,
                        validation_data=(x_test[:2000], y_test[:2000]), callbacks=callbacks)
    plot_history(history, args.out, title=f"Fashion-MNIST MLP, {len(x_train)} images")
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
