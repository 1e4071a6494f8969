"""Shared helpers for the applications tests: the four builders and the Fashion-MNIST test set."""

import pytest

from kerasette import applications

BUILDERS = {
    "LeNet5": (applications.LeNet5, applications.lenet5),
    "VGGSmall": (applications.VGGSmall, applications.vgg_small),
    "ResNetSmall": (applications.ResNetSmall, applications.resnet_small),
    "MobileNetSmall": (applications.MobileNetSmall, applications.mobilenet_small),
}
NAMES = list(BUILDERS)
FLATTEN_TOP = {"LeNet5", "VGGSmall"}  # classifiers that read a flattened map: pretrained top needs 28x28
FEATURES = {"LeNet5": 16, "VGGSmall": 32, "ResNetSmall": 64, "MobileNetSmall": 128}


def fashion_test_set():
    from kerasette.datasets import fashion_mnist

    try:
        return fashion_mnist.load_data()[1]
    except (OSError, RuntimeError) as error:  # no copy of the data on this machine
        pytest.skip(f"Fashion-MNIST not available: {error}")
