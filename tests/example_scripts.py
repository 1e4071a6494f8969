"""The repository's example scripts (``examples/*.py``) imported as modules, and the Fashion-MNIST data they use."""

import importlib.util
import os

import pytest

import kerasette as keras

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def load_example(name):
    """``examples/<name>.py`` as a fresh module (its ``main`` does not run)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fashion_mnist_or_skip():
    """``fashion_mnist.load_data()``, or skip the test on a machine without a copy of the data."""
    try:
        return keras.datasets.fashion_mnist.load_data()
    except (OSError, RuntimeError) as error:
        pytest.skip(f"Fashion-MNIST not available: {error}")


def scaled_fashion_mnist_or_skip():
    """Fashion-MNIST with the images as float32 in [0, 1] (28x28, no channel axis), or skip as above."""
    (x_train, y_train), (x_test, y_test) = fashion_mnist_or_skip()
    return (x_train.astype("float32") / 255, y_train), (x_test.astype("float32") / 255, y_test)
