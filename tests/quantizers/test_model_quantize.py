"""``model.quantize`` as Keras 3: which layers change, filters, Keras's refusals, fine-tuning a quantized model,
saving in .keras / .weights.h5 / .h5 with Keras's variable layout, and ``calibrate``'s static input scales."""

import os

import h5py
import numpy as np
import pytest
from int8_reference import abs_max

import kerasette as keras
from kerasette import layers
from kerasette.quantizers import StaticAbsMaxQuantizer, calibrate


def _model():
    inputs = keras.Input((6, 6, 2))
    x = layers.Conv2D(3, 3, activation="relu", name="conv")(inputs)
    x = layers.BatchNormalization(name="norm")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(8, activation="relu", name="hidden")(x)
    return keras.Model(inputs, layers.Dense(3, name="out")(x))


def _data(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 6, 6, 2)).astype("float32"), rng.integers(0, 3, n)


def test_quantize_changes_the_quantizable_layers_and_warns_for_others(backend):
    model = _model()
    x, _ = _data()
    float_out = model.predict(x, verbose=0)
    with pytest.warns(UserWarning, match="BatchNormalization does not have a `quantize` method"):
        model.quantize("int8")
    policies = {layer.name: layer.dtype_policy.name for layer in model.layers}
    assert policies["conv"] == policies["hidden"] == policies["out"] == "int8_from_float32"
    assert policies["norm"] == "float32"
    np.testing.assert_allclose(model.predict(x, verbose=0), float_out, atol=0.05 * np.abs(float_out).max())


def test_filters_choose_the_layers():
    model = _model()
    model.quantize("int8", filters=["hidden", "^out$"])
    assert [layer.name for layer in model.layers if layer.quantization_mode] == ["hidden", "out"]
    model = _model()
    model.quantize("int8", filters=lambda layer: layer.name == "conv")
    assert model.get_layer("conv").quantization_mode == "int8"
    assert model.get_layer("out").quantization_mode is None


def test_keras_refusals():
    model = _model()
    with pytest.raises(ValueError, match="must provide either `mode` or `config`"):
        model.quantize()
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        model.quantize("int7")
    with pytest.raises(NotImplementedError, match="'int4' is not implemented by kerasette"):
        model.quantize("int4")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        model.quantize("int8", verbose=True)
    with pytest.raises(ValueError, match="`filters` argument must be"):
        model.quantize("int8", filters=3)
    assert model.get_layer("out").quantization_mode is None  # nothing changed
    model.quantize("int8", filters="out")
    with pytest.raises(ValueError, match="Layer 'out' is already quantized with dtype_policy='int8_from_float32'"):
        model.get_layer("out").quantize("int8")
    with pytest.raises(ValueError, match="Cannot quantize a layer that isn't yet built"):
        layers.Dense(3).quantize("int8")
    unbuilt = keras.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="isn't yet built"):
        unbuilt.quantize("int8")


def test_subclasses_are_refused_under_type_check():
    class MyDense(layers.Dense):
        pass

    model = keras.Sequential([keras.Input((3,)), MyDense(2)])
    with pytest.warns(UserWarning, match="MyDense does not have a `quantize` method"):
        model.quantize("int8")
    assert model.layers[0].quantization_mode is None
    model.quantize("int8", type_check=False)
    assert model.layers[0].quantization_mode == "int8"


def test_fine_tuning_trains_the_bias_and_keeps_the_int8_kernel(backend):
    model = _model()
    x, y = _data(32)
    with pytest.warns(UserWarning):
        model.quantize("int8")
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy")
    kernel, bias = model.get_layer("out").kernel.numpy(), model.get_layer("out").bias.numpy()
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
    np.testing.assert_array_equal(model.get_layer("out").kernel.numpy(), kernel)
    assert not np.array_equal(model.get_layer("out").bias.numpy(), bias)


