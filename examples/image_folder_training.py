"""Train a convnet from a folder of images with augmentation: Fashion-MNIST written as PNG files, one folder per class.

    python examples/image_folder_training.py [--per-class 1000] [--epochs 8] [--workers 2] [--backend numpy]
                                             [--folder DIR]

The real Fashion-MNIST training images (``--per-class`` of each of the 10 classes) are written as
PNG files under ``DIR/<class name>/`` (a temporary folder unless ``--folder`` is given, deleted at
the end). ``keras.utils.image_dataset_from_directory`` reads them back, 20% held out for
validation; ``workers`` threads decode the next batches while the current step trains. Each
training batch goes through augmentation layers (``RandomFlip``, ``RandomRotation``,
``RandomTranslation``) in a ``map``, on the main thread; validation batches are not augmented.
The model then scores the 10,000 test images, read as arrays in memory.
"""

import argparse
import os
import shutil
import tempfile
import time

import numpy as np

import kerasette as keras
from kerasette import layers

CLASS_NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]


def write_folder(folder, images, labels, per_class):
    """``per_class`` PNG files of each class under ``folder/<class name>/``."""
    for label, name in enumerate(CLASS_NAMES):
        os.makedirs(os.path.join(folder, name), exist_ok=True)
        for i, index in enumerate(np.flatnonzero(labels == label)[:per_class]):
            keras.utils.save_img(os.path.join(folder, name, f"{i:05d}.png"), images[index][:, :, None], scale=False)


def build_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(len(CLASS_NAMES), activation="softmax"),
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=1000, help="training images written per class")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="threads decoding images")
    parser.add_argument("--backend", default="numpy", choices=["numpy", "opencl"])
    parser.add_argument("--folder", help="where to write the images (kept); default: a temporary folder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    keras.backends.set_backend(args.backend)
    keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    folder = args.folder or tempfile.mkdtemp(prefix="fashion-mnist-png-")
    try:
        write_folder(folder, x_train, y_train, args.per_class)
        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            folder, color_mode="grayscale", image_size=(28, 28), batch_size=args.batch_size,
            validation_split=0.2, subset="both", seed=args.seed, class_names=CLASS_NAMES, workers=args.workers)

        augment = keras.Sequential([
            layers.RandomFlip("horizontal", seed=args.seed),
            layers.RandomRotation(0.05, seed=args.seed),
            layers.RandomTranslation(0.1, 0.1, seed=args.seed),
        ])
        train_ds = train_ds.map(lambda images, labels: (augment(images, training=True), labels))

        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        start = time.perf_counter()
        history = model.fit(train_ds, validation_data=val_ds, epochs=args.epochs, verbose=2)
        seconds = time.perf_counter() - start
        _, accuracy = model.evaluate(x_test[:, :, :, None].astype("float32"), y_test, verbose=0)
        seen = args.epochs * len(train_ds.file_paths)
        print(f"{len(train_ds.file_paths)} training and {len(val_ds.file_paths)} validation images from {folder}; "
              f"{seen / seconds:.0f} images/s in training (with validation); validation accuracy "
              f"{history.history['val_accuracy'][-1]:.4f}; test accuracy {accuracy:.4f}")
        return accuracy
    finally:
        if not args.folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
