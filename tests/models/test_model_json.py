"""Model.to_json / models.model_from_json and the Model config hooks, against real Keras 3."""

import json
import os

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside Keras's torch backend


def sequential(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, activation="relu", name="hidden"),
                           lib.layers.Dense(2, name="out")], name="seq")


def functional(lib):
    inputs = lib.Input((4,), name="x")
    a = lib.layers.Dense(3, name="a")(inputs)
    b = lib.layers.Dense(3, name="b")(inputs)
    outputs = lib.layers.Add(name="sum")([a, b])
    return lib.Model(inputs, outputs, name="fn")


def envelope_keys(config):
    """The keys of the model envelope, of its inner config, and of each layer envelope (inner configs aside)."""
    return {"top": sorted(config), "inner": sorted(config["config"]),
            "layers": [sorted(key for key in layer if key != "config") for layer in config["config"]["layers"]]}


@pytest.mark.parametrize("builder", [sequential, functional])
def test_to_json_has_the_keras_structure(builder):
    ours, theirs = json.loads(builder(ks).to_json()), json.loads(builder(keras).to_json())
    theirs.pop("compile_config", None)  # Keras writes {} for a model never compiled; kerasette leaves it out
    assert envelope_keys(ours) == envelope_keys(theirs)
    for key in ("module", "class_name", "registered_name", "build_config"):
        assert ours[key] == theirs[key], key
    assert [layer["class_name"] for layer in ours["config"]["layers"]] == [
        layer["class_name"] for layer in theirs["config"]["layers"]]
    if builder is functional:
        for key in ("input_layers", "output_layers"):
            assert ours["config"][key] == theirs["config"][key]
        assert [layer["inbound_nodes"] for layer in ours["config"]["layers"]] == [
            layer["inbound_nodes"] for layer in theirs["config"]["layers"]]


@pytest.mark.parametrize("builder", [sequential, functional])
def test_json_moves_both_ways_and_weights_follow(builder, tmp_path):
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    ours = builder(ks)
    theirs = keras.models.model_from_json(ours.to_json())
    ours.save_weights(tmp_path / "ours.weights.h5")
    theirs.load_weights(tmp_path / "ours.weights.h5")
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), ours.predict(x, verbose=0), atol=1e-5)
    keras_model = builder(keras)
    back = ks.models.model_from_json(keras_model.to_json())
    keras_model.save_weights(tmp_path / "theirs.weights.h5")
    back.load_weights(tmp_path / "theirs.weights.h5")
    np.testing.assert_allclose(back.predict(x, verbose=0), np.asarray(keras_model.predict(x, verbose=0)), atol=1e-5)
    assert [layer.name for layer in back.layers] == [layer.name for layer in keras_model.layers]


def test_compiled_model_json_carries_the_compile_config():
    model = sequential(ks)
    model.compile(ks.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    config = json.loads(model.to_json(indent=1))
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    clone = ks.models.model_from_json(model.to_json())
    assert clone.compiled and clone.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    assert model.get_compile_config() == config["compile_config"]
    keras_clone = keras.models.model_from_json(model.to_json())
    assert keras_clone.optimizer.__class__.__name__ == "Adam"


def test_model_hooks():
    model = sequential(ks)
    assert model.get_compile_config() is None
    model.compile_from_config({"optimizer": "sgd", "loss": "mse", "metrics": None, "loss_weights": None})
    assert model.compiled and type(model.optimizer).__name__ == "SGD"
    assert model.get_build_config() == {"input_shape": (None, 4)}
    assert functional(ks).get_build_config() == {"input_shape": None}
    assert ks.Sequential([layers.Dense(2)]).get_build_config() is None


class TwoLayers(ks.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(3)
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def test_subclassed_model_builds_from_its_build_config():
    model = TwoLayers()
    model(np.ones((2, 5), "float32"))
    config = model.get_build_config()
    fresh = TwoLayers()
    fresh.build_from_config(config)
    assert [w.shape for w in fresh.weights] == [w.shape for w in model.weights]


def test_errors():
    with pytest.raises(TypeError, match="JSON text"):
        ks.models.model_from_json({"class_name": "Sequential"})
    with pytest.raises(ValueError, match="JSON"):
        ks.models.model_from_json("{not json")
    with pytest.raises(ValueError, match="not a model config"):
        ks.models.model_from_json("[1, 2]")
    subclassed = json.loads(TwoLayers().to_json())  # as Keras 3: the class's own config (loading needs the class)
    assert subclassed["class_name"] == "TwoLayers" and "layers" not in subclassed["config"]
    lambda_config = json.loads(sequential(ks).to_json())
    lambda_config["config"]["layers"][1]["class_name"] = "Lambda"
    with pytest.raises(ValueError, match="Lambda"):
        ks.models.model_from_json(json.dumps(lambda_config))


@ks.saving.register_keras_serializable(package="json_test")
class HookedNet(ks.Model):
    """A functional subclass with its own compile_from_config, which loading must call."""

    seen = []

    def compile_from_config(self, config):
        HookedNet.seen.append(config["optimizer"]["class_name"])
        super().compile_from_config(config)


def test_loaders_call_an_overridden_compile_from_config(tmp_path):
    inputs = ks.Input((3,))
    model = HookedNet(inputs, layers.Dense(2)(inputs))
    model.compile(ks.optimizers.RMSprop(0.01), loss="mse")
    model.save(tmp_path / "m.keras")
    HookedNet.seen.clear()
    loaded = ks.models.load_model(tmp_path / "m.keras")
    from_json = ks.models.model_from_json(model.to_json())
    assert HookedNet.seen == ["RMSprop", "RMSprop"]
    assert type(loaded) is HookedNet and type(from_json) is HookedNet and loaded.compiled and from_json.compiled
