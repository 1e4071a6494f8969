"""Serve a model: load it once, print the top-3 Fashion-MNIST classes for test images or your own pictures.

    python examples/predict.py                                  # bundled VGGSmall, 5 test images
    python examples/predict.py --application ResNetSmall --images 10
    python examples/predict.py --model my_model.keras           # a model saved with model.save(...)
    python examples/predict.py shoe.png bag.jpg                 # your pictures (needs Pillow)

A bundled application is built with its pretrained weights (offline) and its own
``preprocess_input``. A saved model (``.keras`` or ``.h5``) gets the scaling the examples train
with, pixel values / 255. Pictures are converted to grayscale, resized to the model's input size
and, when their background is light (a product photo on white), inverted, since Fashion-MNIST
shows light items on black.
"""

import argparse
import os

import numpy as np
from kerasette.applications import _common

import kerasette as keras
from kerasette import applications

BUILDERS = {name: getattr(applications, name) for name in ("LeNet5", "VGGSmall", "ResNetSmall", "MobileNetSmall")}
MODULES = {"LeNet5": applications.lenet5, "VGGSmall": applications.vgg_small,
           "ResNetSmall": applications.resnet_small, "MobileNetSmall": applications.mobilenet_small}


def load(model_path=None, application="VGGSmall"):
    """``(model, preprocess)``: a saved model with /255 scaling, or a bundled application with its own."""
    if model_path:
        model = keras.models.load_model(model_path, compile=False)
        return model, lambda x: np.asarray(x, dtype="float32") / 255.0
    return BUILDERS[application](weights="fashion_mnist"), MODULES[application].preprocess_input


def read_pictures(paths, size):
    """Grayscale uint8 arrays of shape (len(paths), height, width) from PNG/JPEG files (needs Pillow)."""
    try:
        from PIL import Image
    except ImportError as error:
        raise SystemExit("Reading PNG/JPEG files needs Pillow: pip install Pillow") from error
    pictures = []
    for path in paths:
        with Image.open(path) as image:
            gray = np.asarray(image.convert("L").resize((size[1], size[0]), Image.BILINEAR), dtype=np.uint8)
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        if border.mean() > 127:  # light background: invert to Fashion-MNIST's light-on-black
            gray = 255 - gray
        pictures.append(gray)
    return np.stack(pictures)


def fit_channels(images, model):
    """(N, H, W) or (N, H, W, 1) scaled images shaped for the model's input (grayscale repeated for RGB)."""
    images = images if images.ndim == 4 else images[..., None]
    channels = model.inputs[0].shape[-1]
    if channels is not None and images.shape[-1] != channels:
        images = np.repeat(images[..., :1], channels, axis=-1)
    return images


def predict_top(model, preprocess, images, top=3):
    """Top-``top`` ``(class_index, class_name, score)`` tuples for each uint8 image."""
    probabilities = model.predict(fit_channels(preprocess(images), model), verbose=0)
    return _common.decode_predictions(probabilities, top=top)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pictures", nargs="*", help="PNG/JPEG files (needs Pillow); default: test images")
    parser.add_argument("--model", default=None, help="a saved model (.keras or .h5) instead of an application")
    parser.add_argument("--application", default="VGGSmall", choices=sorted(BUILDERS))
    parser.add_argument("--images", type=int, default=5, help="how many test images when no picture is given")
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args(argv)

    model, preprocess = load(args.model, args.application)
    size = tuple(model.inputs[0].shape[1:3])
    if None in size:
        size = (28, 28)
    if args.pictures:
        images, names, truth = read_pictures(args.pictures, size), [os.path.basename(p) for p in args.pictures], None
    else:
        _, (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
        images, truth = x_test[: args.images], y_test[: args.images]
        names = [f"test image {i}" for i in range(len(images))]
    print(f"model: {args.model or args.application + ' (bundled fashion_mnist weights)'}")
    results = predict_top(model, preprocess, images, args.top)
    for i, (name, ranked) in enumerate(zip(names, results)):
        label = "" if truth is None else f" (true: {_common.CLASS_NAMES[int(truth[i])]})"
        print(f"{name}{label}: " + ", ".join(f"{cls} {score:.3f}" for _, cls, score in ranked))
    return results


if __name__ == "__main__":
    main()
