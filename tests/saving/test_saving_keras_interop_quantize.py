"""Int8-quantized models against real Keras 3 (torch backend): a model quantized by Keras loads in kerasette with
the same predictions, and one quantized by kerasette loads in Keras (.keras, .h5, .weights.h5). Both libraries
run the same integer arithmetic, so predictions agree to float32 rounding."""

import os

import numpy as np
import pytest

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")
TOLERANCE = 1e-5  # relative to the largest output


def _build(lib):
    inputs = lib.Input((5,), dtype="int32")
    x = lib.layers.Embedding(20, 8, name="embed")(inputs)
    x = lib.layers.EinsumDense("abc,cde->abde", output_shape=(5, 2, 3), bias_axes="de", name="proj")(x)
    x = lib.layers.Reshape((5, 6))(x)
    x = lib.layers.Dense(4, activation="relu", name="hidden")(x)
    return lib.Model(inputs, lib.layers.Dense(3, name="out")(x))


def _indices():
    return np.random.default_rng(0).integers(0, 20, size=(6, 5)).astype("int32")


def _keras_predict(model, x):
    return np.asarray(keras.ops.convert_to_numpy(model(x)))


def _close(got, want):
    np.testing.assert_allclose(got, want, rtol=0, atol=TOLERANCE * np.abs(want).max())


def _keras_quantized(tmp_path, seed=3, filename="keras_q.keras"):
    keras.utils.set_random_seed(seed)
    model = _build(keras)
    model.quantize("int8")
    path = str(tmp_path / filename)
    model.save(path)
    return model, path


@pytest.mark.parametrize("filename", ["keras_q.keras", "keras_q.h5"])
def test_keras_quantized_model_loads_in_kerasette(filename, tmp_path, backend):
    model, path = _keras_quantized(tmp_path, filename=filename)
    x = _indices()
    loaded = ks.models.load_model(path)
    _close(loaded.predict(x, verbose=0), _keras_predict(model, x))
    for name in ("embed", "proj", "hidden", "out"):
        assert loaded.get_layer(name).dtype_policy.name == "int8_from_float32"
    assert loaded.get_layer("proj").kernel.dtype == "int8"
    np.testing.assert_array_equal(loaded.get_layer("proj").kernel_scale.numpy(),
                                  keras.ops.convert_to_numpy(model.get_layer("proj").kernel_scale))


def test_keras_quantized_weights_load_into_a_kerasette_quantized_model(tmp_path):
    model, _ = _keras_quantized(tmp_path, seed=4)
    path = str(tmp_path / "keras_q.weights.h5")
    model.save_weights(path)
    ours = _build(ks)
    ours.quantize("int8")
    ours.load_weights(path)
    x = _indices()
    _close(ours.predict(x, verbose=0), _keras_predict(model, x))


@pytest.mark.parametrize("filename", ["ours_q.keras", "ours_q.h5"])
def test_kerasette_quantized_model_loads_in_keras(filename, tmp_path, backend):
    ours = _build(ks)
    x = _indices()
    ours.predict(x, verbose=0)
    ours.quantize("int8")
    want = ours.predict(x, verbose=0)
    path = str(tmp_path / filename)
    ours.save(path)
    theirs = keras.models.load_model(path)
    assert theirs.get_layer("hidden").dtype_policy.name == "int8_from_float32"
    assert keras.ops.convert_to_numpy(theirs.get_layer("hidden").kernel).dtype == np.int8
    _close(_keras_predict(theirs, x), want)
