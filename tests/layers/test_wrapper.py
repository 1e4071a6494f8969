"""layers.Wrapper: a user-defined wrapper holds, builds, trains and saves the layer it wraps."""

import numpy as np
import pytest

import kerasette as keras
from kerasette import layers


@keras.saving.register_keras_serializable(package="test_wrapper")
class ResidualWrapper(layers.Wrapper):
    def call(self, inputs):
        return inputs + self.layer(inputs)


def test_builtin_wrappers_are_wrappers():
    assert isinstance(layers.TimeDistributed(layers.Dense(2)), layers.Wrapper)
    assert isinstance(layers.Bidirectional(layers.LSTM(2)), layers.Wrapper)


def test_custom_wrapper_trains_and_round_trips(backend, tmp_path):
    model = keras.Sequential([keras.Input((3,)), ResidualWrapper(layers.Dense(3))])
    wrapper = model.layers[0]
    assert [w.path for w in model.weights] == [f"{wrapper.name}/{wrapper.layer.name}/kernel",
                                               f"{wrapper.name}/{wrapper.layer.name}/bias"]
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    kernel, bias = (np.asarray(w) for w in wrapper.layer.get_weights())
    np.testing.assert_allclose(np.asarray(model(x)), x + x @ kernel + bias, rtol=1e-5, atol=1e-6)
    model.compile(optimizer="sgd", loss="mse")
    before = kernel.copy()
    model.fit(x, np.zeros_like(x), epochs=1, verbose=0)
    assert not np.allclose(wrapper.layer.get_weights()[0], before)  # the wrapped layer's weights train
    path = str(tmp_path / "wrapped.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded.layers[0], ResidualWrapper)
    assert loaded.layers[0].get_config()["layer"]["class_name"] == "Dense"
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)


def test_wrapper_refuses_a_non_layer():
    with pytest.raises(ValueError, match="isn't a supported layer type"):
        ResidualWrapper("dense")
