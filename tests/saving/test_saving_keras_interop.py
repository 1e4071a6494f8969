"""Real Keras 3 both ways: Keras-written .h5/.keras load in kerasette, kerasette-written ones load in Keras,
and both predict the same (max abs difference <= 1e-5, printed and recorded per model and format)."""

import os

import numpy as np
import pytest
import saving_models as sm

import kerasette as ks
from kerasette.saving.optimizer_state import keras_ordered_variables

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")
MODELS = ["mlp", "cnn", "branches", "separable", "nested"]
TOLERANCE = 1e-5


def report(record_property, direction, name, fmt, diff):
    print(f"\n[interop] {direction} {name}.{fmt}: max |diff| = {diff:.3g}")
    record_property(f"max_abs_diff {direction} {name}.{fmt}", diff)


@pytest.mark.parametrize("fmt", ["h5", "keras"])
@pytest.mark.parametrize("name", MODELS)
def test_keras_written_files_load_in_kerasette(tmp_path, record_property, name, fmt):
    kmodel = sm.randomize(sm.BUILDERS[name](keras), seed=11)
    path = tmp_path / f"{name}.{fmt}"
    kmodel.save(path)
    model = ks.models.load_model(path)
    assert [layer.name for layer in model.layers] == [layer.name for layer in kmodel.layers] or name == "branches"
    x = sm.inputs_for(name)
    diff = sm.max_abs_diff(sm.predictions(model, x), sm.predictions(kmodel, x))
    report(record_property, "keras->kerasette", name, fmt, diff)
    assert diff <= TOLERANCE


@pytest.mark.parametrize("fmt", ["h5", "keras"])
@pytest.mark.parametrize("name", MODELS)
def test_kerasette_written_files_load_in_keras(tmp_path, record_property, name, fmt):
    model = sm.randomize(sm.BUILDERS[name](ks), seed=12)
    path = tmp_path / f"{name}.{fmt}"
    model.save(path)
    kmodel = keras.models.load_model(path)
    x = sm.inputs_for(name)
    diff = sm.max_abs_diff(sm.predictions(kmodel, x), sm.predictions(model, x))
    report(record_property, "kerasette->keras", name, fmt, diff)
    assert diff <= TOLERANCE


@pytest.mark.parametrize("direction", ["keras->kerasette", "kerasette->keras"])
def test_weights_files_cross_over(tmp_path, direction):
    ks_model, k_model = sm.branches(ks), sm.branches(keras)
    source, target = (k_model, ks_model) if direction == "keras->kerasette" else (ks_model, k_model)
    sm.randomize(source, seed=13)
    source.save_weights(tmp_path / "w.weights.h5")
    target.load_weights(tmp_path / "w.weights.h5")
    x = sm.inputs_for("branches")
    assert sm.max_abs_diff(sm.predictions(target, x), sm.predictions(source, x)) <= TOLERANCE
    if direction == "kerasette->keras":  # Keras 3 reads tf.keras 2 weights-only .h5 too
        sm.randomize(source, seed=14)
        source.save_weights(tmp_path / "w.h5")
        target.load_weights(tmp_path / "w.h5")
        assert sm.max_abs_diff(sm.predictions(target, x), sm.predictions(source, x)) <= TOLERANCE


def _train(model, library):
    model.compile(library.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = sm.inputs_for("branches", n=6)
    model.fit(x, np.arange(6) % 3, epochs=2, batch_size=3, verbose=0)


def _keras_state(kmodel):
    return [np.asarray(keras.ops.convert_to_numpy(v)) for v in kmodel.optimizer.variables]


def test_compiled_kerasette_model_resumes_in_keras_with_its_optimizer_state(tmp_path):
    model = sm.randomize(sm.branches(ks), seed=15)
    _train(model, ks)
    model.save(tmp_path / "m.keras")
    kmodel = keras.models.load_model(tmp_path / "m.keras")
    assert kmodel.compiled and type(kmodel.optimizer).__name__ == "Adam"
    ours = [v.numpy() for v in keras_ordered_variables(model, model.optimizer)]
    theirs = _keras_state(kmodel)
    assert len(ours) == len(theirs) == 18
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(b, a, rtol=0, atol=0)


@pytest.mark.parametrize("fmt", ["h5", "keras"])
def test_compiled_keras_model_resumes_in_kerasette_with_its_optimizer_state(tmp_path, fmt):
    kmodel = sm.randomize(sm.branches(keras), seed=16)
    _train(kmodel, keras)
    kmodel.save(tmp_path / f"m.{fmt}")
    model = ks.models.load_model(tmp_path / f"m.{fmt}")
    assert model.compiled and isinstance(model.optimizer, ks.optimizers.Adam)
    assert model.optimizer.learning_rate == pytest.approx(0.01)
    ours = [v.numpy() for v in keras_ordered_variables(model, model.optimizer)]
    theirs = _keras_state(kmodel)
    assert len(ours) == len(theirs) == 18
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=0, atol=0)
    assert int(model.optimizer.iterations.numpy()) == 4


def test_tf_keras2_fixture_loads_in_keras_3_like_in_kerasette():
    """The hand-written tf.keras 2 fixture is realistic enough for Keras 3 itself to load."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "tfk2_functional.h5")
    x = sm.inputs_for("branches")
    diff = sm.max_abs_diff(sm.predictions(keras.models.load_model(path), x),
                           sm.predictions(ks.models.load_model(path), x))
    assert diff <= TOLERANCE
