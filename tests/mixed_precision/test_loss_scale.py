"""Dynamic loss scaling (``LossScaleOptimizer``) and ``compile(auto_scale_loss=True)``, on every backend.

The scale arithmetic is checked with hand-computed values on float32 variables (every backend); the
float16 runs (an overflow that fit must recover from, saving the scale) on the backends that compute in
float16.
"""

import numpy as np
import pytest
from mixed_helpers import CPU_WARNING

import kerasette as ks
from kerasette import layers, ops, optimizers

pytestmark = pytest.mark.filterwarnings(CPU_WARNING)


def _model(dtype="mixed_float16", seed=3):
    ks.utils.set_random_seed(seed)
    return ks.Sequential([ks.Input((6,)), layers.Dense(16, activation="relu", dtype=dtype),
                          layers.Dense(3, dtype=dtype), layers.Activation("softmax", dtype="float32")])


def _data(n=64):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(n, 6)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5)


def test_keras_defaults_and_config(backend):
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.1))
    assert opt.initial_scale == 2.0**15 and opt.dynamic_growth_steps == 2000
    w = ops.Variable(np.ones(2, "float32"), name="w")
    opt.build([w])
    assert float(opt.dynamic_scale.numpy()) == 32768.0 and int(opt.step_counter.numpy()) == 0
    assert float(opt.scale_loss(ops.convert_to_tensor(2.0)).numpy()) == 65536.0
    config = opt.get_config()
    assert sorted(config) == ["dynamic_growth_steps", "initial_scale", "inner_optimizer", "name"]
    assert config["inner_optimizer"]["class_name"] == "SGD"
    again = optimizers.LossScaleOptimizer.from_config(config)
    assert (again.initial_scale, again.dynamic_growth_steps, type(again.inner_optimizer)) == (
        2.0**15, 2000, optimizers.SGD)


def test_scale_doubles_after_growth_steps_and_an_injected_overflow_skips_the_step(backend):
    w = ops.Variable(np.array([1.0, -2.0], "float32"), name="w")
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.25), initial_scale=16.0, dynamic_growth_steps=3)
    scales, weights = [], []

    def step(inject=None):
        with ops.GradientTape() as tape:
            loss = ops.sum(ops.square(w))  # gradient 2w
            scaled = opt.scale_loss(loss)
        (grad,) = tape.gradient(scaled, [w])
        if inject is not None:
            grad = ops.multiply(grad, ops.convert_to_tensor([inject, 1.0]))
        opt.apply([grad], [w])
        scales.append(float(opt.dynamic_scale.numpy()))
        weights.append(w.numpy().copy())

    for _ in range(3):
        step()
    assert scales == [16.0, 16.0, 32.0]  # three finite steps in a row: doubled
    np.testing.assert_allclose(weights[-1], np.array([1.0, -2.0]) * 0.5**3, rtol=1e-6)  # w -= 0.25 * 2w
    before = w.numpy().copy()
    step(inject=np.inf)
    np.testing.assert_array_equal(w.numpy(), before)  # skipped: weights unchanged
    assert scales[-1] == 16.0 and int(opt.step_counter.numpy()) == 0 and int(opt.iterations.numpy()) == 3
    step(inject=np.nan)
    np.testing.assert_array_equal(w.numpy(), before)
    assert scales[-1] == 8.0 and int(opt.iterations.numpy()) == 3
    for _ in range(3):  # training recovers: the steps apply again and the scale grows back
        step()
    np.testing.assert_allclose(w.numpy(), before * 0.5**3, rtol=1e-6)
    assert scales[-3:] == [8.0, 8.0, 16.0] and int(opt.iterations.numpy()) == 6


def test_compile_wraps_the_optimizer_for_mixed_float16_only(mixed_backend):
    per_layer = _model()  # as in Keras, the model's own policy decides, not its layers'
    per_layer.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert isinstance(per_layer.optimizer, optimizers.Adam)
    ks.mixed_precision.set_global_policy("mixed_float16")
    model = _model()
    ks.mixed_precision.set_global_policy("float32")
    assert model.dtype_policy.name == "mixed_float16"
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert isinstance(model.optimizer, optimizers.LossScaleOptimizer)
    assert isinstance(model.optimizer.inner_optimizer, optimizers.Adam)
    assert model.optimizer.initial_scale == 2.0**15 and model.optimizer.dynamic_growth_steps == 2000
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", auto_scale_loss=False)
    assert isinstance(model.optimizer, optimizers.Adam)
    own = optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic_growth_steps=5)
    model.compile(optimizer=own, loss="sparse_categorical_crossentropy")
    assert model.optimizer is own  # already wrapped: kept
    plain = _model("float32")
    plain.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert isinstance(plain.optimizer, optimizers.Adam)
    with pytest.raises(ValueError, match="`auto_scale_loss`.*Expected a bool.*Received: auto_scale_loss='yes'"):
        plain.compile(optimizer="adam", loss="mse", auto_scale_loss="yes")
    assert isinstance(plain.optimizer, optimizers.Adam)  # nothing changed


def test_fit_recovers_from_float16_overflow(mixed_backend):
    """A scale far too large makes the float16 gradients overflow: those steps are skipped until it fits."""
    x, y = _data()
    model = _model()
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(0.02), initial_scale=2.0**30, dynamic_growth_steps=4)
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    first = model.evaluate(x, y, verbose=0)[0]
    before = [w.copy() for w in model.get_weights()]
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)  # 4 steps, each halving 2**30
    assert float(opt.dynamic_scale.numpy()) == 2.0**26 and int(opt.iterations.numpy()) == 0
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)  # every overflowing step was skipped
    history = model.fit(x, y, batch_size=16, epochs=10, verbose=0, shuffle=False)
    skipped = 40 - int(opt.iterations.numpy())
    assert 0 < skipped < 20, skipped  # the scale came down to where float16 holds the gradients
    assert float(opt.dynamic_scale.numpy()) < 2.0**26
    assert np.isfinite(history.history["loss"]).all()
    assert model.evaluate(x, y, verbose=0)[0] < 0.6 * first  # and training went on
    assert all(w.dtype == np.float32 for w in model.get_weights())


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_the_loss_scale_state_is_saved_and_restored(tmp_path, mixed_backend, fmt):
    x, y = _data()
    model = _model()
    model.compile(optimizer=optimizers.LossScaleOptimizer(optimizers.Adam(0.01), initial_scale=2.0**20,
                                                          dynamic_growth_steps=3),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
    opt = model.optimizer
    state = (float(opt.dynamic_scale.numpy()), int(opt.step_counter.numpy()), int(opt.iterations.numpy()))
    assert state[0] != 2.0**20  # the scale moved, so the test can see it restored
    path = tmp_path / f"m.{fmt}"
    model.save(path)
    loaded = ks.models.load_model(path)
    lopt = loaded.optimizer
    assert isinstance(lopt, optimizers.LossScaleOptimizer) and isinstance(lopt.inner_optimizer, optimizers.Adam)
    assert (lopt.initial_scale, lopt.dynamic_growth_steps) == (2.0**20, 3)
    assert (float(lopt.dynamic_scale.numpy()), int(lopt.step_counter.numpy()), int(lopt.iterations.numpy())) == state
    for a, b in zip(opt.variables, lopt.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
