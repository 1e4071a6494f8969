"""Optimizer state crosses over with real Keras 3 (torch backend, when installed, as in CI): a model
compiled with each optimizer of issue 13, trained and saved by Keras (.keras and .h5), loads in
kerasette with the same optimizer state, slot for slot, and trains on as Keras does; and the
other way round."""

import os

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving.optimizer_state import keras_ordered_variables

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")

OPTIMIZERS = {
    "AdamW": lambda lib: lib.optimizers.AdamW(0.01),
    "Nadam": lambda lib: lib.optimizers.Nadam(0.01),
    "Adamax": lambda lib: lib.optimizers.Adamax(0.02),
    "Lion": lambda lib: lib.optimizers.Lion(0.003),
    "Ftrl": lambda lib: lib.optimizers.Ftrl(0.5),
    "Adafactor": lambda lib: lib.optimizers.Adafactor(0.1),
    "Lamb": lambda lib: lib.optimizers.Lamb(0.01),
    "Muon": lambda lib: lib.optimizers.Muon(0.02),
    "ScheduleFreeAdamW": lambda lib: lib.optimizers.ScheduleFreeAdamW(0.01),
    "Adam_ema": lambda lib: lib.optimizers.Adam(0.01, use_ema=True, ema_momentum=0.9),
    "SGD_accumulation": lambda lib: lib.optimizers.SGD(0.05, momentum=0.5, gradient_accumulation_steps=2),
    "LossScaleOptimizer": lambda lib: lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(0.01)),
    # Keras's variable paths start with the model's name, kerasette's with the layer's: ".*hidden/" fits both.
    "MultiOptimizer": lambda lib: lib.optimizers.MultiOptimizer(
        lib.optimizers.OptimizerMap(lib.optimizers.SGD(0.1, momentum=0.5), {".*hidden/.*": lib.optimizers.Adam(0.01)})
    ),
}
# Keras 3.15 on torch computes ScheduleFreeAdamW's x from the updated z (see schedule_free_adamw.py), so
# training on after loading is compared for the others only.
SAME_STEPS = [name for name in OPTIMIZERS if name != "ScheduleFreeAdamW"]


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 6)).astype("float32")
    return x, (x[:, :3].sum(axis=1) > 0).astype("int64")


def _model(lib, name):
    model = lib.Sequential([
        lib.Input((6,)),
        lib.layers.Dense(8, activation="relu", name="hidden"),
        lib.layers.Dense(2, activation="softmax", name="head"),
    ])
    rng = np.random.default_rng(5)
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in model.get_weights()])
    model.compile(OPTIMIZERS[name](lib), loss="sparse_categorical_crossentropy")
    return model


def _keras_state(model):
    return [np.asarray(keras.ops.convert_to_numpy(v)) for v in model.optimizer.variables]


def _fit(model):
    x, y = _data()
    model.fit(x, y, batch_size=6, epochs=1, shuffle=False, verbose=0)
    if isinstance(model, ks.Model):  # Keras's fit ends with this call (kerasette's fit does not make it yet)
        model.optimizer.finalize_variable_values(model.trainable_weights)


def _same_state(ours, theirs):
    assert [a.shape for a in ours] == [b.shape for b in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.astype("float64"), b.astype("float64"))


@pytest.mark.parametrize("fmt", ["keras", "h5"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_keras_file_loads_with_its_optimizer_state(tmp_path, name, fmt):
    if name == "Adafactor" and fmt == "h5":
        pytest.skip("Keras 3.15 cannot write it: the r and c slots of a vector share one name (h5 error)")
    kmodel = _model(keras, name)
    _fit(kmodel)
    kmodel.save(tmp_path / f"m.{fmt}")
    model = ks.models.load_model(tmp_path / f"m.{fmt}")
    expected = type(OPTIMIZERS[name](ks))
    assert type(model.optimizer) is expected
    _same_state([v.numpy() for v in keras_ordered_variables(model, model.optimizer)], _keras_state(kmodel))
    if name in SAME_STEPS:
        _fit(kmodel)
        _fit(model)
        for a, b in zip(model.get_weights(), kmodel.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_kerasette_file_loads_in_keras_with_its_optimizer_state(tmp_path, name):
    model = _model(ks, name)
    _fit(model)
    model.save(tmp_path / "m.keras")
    kmodel = keras.models.load_model(tmp_path / "m.keras")
    assert type(kmodel.optimizer).__name__ == type(model.optimizer).__name__
    _same_state([v.numpy() for v in keras_ordered_variables(model, model.optimizer)], _keras_state(kmodel))
    if name in SAME_STEPS:
        _fit(kmodel)
        _fit(model)
        for a, b in zip(model.get_weights(), kmodel.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def _h5_optimizer_layout(path):
    with h5py.File(path, "r") as f:
        group = f["optimizer_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        return [(group[n].shape, group[n].dtype.kind) for n in names]


@pytest.mark.parametrize("name", [n for n in sorted(OPTIMIZERS) if n != "Adafactor"])
def test_kerasette_h5_optimizer_weights_have_keras_layout(tmp_path, name):
    # Keras 3.15 does not restore optimizer state from any .h5 of a Sequential model (its own included: it
    # builds the optimizer before the model has variables), so the layout is compared with a Keras-written file.
    model, kmodel = _model(ks, name), _model(keras, name)
    _fit(model)
    _fit(kmodel)
    model.save(tmp_path / "ours.h5")
    kmodel.save(tmp_path / "theirs.h5")
    ours, theirs = _h5_optimizer_layout(tmp_path / "ours.h5"), _h5_optimizer_layout(tmp_path / "theirs.h5")
    assert [shape for shape, _ in ours] == [shape for shape, _ in theirs]
    assert [kind for _, kind in ours] == [kind for _, kind in theirs]  # integer counters, float slots
