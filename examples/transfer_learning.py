"""Transfer learning on Fashion-MNIST: freeze learned features, retrain a classifier, fine-tune an application.

    python examples/transfer_learning.py [--epochs 2] [--budget 1000] [--limit N] [--seed 0]

Part 1 is Keras's classic recipe (``mnist_transfer_cnn``): train a convnet on the classes 0-4
(T-shirt/top, Trouser, Pullover, Dress, Coat), freeze its feature layers, and retrain only the
dense classifier on the classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot).

Part 2 fine-tunes a bundled application on a small labelled set of a different task: telling how
a picture is rotated (0, 90, 180 or 270 degrees). The images come from the Fashion-MNIST *test*
split, which the pretrained weights never saw: ``--budget`` of the first 5,000 are labelled for
training, the other 5,000 measure accuracy. ``ResNetSmall(include_top=False,
weights="fashion_mnist")`` gets a new head (its 4x4x64 feature map flattened, so where things are
stays visible, then a 4-way dense layer), trained first on the frozen base, then with the base
unfrozen at a lower learning rate. The same network trained from scratch on the same images, for
the same number of epochs, is the baseline. Both accuracies are printed.
"""

import argparse
import time

import numpy as np
from kerasette.applications import resnet_small

import kerasette as keras
from kerasette import layers

FIRST, SECOND = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)


# ----- part 1: the classic recipe ------------------------------------------------------------------
def part1(data, epochs, limit, batch_size=128):
    (x_train, y_train), (x_test, y_test) = data
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)

    def split(x, y, classes):
        keep = np.isin(y, classes)
        return x[keep][:limit], (y[keep] - classes[0])[:limit]

    feature_layers = [
        layers.Conv2D(32, 3, activation="relu", name="conv1"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(64, 3, activation="relu", name="conv2"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Dropout(0.25, name="features_dropout"),
        layers.Flatten(name="flatten"),
    ]
    classification_layers = [
        layers.Dense(128, activation="relu", name="fc"),
        layers.Dropout(0.5, name="fc_dropout"),
        layers.Dense(len(FIRST), activation="softmax", name="predictions"),
    ]
    model = keras.Sequential([keras.Input(shape=(28, 28, 1))] + feature_layers + classification_layers)

    def train(classes, what):
        xs, ys = split(x_train, y_train, classes)
        xt, yt = split(x_test, y_test, classes)
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        trainable = sum(int(np.prod(v.shape)) for v in model.trainable_weights)
        start = time.perf_counter()
        model.fit(xs, ys, batch_size=batch_size, epochs=epochs, verbose=2)
        _, accuracy = model.evaluate(xt, yt, verbose=0)
        print(f"  {what}: {trainable:,} trainable parameters, {len(xs):,} images, "
              f"{time.perf_counter() - start:.0f} s -> test accuracy {accuracy:.4f} on classes {classes}")
        return accuracy

    print("Part 1: train a convnet on classes 0-4, freeze its features, retrain the classifier on 5-9")
    first = train(FIRST, "convnet on classes 0-4")
    for layer in feature_layers:
        layer.trainable = False  # takes effect at the next compile (done in train)
    second = train(SECOND, "classifier only on classes 5-9")
    return first, second


# ----- part 2: fine-tune a bundled application on a different task -----------------------------------
def rotation_task(x_test, budget, seed):
    """Images of the test split rotated by k*90 degrees; the label is k. Train and held-out halves."""
    rng = np.random.default_rng(seed)
    half = len(x_test) // 2
    labels = rng.integers(0, 4, size=len(x_test))
    rotated = np.stack([np.rot90(image, k) for image, k in zip(x_test, labels)])
    x = resnet_small.preprocess_input(rotated)
    return (x[:budget], labels[:budget]), (x[half:], labels[half:])


def classifier(base, name):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Flatten(name=name + "_flatten")(base(inputs))
    x = layers.Dropout(0.2, name=name + "_dropout")(x)
    outputs = layers.Dense(4, activation="softmax", name=name + "_rotation")(x)
    return keras.Model(inputs, outputs, name=name)


def part2(data, budget, epochs, seed, batch_size=32):
    _, (x_test, _) = data
    (x, y), (x_val, y_val) = rotation_task(x_test, budget, seed)
    print(f"\nPart 2: fine-tune ResNetSmall on a new task (rotation: 0/90/180/270 degrees), {len(x)} labelled "
          f"images, {2 * epochs} epochs each; accuracy on {len(x_val):,} held-out images")

    keras.utils.set_random_seed(seed)
    base = resnet_small.ResNetSmall(include_top=False, weights="fashion_mnist")
    base.trainable = False
    model = classifier(base, "transfer")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)
    _, head_only = model.evaluate(x_val, y_val, verbose=0)
    # Unfreeze the convolutions; keep BatchNormalization frozen (inference mode, its statistics kept), as
    # Keras's fine-tuning guide advises, then recompile so the change takes effect.
    base.trainable = True
    for layer in base.layers:
        if isinstance(layer, layers.BatchNormalization):
            layer.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(3e-4), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)
    _, transfer = model.evaluate(x_val, y_val, verbose=0)
    print(f"  transfer: new head on the frozen base -> {head_only:.4f}; after fine-tuning -> {transfer:.4f} "
          f"({time.perf_counter() - start:.0f} s)")

    keras.utils.set_random_seed(seed)
    scratch_model = classifier(resnet_small.ResNetSmall(include_top=False, weights=None), "scratch")
    scratch_model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
    start = time.perf_counter()
    scratch_model.fit(x, y, batch_size=batch_size, epochs=2 * epochs, verbose=0)
    _, scratch = scratch_model.evaluate(x_val, y_val, verbose=0)
    print(f"  from scratch: same network, same images, {2 * epochs} epochs -> {scratch:.4f} "
          f"({time.perf_counter() - start:.0f} s)")
    verdict = "beats" if transfer > scratch else "does NOT beat"
    print(f"  transfer {transfer:.4f} {verdict} from scratch {scratch:.4f} on {len(x)} labelled images")
    return transfer, scratch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="part 1: epochs for each phase")
    parser.add_argument("--limit", type=int, default=None, help="part 1: use at most N images per phase")
    parser.add_argument("--budget", type=int, default=1000, help="part 2: labelled images (at most 5000)")
    parser.add_argument("--finetune-epochs", type=int, default=5, help="part 2: epochs for each of the two steps")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--part", choices=("1", "2", "both"), default="both")
    args = parser.parse_args(argv)
    if not 1 <= args.budget <= 5000:
        parser.error("--budget must be between 1 and 5000")
    keras.utils.set_random_seed(args.seed)
    data = keras.datasets.fashion_mnist.load_data()
    results = {}
    if args.part in ("1", "both"):
        results["part1"] = part1(data, args.epochs, args.limit)
    if args.part in ("2", "both"):
        results["part2"] = part2(data, args.budget, args.finetune_epochs, args.seed)
    return results


if __name__ == "__main__":
    main()
