"""Every bundled application loads offline with its shipped weights and reaches its stated accuracy."""

import os
import shutil
import socket

import numpy as np
import pytest
from apps_fixtures import BUILDERS, FLATTEN_TOP, NAMES, fashion_test_set
from kerasette.applications import _common, evaluate


def _refuse_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the applications must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def measured():
    """``measured(name)``: ``evaluate.measure`` of that application (offline, on the 10,000 test images),
    run once per module and shared by the tests below."""
    test_set = fashion_test_set()
    results = {}

    def measure(name):
        if name not in results:
            with pytest.MonkeyPatch.context() as monkeypatch:
                _refuse_network(monkeypatch)
                results[name] = evaluate.measure(name, test_set)
        return results[name]

    return measure


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_reaches_stated_accuracy_offline(name, measured):
    result = measured(name)
    assert result["accuracy"] >= 0.88, result
    # Bit-identical on the numpy backend with the same BLAS; a few flipped images of 10,000 elsewhere.
    assert result["accuracy"] >= result["stated"] - 0.0005, result


@pytest.mark.slow
def test_best_application_reaches_092(measured):
    accuracies = {name: measured(name)["accuracy"] for name in NAMES}
    assert max(accuracies.values()) >= 0.92, accuracies


@pytest.mark.parametrize("name", NAMES)
def test_shipped_file_matches_recorded_sha256(name):
    module = BUILDERS[name][1]
    path = os.path.join(_common.WEIGHTS_DIR, module.WEIGHTS_FILE)
    assert _common.sha256_of(path) == module.WEIGHTS_SHA256
    assert os.path.getsize(path) < 2 << 20  # small enough to ship


def test_corrupted_weights_are_refused(tmp_path, monkeypatch):
    builder, module = BUILDERS["LeNet5"]
    damaged = tmp_path / module.WEIGHTS_FILE
    shutil.copy(os.path.join(_common.WEIGHTS_DIR, module.WEIGHTS_FILE), damaged)
    with open(damaged, "r+b") as f:
        f.seek(-16, os.SEEK_END)
        f.write(b"\x00" * 16)
    monkeypatch.setattr(_common, "WEIGHTS_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="sha256"):
        builder()
    damaged.unlink()
    with pytest.raises(FileNotFoundError, match="reinstall"):
        builder()


def test_weights_path_loads_a_users_file(tmp_path):
    builder, _ = BUILDERS["ResNetSmall"]
    pretrained = builder()
    path = str(tmp_path / "mine.weights.h5")
    pretrained.save_weights(path)
    loaded = builder(weights=path)
    x = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), pretrained.predict(x, verbose=0), rtol=1e-6, atol=1e-6)


def test_weights_path_with_another_architecture_fails_clearly(tmp_path):
    path = str(tmp_path / "lenet.weights.h5")
    BUILDERS["LeNet5"][0](weights=None).save_weights(path)
    with pytest.raises(ValueError):
        BUILDERS["VGGSmall"][0](weights=path)


@pytest.mark.parametrize("name", NAMES)
def test_three_channels_by_repeating_gray(name):
    builder, _ = BUILDERS[name]
    gray = builder()
    rgb = builder(input_shape=(28, 28, 3))
    x = np.random.default_rng(1).random((3, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(rgb.predict(np.repeat(x, 3, axis=-1), verbose=0), gray.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_feature_extractor_shares_the_pretrained_features(name):
    builder, _ = BUILDERS[name]
    full = builder()
    size = 28 if name in FLATTEN_TOP else 36  # GAP architectures take other sizes with the weights too
    features = builder(include_top=False, input_shape=(size, size, 1))
    for layer in features.layers:
        if layer.weights:
            for ours, theirs in zip(layer.get_weights(), full.get_layer(layer.name).get_weights()):
                np.testing.assert_array_equal(ours, theirs)
    assert features.output_shape[1:3] != (None, None)


def test_pretrained_top_with_flatten_needs_28x28():
    with pytest.raises(ValueError, match="28x28"):
        BUILDERS["VGGSmall"][0](input_shape=(32, 32, 1))
    model = BUILDERS["ResNetSmall"][0](input_shape=(32, 32, 1))  # global pooling: any size
    assert model.output_shape == (None, 10)


def test_input_tensor_after_a_layer_of_your_own_with_weights():
    from kerasette import Input, layers

    raw = Input((28, 28, 1))
    mine = layers.Conv2D(1, 1, kernel_initializer="ones", name="my_conv")
    model = BUILDERS["LeNet5"][0](input_tensor=mine(raw))
    assert model.inputs[0] is raw
    np.testing.assert_array_equal(model.get_layer("my_conv").get_weights()[0], np.ones((1, 1, 1, 1)))
    reference = BUILDERS["LeNet5"][0]()
    x = np.random.default_rng(5).random((2, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), reference.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
