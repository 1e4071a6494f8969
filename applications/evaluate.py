"""Measure every bundled application on the Fashion-MNIST test set and print the README table.

    python -m kerasette.applications.evaluate          # or: python applications/evaluate.py

Each model is loaded the way a user loads it (``weights="fashion_mnist"``, offline, sha256 checked),
its module's ``preprocess_input`` is applied to the 10,000 test images, and the accuracy of the
top-1 prediction is printed with the parameter count and the size of the weights file. The
figures are the ones each module records as ``TEST_ACCURACY``; the tests check them.
"""

import argparse
import os
import time

import numpy as np
from kerasette.applications import _common, lenet5, mobilenet_small, resnet_small, vgg_small

# builder name -> (module, one-line description)
APPLICATIONS = {
    "LeNet5": (lenet5, "LeNet-5: conv 6-16 (5x5), dense 120-84"),
    "VGGSmall": (vgg_small, "VGG-style: 2 blocks of 2 conv 3x3 (16, 32), BN, dense 128"),
    "ResNetSmall": (resnet_small, "ResNet: 3 basic residual blocks (16-32-64), BN, Add"),
    "MobileNetSmall": (mobilenet_small, "MobileNet: 5 depthwise-separable blocks, BN, ReLU6"),
}


def load_test_set():
    """The Fashion-MNIST test images (uint8, 10000x28x28) and labels."""
    from kerasette.datasets import fashion_mnist

    _, (x_test, y_test) = fashion_mnist.load_data()
    return x_test, y_test


def measure(name, test_set=None, batch_size=500):
    """Load application ``name`` with its bundled weights and measure it on the test set.

    Returns:
        dict with ``name``, ``params``, ``weights_bytes``, ``accuracy`` (top-1 on the test images),
        ``stated`` (the module's ``TEST_ACCURACY``) and ``seconds`` (load plus inference).
    """
    module, _ = APPLICATIONS[name]
    x_test, y_test = load_test_set() if test_set is None else test_set
    start = time.perf_counter()
    model = getattr(module, name)(weights=_common.PRETRAINED)
    probabilities = model.predict(module.preprocess_input(x_test), batch_size=batch_size, verbose=0)
    accuracy = float(np.mean(np.argmax(probabilities, axis=1) == np.asarray(y_test)))
    return {
        "name": name,
        "params": model.count_params(),
        "weights_bytes": os.path.getsize(os.path.join(_common.WEIGHTS_DIR, module.WEIGHTS_FILE)),
        "accuracy": accuracy,
        "stated": module.TEST_ACCURACY,
        "seconds": time.perf_counter() - start,
    }


def table(results):
    """The README's Markdown table for ``measure`` results."""
    lines = ["| architecture | builder | parameters | weights file | test accuracy |", "|---|---|---:|---:|---:|"]
    for r in results:
        description = APPLICATIONS[r["name"]][1]
        lines.append(f"| {description} | `{r['name']}` | {r['params']:,} | {r['weights_bytes'] / 1024:.0f} KiB "
                     f"| {r['accuracy']:.4f} |")
    return "\n".join(lines)


def main(argv=None):
    """Measure the applications named by ``--models`` (default: all) and print the README's table.

    Args:
        argv: the command-line arguments (None: ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(APPLICATIONS), help="comma-separated builder names")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in APPLICATIONS]
    if unknown:
        parser.error(f"unknown application(s) {unknown}; choose from {list(APPLICATIONS)}")
    test_set = load_test_set()
    results = []
    for name in names:
        result = measure(name, test_set)
        results.append(result)
        print(f"{name}: accuracy {result['accuracy']:.4f} (stated {result['stated']:.4f}), "
              f"{result['seconds']:.1f} s", flush=True)
    print()
    print(table(results))


if __name__ == "__main__":
    main()
