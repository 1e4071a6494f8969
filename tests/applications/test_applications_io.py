"""preprocess_input (documented ranges) and decode_predictions (Fashion-MNIST names, top-k)."""

import numpy as np
import pytest
from apps_fixtures import BUILDERS, NAMES
from kerasette.applications import _common

RANGES = {"LeNet5": (0.0, 1.0), "VGGSmall": (0.0, 1.0), "MobileNetSmall": (-1.0, 1.0),
          "ResNetSmall": (-0.2860 / 0.3530, (1 - 0.2860) / 0.3530)}


@pytest.mark.parametrize("name", NAMES)
def test_preprocess_maps_0_255_onto_the_documented_range(name):
    module = BUILDERS[name][1]
    images = np.array([[[0, 255], [128, 64]]], dtype=np.uint8)  # (N, H, W)
    out = module.preprocess_input(images)
    assert out.dtype == np.float32 and out.shape == (1, 2, 2, 1)
    low, high = RANGES[name]
    assert out.min() == pytest.approx(low, abs=1e-6) and out.max() == pytest.approx(high, abs=1e-6)
    np.testing.assert_allclose(module.preprocess_input(images.astype("float64")), out)


@pytest.mark.parametrize("name", NAMES)
def test_preprocess_shapes(name):
    module = BUILDERS[name][1]
    assert module.preprocess_input(np.zeros((28, 28))).shape == (28, 28, 1)
    assert module.preprocess_input(np.zeros((5, 28, 28, 1))).shape == (5, 28, 28, 1)
    assert module.preprocess_input(np.zeros((5, 28, 28, 3))).shape == (5, 28, 28, 3)
    with pytest.raises(ValueError, match="data_format"):
        module.preprocess_input(np.zeros((1, 28, 28, 1)), data_format="channels_first")
    with pytest.raises(ValueError, match="shape"):
        module.preprocess_input(np.zeros(28))
    with pytest.raises(TypeError, match="numeric"):
        module.preprocess_input(np.array([["a"]]))


@pytest.mark.parametrize("name", NAMES)
def test_decode_predictions_top_k(name):
    module = BUILDERS[name][1]
    preds = np.full((2, 10), 0.01, dtype=np.float32)
    preds[0, 9], preds[0, 7], preds[0, 5] = 0.7, 0.2, 0.05
    preds[1, 1] = 0.91
    decoded = module.decode_predictions(preds, top=3)
    assert [c for c, _, _ in decoded[0]] == [9, 7, 5]
    assert [n for _, n, _ in decoded[0]] == ["Ankle boot", "Sneaker", "Sandal"]
    assert decoded[0][0][2] == pytest.approx(0.7)
    assert decoded[1][0][:2] == (1, "Trouser") and len(decoded[1]) == 3
    assert len(module.decode_predictions(preds)[0]) == 5


def test_decode_predictions_errors():
    with pytest.raises(ValueError, match=r"shape \(samples, 10\)"):
        _common.decode_predictions(np.zeros((2, 1000)))
    with pytest.raises(ValueError, match=r"shape \(samples, 10\)"):
        _common.decode_predictions(np.zeros(10))
    with pytest.raises(ValueError, match="top"):
        _common.decode_predictions(np.zeros((1, 10)), top=11)


def test_class_names_are_fashion_mnist():
    assert _common.CLASS_NAMES[0] == "T-shirt/top" and _common.CLASS_NAMES[9] == "Ankle boot"
    assert len(_common.CLASS_NAMES) == 10


def test_package_docstring_example():
    import doctest

    from kerasette import applications

    assert doctest.testmod(applications).failed == 0
