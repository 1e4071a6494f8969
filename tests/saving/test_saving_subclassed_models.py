"""Subclassed models, and functional subclasses that override get_config, save to `.keras` as Keras 3 saves
them (the class's own config plus build_config, weights by attribute path) and load both ways with Keras."""

import os

import numpy as np
import pytest

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")


def define(framework, package):
    @framework.saving.register_keras_serializable(package=package)
    class TwoDense(framework.Model):
        def __init__(self, hidden=8, **kwargs):
            super().__init__(**kwargs)
            self.hidden = hidden
            self.first = framework.layers.Dense(hidden, activation="relu")
            self.second = framework.layers.Dense(2)

        def call(self, inputs):
            return self.second(self.first(inputs))

        def get_config(self):
            return {**super().get_config(), "hidden": self.hidden}

    @framework.saving.register_keras_serializable(package=package)
    class WideNet(framework.Model):
        def __init__(self, units=3, **kwargs):
            inputs = framework.Input((4,))
            outputs = framework.layers.Dense(units)(framework.layers.Dense(5, activation="tanh")(inputs))
            super().__init__(inputs, outputs, **kwargs)
            self.units = units

        def get_config(self):
            return {"units": self.units, "name": self.name}

    return {"subclassed": lambda: TwoDense(6), "functional_subclass": lambda: WideNet(3)}


X = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")


def _randomize(model, seed):
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        variable.assign(rng.normal(0, 0.5, size=tuple(variable.shape)).astype("float32"))
    return model


@pytest.mark.parametrize("kind", ["subclassed", "functional_subclass"])
def test_save_and_load_in_kerasette_with_compile_state(kind, tmp_path):
    model = define(ks, "SubclassTests")[kind]()
    model(X)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, np.ones((5, 2 if kind == "subclassed" else 3), "float32"), epochs=2, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = ks.models.load_model(tmp_path / "m.keras")
    assert type(loaded) is type(model)
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert int(loaded.optimizer.iterations.numpy()) == 2
    with pytest.raises(NotImplementedError, match="legacy `.h5` format"):
        model.save(tmp_path / "m.h5")


def test_an_unbuilt_subclassed_model_cannot_be_saved(tmp_path):
    model = define(ks, "SubclassTests2")["subclassed"]()
    with pytest.raises(ValueError, match="not built"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()


@pytest.mark.filterwarnings("ignore")  # Keras and torch warn about their own internals
@pytest.mark.parametrize("kind", ["subclassed", "functional_subclass"])
@pytest.mark.parametrize("direction", ["keras->kerasette", "kerasette->keras"])
def test_files_move_both_ways_with_keras(kind, direction, tmp_path):
    keras = pytest.importorskip("keras")
    ours, theirs = define(ks, "Interop")[kind], define(keras, "Interop")[kind]
    writer, reader = (theirs, ks) if direction == "keras->kerasette" else (ours, keras)
    model = writer()
    model(X)
    _randomize(model, seed=3)
    model.save(tmp_path / "m.keras")
    loaded = reader.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(np.asarray(loaded.predict(X, verbose=0)), np.asarray(model.predict(X, verbose=0)),
                               rtol=1e-5, atol=1e-6)
