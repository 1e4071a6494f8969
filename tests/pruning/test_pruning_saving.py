"""Saving pruned models (.keras, .h5, weights-only) and stripped ones (plain Keras layout, loaded by real Keras)."""

import json
import os
import warnings
import zipfile

import h5py
import numpy as np
import pruning_models as pm
import pytest

import kerasette as keras
from kerasette import pruning


def trained_pruned_model(builder=pm.two_branches, steps=4):
    x, y = pm.data(n=8 * steps)
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        builder(), pruning_schedule=pruning.PolynomialDecay(0.2, 0.7, 0, 10, frequency=2)))
    pruned.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    return pruned, x, y


def pruning_state(model):
    return {v.path: v.numpy() for layer in model.layers if isinstance(layer, pruning.PruneLowMagnitude)
            for v in layer.non_trainable_weights if v.path.startswith(layer.name)}


def assert_same_state(loaded, original, x):
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), original.predict(x, verbose=0))
    expected, actual = pruning_state(original), pruning_state(loaded)
    assert sorted(actual) == sorted(expected)
    for path, value in expected.items():
        np.testing.assert_array_equal(actual[path], value, err_msg=path)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_pruned_models_round_trip_and_resume(backend, tmp_path, fmt):
    pruned, x, y = trained_pruned_model()
    path = tmp_path / f"pruned.{fmt}"
    pruned.save(path)
    loaded = keras.models.load_model(path)  # no prune_scope needed: the wrapper is registered
    assert [type(layer).__name__ for layer in loaded.layers[1:]] == ["PruneLowMagnitude"] * 5
    assert loaded.layers[1].pruning_schedule.get_config() == pruned.layers[1].pruning_schedule.get_config()
    assert_same_state(loaded, pruned, x)
    steps_before = int(loaded.layers[1].pruning_step.numpy())
    loaded.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    assert int(loaded.layers[1].pruning_step.numpy()) == steps_before + 4  # the step resumes, not from 0
    assert pruning.get_sparsity(loaded)["left/kernel"] == pytest.approx(pm.expected_sparsity(80, 0.7))


@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5"])
def test_weights_only_round_trip(backend, tmp_path, filename):
    pruned, x, _ = trained_pruned_model()
    pruned.save_weights(tmp_path / filename)
    fresh = pruning.prune_low_magnitude(pm.two_branches(),
                                        pruning_schedule=pruning.PolynomialDecay(0.2, 0.7, 0, 10, frequency=2))
    fresh.load_weights(tmp_path / filename)
    assert_same_state(fresh, pruned, x)


def test_prune_scope_loads_too(tmp_path):
    pruned, x, _ = trained_pruned_model(pm.mlp)
    pruned.save(tmp_path / "m.keras")
    with pruning.prune_scope():
        loaded = keras.models.load_model(tmp_path / "m.keras")
    assert_same_state(loaded, pruned, x)


def test_pruned_sequential_with_blocks_round_trips(tmp_path):
    x, y = pm.data()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        pm.mlp(), pruning_schedule=pruning.ConstantSparsity(0.5, 0, frequency=1), block_size=(2, 2),
        block_pooling_type="MAX"))
    pruned.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    pruned.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    assert loaded.layers[0].block_size == (2, 2) and loaded.layers[0].block_pooling_type == "MAX"
    assert_same_state(loaded, pruned, x)


def stripped_model():
    pruned, x, _ = trained_pruned_model()
    return pruning.strip_pruning(pruned), x


def test_stripped_models_save_in_the_plain_keras_layout(tmp_path):
    stripped, x = stripped_model()
    stripped.save(tmp_path / "s.keras")
    with zipfile.ZipFile(tmp_path / "s.keras") as archive:
        config = archive.read("config.json").decode()
    assert "PruneLowMagnitude" not in config and "mask" not in config
    assert [layer["class_name"] for layer in json.loads(config)["config"]["layers"]] == [
        "InputLayer", "Dense", "Dense", "Dense", "Concatenate", "Dense"]
    stripped.save(tmp_path / "s.h5")
    with h5py.File(tmp_path / "s.h5", "r") as f:
        assert "PruneLowMagnitude" not in f.attrs["model_config"]
        group = f["model_weights"]
        names = sorted(name.decode() for layer in group.attrs["layer_names"]
                       for name in group[layer.decode()].attrs["weight_names"])
    assert names == sorted(f"{layer}/{w}:0" for layer in ("left", "right", "right2", "probs")
                           for w in ("kernel", "bias"))
    for fmt in ("keras", "h5"):
        loaded = keras.models.load_model(tmp_path / f"s.{fmt}")
        np.testing.assert_array_equal(loaded.predict(x, verbose=0), stripped.predict(x, verbose=0))
        assert pruning.get_sparsity(loaded) == pruning.get_sparsity(stripped)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_real_keras_loads_a_stripped_model_with_the_same_predictions(tmp_path, fmt):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    real_keras = pytest.importorskip("keras")
    stripped, x = stripped_model()
    stripped.save(tmp_path / f"s.{fmt}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch and Keras warnings unrelated to the file
        kmodel = real_keras.models.load_model(tmp_path / f"s.{fmt}")
        predictions = np.asarray(real_keras.ops.convert_to_numpy(kmodel.predict(x, verbose=0)))
        kernels = {w.path: np.asarray(real_keras.ops.convert_to_numpy(w)) for w in kmodel.weights
                   if w.path.endswith("kernel")}
    diff = float(np.abs(predictions - stripped.predict(x, verbose=0)).max())
    print(f"\n[interop] stripped pruned model .{fmt} kerasette->keras: max |diff| = {diff:.3g}")
    assert diff <= 1e-5
    assert {path: float(np.mean(value == 0)) for path, value in kernels.items()} == pruning.get_sparsity(stripped)

