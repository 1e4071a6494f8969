"""Files in tf.keras 2's layout (tests/saving/fixtures, made by make_tf_keras2_fixtures.py) load and
predict what a numpy computation with the same weights predicts."""

import os

import h5py
import numpy as np
import pytest

import kerasette as ks

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name):
    path = os.path.join(FIXTURES, name)
    assert os.path.exists(path), (f"Missing fixture {path}: run tests/saving/fixtures/make_tf_keras2_fixtures.py "
                                  "(and commit the .h5 files: .gitignore ignores *.h5, so `git add -f` them).")
    return path


def stored(name, layer, *variables):
    with h5py.File(fixture(name), "r") as f:
        group = f["model_weights"] if "model_weights" in f else f
        return [np.asarray(group[layer][f"{layer}/{v}:0"]) for v in variables]


# ----- numpy reference (NHWC, Keras conventions: cross-correlation, HWIO kernels) ------------------
def conv_same(x, kernel, bias):
    kh, kw = kernel.shape[:2]
    n, h, w, _ = x.shape
    padded = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    out = sum(np.einsum("nhwc,cf->nhwf", padded[:, i:i + h, j:j + w, :], kernel[i, j])
              for i in range(kh) for j in range(kw))
    return out + bias


def depthwise_same(x, kernel, bias):
    """Output channel c * multiplier + m = input channel c correlated with kernel[:, :, c, m]."""
    kh, kw, channels, multiplier = kernel.shape
    n, h, w, _ = x.shape
    padded = np.pad(x, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    out = sum(np.einsum("nhwc,cm->nhwcm", padded[:, i:i + h, j:j + w, :], kernel[i, j])
              for i in range(kh) for j in range(kw))
    return out.reshape(n, h, w, channels * multiplier) + bias


def batch_norm(x, gamma, beta, mean, variance, epsilon=1e-3):
    return gamma * (x - mean) / np.sqrt(variance + epsilon) + beta


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def max_pool_2x2(x):
    n, h, w, c = x.shape
    return x[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def images(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# ----- the files ---------------------------------------------------------------------------------
def test_functional_file_predicts_like_numpy_and_restores_its_training_state():
    name = "tfk2_functional.h5"
    model = ks.models.load_model(fixture(name))
    assert type(model) is ks.models.Functional and model.name == "tfk2_functional"
    x = images((4, 8, 8, 3)).astype("float64")
    c1 = np.maximum(conv_same(x, *stored(name, "c1", "kernel", "bias")), 0)
    c2 = conv_same(x, *stored(name, "c2", "kernel", "bias"))
    joined = np.concatenate([c1 + c2, c1], axis=-1)
    normed = batch_norm(joined, *stored(name, "bn", "gamma", "beta", "moving_mean", "moving_variance"))
    kernel, bias = stored(name, "out", "kernel", "bias")
    expected = softmax(normed.mean(axis=(1, 2)) @ kernel + bias)
    np.testing.assert_allclose(model.predict(x.astype("float32"), verbose=0), expected, atol=1e-5)

    # training_config: Custom>Adam, MeanMetricWrapper metrics, tf.keras 2 optimizer_weights (no learning rate)
    assert model.compiled and isinstance(model.optimizer, ks.optimizers.Adam)
    assert model.optimizer.learning_rate == pytest.approx(0.001)
    assert int(model.optimizer.iterations.numpy()) == 7
    with h5py.File(fixture(name), "r") as f:
        group = f["optimizer_weights"]
        names = [n.decode() for n in group.attrs["weight_names"]]
        slots = [np.asarray(group[n]) for n in names[1:]]
    restored = [v.numpy() for v in model.optimizer.variables[2:]]
    assert len(restored) == len(slots) == 16
    for a, b in zip(restored, slots):
        np.testing.assert_array_equal(a, b)
    labels = np.array([0, 1, 2, 0])
    logs = model.evaluate(x.astype("float32"), labels, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    model.fit(x.astype("float32"), labels, epochs=1, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 8


def test_sequential_depthwise_file_with_groups_and_list_axis_predicts_like_numpy():
    name = "tfk2_sequential_dw.h5"
    model = ks.models.load_model(fixture(name))
    assert type(model) is ks.Sequential and [layer.name for layer in model.layers] == [
        "dw", "bn", "relu6", "pw", "pool", "flatten", "out"]
    assert not model.compiled
    x = images((3, 6, 6, 3), seed=1).astype("float64")
    y = depthwise_same(x, *stored(name, "dw", "depthwise_kernel", "bias"))
    y = batch_norm(y, *stored(name, "bn", "gamma", "beta", "moving_mean", "moving_variance"))
    y = np.clip(y, 0, 6)
    y = conv_same(y, *stored(name, "pw", "kernel", "bias"))
    y = max_pool_2x2(y).reshape(3, -1)  # NHWC flatten order
    kernel, bias = stored(name, "out", "kernel", "bias")
    np.testing.assert_allclose(model.predict(x.astype("float32"), verbose=0), softmax(y @ kernel + bias), atol=1e-5)


def test_weights_only_file_loads_by_position_and_by_name():
    name = "tfk2_weights.h5"
    k1, b1 = stored(name, "dense", "kernel", "bias")
    k2, b2 = stored(name, "dense_1", "kernel", "bias")
    x = images((5, 6), seed=2)
    expected = np.maximum(x @ k1 + b1, 0) @ k2 + b2

    def model(*names):
        return ks.Sequential([ks.Input((6,)), ks.layers.Dense(5, activation="relu", name=names[0]),
                              ks.layers.Dense(2, name=names[1])])

    positional = model("first", "second")  # other names: pairs by position, as Keras does
    positional.load_weights(fixture(name))
    np.testing.assert_allclose(positional.predict(x, verbose=0), expected, atol=1e-5)
    named = model("dense", "dense_1")
    named.load_weights(fixture(name), by_name=True)
    np.testing.assert_allclose(named.predict(x, verbose=0), expected, atol=1e-5)


def test_fixture_layout_details_are_present():
    """Guard the fixtures themselves: the quirks the loader must handle are really in the files."""
    with h5py.File(fixture("tfk2_functional.h5"), "r") as f:
        assert isinstance(f.attrs["model_config"], bytes)
        assert "layer_names" not in f["model_weights"].attrs and "layer_names1" in f["model_weights"].attrs
        assert "top_level_model_weights" not in f["model_weights"]
        assert b'"Custom>Adam"' in f.attrs["training_config"]
        assert "c1/kernel:0" in f["model_weights/c1"]
    with h5py.File(fixture("tfk2_sequential_dw.h5"), "r") as f:
        config = f.attrs["model_config"]
        assert b'"groups": 1' in config and b'"axis": [3]' in config and b'"batch_input_shape"' in config
    total = sum(os.path.getsize(fixture(n)) for n in os.listdir(FIXTURES) if n.endswith(".h5"))
    assert total < 150_000
