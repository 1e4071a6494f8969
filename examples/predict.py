"""Serve a model: load it once, print the top-3 Fashion-MNIST classes for test images or your own pictures.

    python examples/predict.py                                  # bundled VGGSmall, 5 test images
    python examples/predict.py --application ResNetSmall --images 10
    python examples/predict.py --model my_model.keras           # a model saved with model.save(...)
    python examples/predict.py shoe.png bag.jpg                 # your pictures (needs Pillow)
    python examples/predict.py --onnx vgg_small.onnx            # an exported model, with onnxruntime only

A bundled application is built with its pretrained weights (offline) and its own
``preprocess_input``. A saved model (``.keras`` or ``.h5``) gets the scaling the examples train
with, pixel values / 255. Pictures are converted to grayscale, resized to the model's input size
and, when their background is light (a product photo on white), inverted, since Fashion-MNIST
shows light items on black.

With ``--onnx`` the script needs numpy and onnxruntime, not kerasette: the model is an ``.onnx`` file
written by ``model.export(path, format="onnx")``. It gets pixel values / 255, unless the file's
``preprocessing`` metadata says ``"none"``: ``examples/export_onnx.py`` exports the four applications with
their ``preprocess_input`` built in (a Rescaling layer first), and says so. The test images are read from
the Fashion-MNIST files in ``$KERASETTE_DATA/fashion-mnist``, ``~/.kerasette/datasets/fashion-mnist`` or
Debian's ``/usr/share/datasets/fashion-mnist``.
"""

import argparse
import gzip
import os

import numpy as np

APPLICATIONS = ("LeNet5", "VGGSmall", "ResNetSmall", "MobileNetSmall")
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
SCALINGS = {"x / 255": lambda x: x / 255.0, "none": lambda x: x}


def load(model_path=None, application="VGGSmall"):
    """``(model, preprocess)``: a saved model with /255 scaling, or a bundled application with its own."""
    import kerasette as keras
    from kerasette import applications

    if model_path:
        model = keras.models.load_model(model_path, compile=False)
        return model, lambda x: np.asarray(x, dtype="float32") / 255.0
    modules = {"LeNet5": applications.lenet5, "VGGSmall": applications.vgg_small,
               "ResNetSmall": applications.resnet_small, "MobileNetSmall": applications.mobilenet_small}
    return getattr(applications, application)(weights="fashion_mnist"), modules[application].preprocess_input


class OnnxModel:
    """An exported model run by onnxruntime, with the input size, channels and scaling its file declares.

    Args:
        path: the ``.onnx`` file.
    """

    def __init__(self, path):
        try:
            import onnxruntime
        except ImportError as error:
            raise SystemExit("Serving an ONNX model needs onnxruntime: pip install onnxruntime") from error
        self.session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0]
        metadata = self.session.get_modelmeta().custom_metadata_map
        scaling = metadata.get("preprocessing", "x / 255")
        if scaling not in SCALINGS:
            raise SystemExit(f"{path}: unknown preprocessing {scaling!r} in its metadata; expected one of "
                             f"{sorted(SCALINGS)}")
        self.scale = SCALINGS[scaling]
        dims = [d if isinstance(d, int) else None for d in self.input.shape]
        self.size = tuple(dims[1:3]) if None not in dims[1:3] else (28, 28)
        self.channels = dims[3] if len(dims) == 4 else None

    def predict(self, images):
        """Class probabilities for uint8 images (N, H, W) of the model's size."""
        x = self.scale(np.asarray(images, dtype="float32"))[..., None]
        if self.channels is not None and self.channels != 1:
            x = np.repeat(x, self.channels, axis=-1)
        return self.session.run(None, {self.input.name: x.astype("float32")})[0]


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


def fashion_mnist_test_set(count):
    """The first ``count`` test images and labels, read from the IDX files without kerasette."""
    folders = [os.path.join(os.environ[key], "fashion-mnist") for key in ("KERASETTE_DATA",) if key in os.environ]
    folders += [os.path.expanduser("~/.kerasette/datasets/fashion-mnist"), "/usr/share/datasets/fashion-mnist"]
    for folder in folders:
        images, labels = (os.path.join(folder, f"t10k-{kind}-idx{rank}-ubyte.gz") for kind, rank in
                          (("images", 3), ("labels", 1)))
        if os.path.exists(images) and os.path.exists(labels):
            with gzip.open(images) as f:
                x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
            with gzip.open(labels) as f:
                y = np.frombuffer(f.read(), np.uint8, offset=8)
            return x[:count], y[:count]
    raise SystemExit(f"No Fashion-MNIST test files in {folders}: pass picture files instead, or install them "
                     "(apt-get install dataset-fashion-mnist).")


def fit_channels(images, model):
    """(N, H, W) or (N, H, W, 1) scaled images shaped for the model's input (grayscale repeated for RGB)."""
    images = images if images.ndim == 4 else images[..., None]
    channels = model.inputs[0].shape[-1]
    if channels is not None and images.shape[-1] != channels:
        images = np.repeat(images[..., :1], channels, axis=-1)
    return images


def decode(probabilities, top):
    """Top-``top`` ``(class_index, class_name, score)`` tuples for each row of probabilities."""
    ranked = np.argsort(-probabilities, axis=1)[:, :top]
    return [[(int(i), CLASS_NAMES[i], float(row[i])) for i in order] for row, order in zip(probabilities, ranked)]


def predict_top(model, preprocess, images, top=3):
    """Top-``top`` ``(class_index, class_name, score)`` tuples for each uint8 image."""
    from kerasette.applications import _common

    probabilities = model.predict(fit_channels(preprocess(images), model), verbose=0)
    return _common.decode_predictions(probabilities, top=top)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pictures", nargs="*", help="PNG/JPEG files (needs Pillow); default: test images")
    parser.add_argument("--model", default=None, help="a saved model (.keras or .h5) instead of an application")
    parser.add_argument("--onnx", default=None, help="an exported .onnx model, run with onnxruntime only")
    parser.add_argument("--application", default="VGGSmall", choices=APPLICATIONS)
    parser.add_argument("--images", type=int, default=5, help="how many test images when no picture is given")
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args(argv)
    if args.onnx and args.model:
        parser.error("give --model or --onnx, not both")

    if args.onnx:
        model = OnnxModel(args.onnx)
        size = model.size
    else:
        model, preprocess = load(args.model, args.application)
        size = tuple(model.inputs[0].shape[1:3])
        if None in size:
            size = (28, 28)
    if args.pictures:
        images, names, truth = read_pictures(args.pictures, size), [os.path.basename(p) for p in args.pictures], None
    else:
        if args.onnx:
            images, truth = fashion_mnist_test_set(args.images)
        else:
            import kerasette as keras

            _, (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
            images, truth = x_test[: args.images], y_test[: args.images]
        names = [f"test image {i}" for i in range(len(images))]
    if args.onnx:
        print(f"model: {args.onnx} (onnxruntime)")
        results = decode(model.predict(images), args.top)
    else:
        print(f"model: {args.model or args.application + ' (bundled fashion_mnist weights)'}")
        results = predict_top(model, preprocess, images, args.top)
    for i, (name, ranked) in enumerate(zip(names, results)):
        label = "" if truth is None else f" (true: {CLASS_NAMES[int(truth[i])]})"
        print(f"{name}{label}: " + ", ".join(f"{cls} {score:.3f}" for _, cls, score in ranked))
    return results


if __name__ == "__main__":
    main()
