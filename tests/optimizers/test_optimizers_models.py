"""The optimizers of issue 13 on whole models: they train a small network on every backend, OpenCL
follows the numpy trajectory from equal weights, and a model saved mid-training (.keras and .h5)
resumes with its optimizer state exactly where it stopped."""


import numpy as np
import pytest
from backend_loading import load_or_skip

import kerasette as ks
from kerasette import backends


def optimizer_factories():
    return {
        "adamw": lambda: ks.optimizers.AdamW(0.01),
        "nadam": lambda: ks.optimizers.Nadam(0.01),
        "adamax": lambda: ks.optimizers.Adamax(0.02),
        "lion": lambda: ks.optimizers.Lion(0.003),
        "ftrl": lambda: ks.optimizers.Ftrl(0.5, l1_regularization_strength=0.001),
        "adafactor": lambda: ks.optimizers.Adafactor(0.1),
        "lamb": lambda: ks.optimizers.Lamb(0.01),
        "muon": lambda: ks.optimizers.Muon(0.02),
        "schedule_free_adamw": lambda: ks.optimizers.ScheduleFreeAdamW(0.01),
        "adam_ema_accumulation": lambda: ks.optimizers.Adam(0.02, use_ema=True, gradient_accumulation_steps=2),
        "loss_scale_nadam": lambda: ks.optimizers.LossScaleOptimizer(ks.optimizers.Nadam(0.01), dynamic_growth_steps=3),
        "multi_lamb_lion": lambda: ks.optimizers.MultiOptimizer(
            ks.optimizers.OptimizerMap(ks.optimizers.Lion(0.003), {"hidden/.*": ks.optimizers.Lamb(0.01)})
        ),
    }


NAMES = sorted(optimizer_factories())


def _data(n=48):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (x[:, :3].sum(axis=1) > x[:, 3:].sum(axis=1)).astype("int64")
    return x, y


def _model(seed=0):
    ks.utils.set_random_seed(seed)
    return ks.Sequential([
        ks.Input((6,)),
        ks.layers.Dense(8, activation="relu", name="hidden"),
        ks.layers.Dense(2, activation="softmax", name="head"),
    ])


def _compiled(name, seed=0):
    model = _model(seed)
    model.compile(optimizer_factories()[name](), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("name", NAMES)
def test_trains_a_small_model(backend, name):
    x, y = _data()
    model = _compiled(name)
    history = model.fit(x, y, batch_size=8, epochs=6, shuffle=False, verbose=0)
    losses = history.history["loss"]
    assert all(np.isfinite(losses)) and losses[-1] < 0.85 * losses[0], losses


@pytest.fixture
def opencl(monkeypatch):
    """Switch between the numpy and OpenCL backends within a test (skipped where OpenCL cannot load)."""
    load_or_skip("opencl")
    return lambda name: monkeypatch.setattr(backends, "_active", backends.load_backend(name))


@pytest.mark.parametrize("name", NAMES)
def test_opencl_follows_the_numpy_trajectory(opencl, name):
    x, y = _data()
    losses, weights = {}, {}
    start = [np.random.default_rng(i).normal(scale=0.5, size=w.shape).astype("float32")
             for i, w in enumerate(_model().get_weights())]  # the backends' random streams differ
    for backend_name in ("numpy", "opencl"):
        opencl(backend_name)
        model = _compiled(name)
        model.set_weights(start)
        history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
        losses[backend_name], weights[backend_name] = history.history["loss"], model.get_weights()
    np.testing.assert_allclose(losses["opencl"], losses["numpy"], rtol=1e-4)
    for got, expected in zip(weights["opencl"], weights["numpy"]):
        np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
@pytest.mark.parametrize("name", NAMES)
def test_saved_model_resumes_where_it_stopped(backend, tmp_path, name, fmt):
    x, y = _data()
    straight = _compiled(name)
    # Two fit calls, as the resumed run makes: each ends by finalizing the weights (to their averages, with
    # use_ema), as Keras's fit does.
    straight.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    straight.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)

    first = _compiled(name)
    first.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    first.save(tmp_path / f"m.{fmt}")
    resumed = ks.models.load_model(tmp_path / f"m.{fmt}")
    assert type(resumed.optimizer) is type(first.optimizer)
    assert resumed.optimizer.get_config() == first.optimizer.get_config()
    before = [v.numpy() for v in resumed.optimizer.variables]
    assert [b.shape for b in before] == [v.numpy().shape for v in first.optimizer.variables]
    for loaded, saved in zip(before, first.optimizer.variables):
        np.testing.assert_array_equal(loaded, saved.numpy().astype(loaded.dtype))
    resumed.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for got, expected in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
