"""The real Fashion-MNIST files from Debian's dataset-fashion-mnist package."""

import os

import numpy as np
import pytest

from kerasette.datasets import _files, fashion_mnist

DEBIAN_DIR = os.path.join(_files.SYSTEM_DIR, "fashion-mnist")

pytestmark = pytest.mark.skipif(
    not os.path.isdir(DEBIAN_DIR), reason="needs `apt-get install dataset-fashion-mnist`"
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Loaded once, from the Debian directory only (an empty HOME, no KERASETTE_DATA)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        mp.delenv("KERASETTE_DATA", raising=False)
        return fashion_mnist.load_data()


def test_shapes_and_dtypes(data):
    (x_train, y_train), (x_test, y_test) = data
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8


def test_labels_and_pixels(data):
    (x_train, y_train), (x_test, y_test) = data
    assert y_train.min() == 0 and y_train.max() == 9
    np.testing.assert_array_equal(np.bincount(y_train), np.full(10, 6000))  # balanced classes
    np.testing.assert_array_equal(np.bincount(y_test), np.full(10, 1000))
    assert x_train.max() == 255 and x_train.min() == 0
    assert 60 < x_train.mean() < 80  # about 72.9 for Fashion-MNIST
    assert y_train[:5].tolist() == [9, 0, 0, 3, 0]  # ankle boot, T-shirt, T-shirt, dress, T-shirt


def test_debian_copies_match_the_published_contents():
    """Debian's gzip bytes differ from Zalando's, but the data inside is the published data."""
    for remote in fashion_mnist.SOURCE.files:
        _files.verify(os.path.join(DEBIAN_DIR, remote.name), remote, "debian")
