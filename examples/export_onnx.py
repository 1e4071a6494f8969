"""Export the four bundled applications to ONNX (preprocessing built in) and check them against model.predict.

    python examples/export_onnx.py                      # writes onnx/<application>.onnx and prints the table
    python examples/export_onnx.py --out models --images 2000
    python examples/predict.py --onnx onnx/vgg_small.onnx

Each file takes raw pixel values (0-255, shape (N, 28, 28, 1)): a Rescaling layer in front of the application
does what its ``preprocess_input`` does, so a server needs nothing but onnxruntime. The table compares
onnxruntime's probabilities with ``model.predict`` on ``preprocess_input`` of the first Fashion-MNIST test
images: the largest absolute difference, how often the top-1 class agrees, and the file size.
"""

import argparse
import os

import numpy as np

import kerasette as keras
from kerasette import applications, layers

MEAN, STD = applications._common.FASHION_MNIST_MEAN, applications._common.FASHION_MNIST_STD
# (module, Rescaling scale, offset): preprocess_input as x * scale + offset
APPLICATIONS = {
    "LeNet5": (applications.lenet5, 1 / 255.0, 0.0),
    "VGGSmall": (applications.vgg_small, 1 / 255.0, 0.0),
    "ResNetSmall": (applications.resnet_small, 1 / (255.0 * STD), -MEAN / STD),
    "MobileNetSmall": (applications.mobilenet_small, 1 / 127.5, -1.0),
}


def served_model(name):
    """``(application, served)``: the pretrained application, and it behind a Rescaling of raw pixels."""
    _, scale, offset = APPLICATIONS[name]
    model = getattr(applications, name)(weights="fashion_mnist")
    pixels = keras.Input(model.input_shape[1:], name="pixels")
    served = keras.Model(pixels, model(layers.Rescaling(scale, offset, name="preprocess")(pixels)),
                         name=f"{model.name}_served")
    return model, served


def export_and_compare(name, out_dir, images):
    """Export one application; return its table row ``(name, max |difference|, top-1 agreement, bytes)``."""
    import onnxruntime

    module = APPLICATIONS[name][0]
    model, served = served_model(name)
    path = os.path.join(out_dir, f"{module.__name__.rsplit('.', 1)[-1]}.onnx")
    served.export(path, format="onnx", verbose=False, metadata={"preprocessing": "none"})
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    ours = session.run(None, {"pixels": images[..., None].astype("float32")})[0]
    reference = model.predict(module.preprocess_input(images), verbose=0, batch_size=256)
    agreement = float(np.mean(ours.argmax(1) == reference.argmax(1)))
    return name, float(np.max(np.abs(ours - reference))), agreement, os.path.getsize(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="onnx", help="folder for the .onnx files")
    parser.add_argument("--images", type=int, default=1000, help="how many test images to compare on")
    parser.add_argument("--only", choices=sorted(APPLICATIONS), nargs="*", default=None)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    _, (x_test, _) = keras.datasets.fashion_mnist.load_data()
    images = x_test[: args.images]
    rows = [export_and_compare(name, args.out, images) for name in (args.only or APPLICATIONS)]
    print(f"| application | max abs difference vs model.predict ({len(images)} test images) | top-1 agreement | "
          "file size |")
    print("|---|---|---|---|")
    for name, difference, agreement, size in rows:
        print(f"| {name} | {difference:.1e} | {agreement:.1%} | {size / 1024:.0f} KiB |")
    return rows


if __name__ == "__main__":
    main()