@pytest.mark.parametrize("filename", ["m.keras", "m.h5", "m.weights.h5"])
def test_saved_quantized_models_load_with_the_same_predictions(filename, tmp_path, backend):
    model = _model()
    x, _ = _data()
    model.predict(x, verbose=0)
    with pytest.warns(UserWarning):
        model.quantize("int8")
    want = model.predict(x, verbose=0)
    path = str(tmp_path / filename)
    if filename.endswith(".weights.h5"):
        model.save_weights(path)
        loaded = _model()
        with pytest.warns(UserWarning):
            loaded.quantize("int8")
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), want)
    out = loaded.get_layer("out")
    assert out.dtype_policy.name == "int8_from_float32" and out.kernel.dtype == "int8"


def test_weights_file_uses_keras_names_and_order(tmp_path):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Embedding(5, 2)])
    model.layers[1].build(None)
    model.quantize("int8")
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        dense = f["layers/dense/vars"]
        assert [dense[k].dtype for k in ("0", "1", "2")] == [np.int8, np.float32, np.float32]
        assert [dense[k].shape for k in ("0", "1", "2")] == [(4, 3), (3,), (3,)]  # kernel, bias, kernel_scale
        table = f["layers/embedding/vars"]
        assert [table[k].shape for k in ("0", "1")] == [(5, 2), (5,)]  # embeddings, embeddings_scale
        assert table["0"].dtype == np.int8


def test_int8_weights_are_a_quarter_of_float32(tmp_path):
    model = keras.Sequential([keras.Input((256,)), layers.Dense(256), layers.Dense(10)])
    model.save_weights(str(tmp_path / "f.weights.h5"))
    model.quantize("int8")
    model.save_weights(str(tmp_path / "q.weights.h5"))
    ratio = os.path.getsize(tmp_path / "q.weights.h5") / os.path.getsize(tmp_path / "f.weights.h5")
    assert ratio < 0.3


def test_calibrate_sets_one_static_scale_per_layer(backend, tmp_path):
    model = keras.Sequential([keras.Input((5,)), layers.Dense(4, activation="relu", name="a"),
                              layers.Dense(2, name="b")])
    x = np.random.default_rng(1).normal(size=(40, 5)).astype("float32")
    model.quantize("int8")
    hidden = keras.Model(model.inputs, model.get_layer("a").output).predict(x, verbose=0)
    found = calibrate(model, x, batch_size=16)
    assert found["a"] == pytest.approx(float(np.abs(x).max()))
    assert found["b"] == pytest.approx(float(np.abs(hidden).max()), rel=1e-6)
    layer = model.get_layer("a")
    assert isinstance(layer.inputs_quantizer, StaticAbsMaxQuantizer)
    sample = x[:3] * 2  # beyond the calibrated range: clipped
    scale = np.float32(127) / np.float32(found["a"] + 1e-7)
    xq = np.clip(np.round(sample * scale), -127, 127)
    want = np.maximum(xq @ layer.kernel.numpy().astype(np.int64) / (scale * layer.kernel_scale.numpy())
                      + layer.bias.numpy(), 0)
    got = keras.Model(model.inputs, layer.output).predict(sample, verbose=0)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "c.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("b").inputs_quantizer.amax == pytest.approx(found["b"])
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_calibrate_refuses_a_float_model_and_bad_arguments():
    model = keras.Sequential([keras.Input((5,)), layers.Dense(4)])
    with pytest.raises(ValueError, match="no int8 layer with quantized inputs"):
        calibrate(model, np.zeros((2, 5), "float32"))
    model.quantize("int8")
    with pytest.raises(ValueError, match="batch_size"):
        calibrate(model, np.zeros((2, 5), "float32"), batch_size=0)
    with pytest.raises(ValueError, match="at least one sample"):
        calibrate(model, np.zeros((0, 5), "float32"))
    assert not isinstance(model.layers[0].inputs_quantizer, StaticAbsMaxQuantizer)


def test_reference_quantizer_matches_the_library():
    """The test's reference and ``abs_max_quantize`` agree bit for bit (the layer tests rely on it)."""
    from kerasette.quantizers import abs_max_quantize

    x = np.random.default_rng(2).normal(size=(7, 9)).astype("float32")
    q, scale = abs_max_quantize(x, axis=0)
    want_q, want_scale = abs_max(x, axis=0)
    np.testing.assert_array_equal(q.numpy(), want_q)
    np.testing.assert_array_equal(scale.numpy(), want_scale)
