"""Against real Keras 3 (torch backend) when it is installed, as in CI: every optimizer case of
``optimizer_cases.py`` ends with the same variables and the same optimizer state (every slot, in
Keras's order and shapes), the loss-scale wrapper follows the same scale schedule, the new
schedules give the same learning rates, and configs carry the same keys."""

import os
import re

import numpy as np
import optimizer_cases as oc
import pytest

import kerasette as ks
from kerasette import ops

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.mark.parametrize("case", sorted(oc.CASES))
def test_variables_and_optimizer_state_match_keras(case):
    theirs, their_state, their_iterations = oc.run(keras, case)
    ours, our_state, our_iterations = oc.run(ks, case)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=3e-6, atol=1e-7)
    assert [s.shape for s in our_state] == [s.shape for s in their_state]
    for a, b in zip(our_state[2:], their_state[2:]):  # slots (iteration and learning rate checked apart)
        np.testing.assert_allclose(a.astype("float64"), b.astype("float64"), rtol=1e-5, atol=1e-6)
    assert our_iterations == their_iterations
    assert int(our_state[0]) == int(their_state[0])  # the raw counter (apply calls), as Keras saves it


def _scaled_run(library):
    grads = [[0.5, -1.0], [np.inf, 1.0], [0.1, 0.2], [0.3, -0.2], [-0.4, 0.1], [np.nan, 0.0], [0.2, 0.2]]
    optimizer = library.optimizers.LossScaleOptimizer(
        library.optimizers.Adam(0.1), initial_scale=4.0, dynamic_growth_steps=2
    )
    if library is keras:
        variable = keras.Variable(np.array([1.0, 2.0], "float32"))
        for g in grads:  # Keras's train_step scales the loss by the current scale, so the gradients are scaled
            scale = float(keras.ops.convert_to_numpy(optimizer.scale_loss(1.0)))
            optimizer.apply([keras.ops.convert_to_tensor(np.array(g, "float32") * scale)], [variable])
        state = [np.asarray(keras.ops.convert_to_numpy(v)) for v in optimizer.variables]
        return np.asarray(keras.ops.convert_to_numpy(variable)), state
    variable = ops.Variable(np.array([1.0, 2.0], "float32"))
    for g in grads:
        scale = float(optimizer.scale_loss(ops.convert_to_tensor(1.0)))
        optimizer.apply([ops.convert_to_tensor(np.array(g, "float32") * scale)], [variable])
    return variable.numpy(), [v.numpy() for v in optimizer.variables]


def test_loss_scale_optimizer_follows_keras():
    (ours, our_state), (theirs, their_state) = _scaled_run(ks), _scaled_run(keras)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    assert [s.shape for s in our_state] == [s.shape for s in their_state]
    # step_counter and dynamic_scale (1 and 2.0 after the two skipped steps), the inner iterations (5).
    assert [float(s) for s in our_state[2:5]] == [float(s) for s in their_state[2:5]] == [1.0, 2.0, 5.0]
    for a, b in zip(our_state[6:], their_state[6:]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


SCHEDULES = [
    ("PolynomialDecay", (0.1, 10), {}),
    ("PolynomialDecay", (0.1, 10), {"end_learning_rate": 0.01, "power": 2.0}),
    ("PolynomialDecay", (0.1, 10), {"end_learning_rate": 0.01, "power": 0.5, "cycle": True}),
    ("InverseTimeDecay", (0.1, 10, 0.5), {}),
    ("InverseTimeDecay", (0.1, 10, 0.5), {"staircase": True}),
    ("CosineDecayRestarts", (0.1, 10), {}),
    ("CosineDecayRestarts", (0.1, 10), {"t_mul": 1.0, "m_mul": 0.5, "alpha": 0.1}),
    ("CosineDecayRestarts", (0.1, 4), {"t_mul": 1.5, "m_mul": 0.8, "alpha": 0.05}),
]


@pytest.mark.parametrize("name, args, kwargs", SCHEDULES)
def test_schedules_match_keras(name, args, kwargs):
    ours = getattr(ks.optimizers.schedules, name)(*args, **kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(*args, **kwargs)
    # Steps 10 and 19 are restarts of the last case, where Keras's float32 log lands just below the integer.
    steps = [0, 1, 3, 5, 9, 11, 15, 20, 25, 29, 31, 50]
    got = [ours(s) for s in steps]
    want = [float(keras.ops.convert_to_numpy(theirs(s))) for s in steps]
    np.testing.assert_allclose(got, want, rtol=3e-6, atol=1e-9)
    assert ours.get_config() == theirs.get_config()


NEW = ["AdamW", "Nadam", "Adamax", "Lion", "Ftrl", "Adafactor", "Lamb", "Muon", "ScheduleFreeAdamW"]


@pytest.mark.parametrize("name", NEW)
def test_default_configs_match_keras(name):
    ours = getattr(ks.optimizers, name)().get_config()
    theirs = getattr(keras.optimizers, name)().get_config()
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        if key == "name":  # Keras numbers the second and later instances: adam_w, adam_w_1, ...
            assert ours["name"] == re.sub(r"_\d+$", "", value)
        elif isinstance(value, float):
            assert ours[key] == pytest.approx(value, rel=1e-7), key
        else:
            assert ours[key] == value, key


@pytest.mark.parametrize("name", NEW + ["SGD", "Adam", "RMSprop", "Adagrad", "Adadelta"])
def test_keras_configs_load_in_kerasette(name):
    kwargs = {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3, "gradient_accumulation_steps": 2}
    config = keras.optimizers.serialize(getattr(keras.optimizers, name)(learning_rate=0.05, **kwargs))
    optimizer = ks.optimizers.deserialize(config)
    assert type(optimizer).__name__ == name
    assert optimizer.learning_rate == pytest.approx(0.05)
    assert (optimizer.use_ema, optimizer.ema_momentum, optimizer.ema_overwrite_frequency) == (True, 0.9, 3)
    assert optimizer.gradient_accumulation_steps == 2


def test_loss_scale_optimizer_config_round_trips_with_keras():
    keras_config = keras.optimizers.serialize(
        keras.optimizers.LossScaleOptimizer(keras.optimizers.Lion(0.02), initial_scale=64.0, dynamic_growth_steps=7)
    )
    optimizer = ks.optimizers.deserialize(keras_config)
    assert isinstance(optimizer.inner_optimizer, ks.optimizers.Lion)
    assert (optimizer.initial_scale, optimizer.dynamic_growth_steps) == (64.0, 7)
    assert optimizer.learning_rate == pytest.approx(0.02)
    back = keras.optimizers.deserialize(ks.optimizers.serialize(optimizer))
    assert type(back.inner_optimizer).__name__ == "Lion" and back.dynamic_growth_steps == 7


def _multi(library):
    return library.optimizers.MultiOptimizer(
        library.optimizers.OptimizerMap(
            library.optimizers.SGD(0.1, momentum=0.9), {"v[12]": library.optimizers.Nadam(0.05, use_ema=True)}
        )
    )


def test_multi_optimizer_matches_keras():
    results = {}
    for library in (ks, keras):
        optimizer = _multi(library)
        make = keras.Variable if library is keras else ops.Variable
        tensor = keras.ops.convert_to_tensor if library is keras else ops.convert_to_tensor
        variables = [make(np.array(v, "float32"), name=n) for v, n in ((oc.V1, "v1"), (oc.V2, "v2"), (oc.V3, "v3"))]
        if library is ks:  # Keras names these variables by their name alone
            for variable in variables:
                variable.path = variable.name
        for step in range(3):
            optimizer.apply([tensor(np.array(g[step], "float32")) for g in (oc.G1, oc.G2, oc.G3)], variables)
        to_numpy = (lambda x: np.asarray(keras.ops.convert_to_numpy(x))) if library is keras else (lambda x: x.numpy())
        results[library.__name__] = ([to_numpy(v) for v in variables], [to_numpy(v) for v in optimizer.variables])
    (ours, our_state), (theirs, their_state) = results["kerasette"], results["keras"]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert [s.shape for s in our_state] == [s.shape for s in their_state]
    for a, b in zip(our_state, their_state):
        np.testing.assert_allclose(a.astype("float64"), b.astype("float64"), rtol=1e-5, atol=1e-6)


def test_multi_optimizer_configs_cross_over():
    ours = ks.optimizers.deserialize(keras.optimizers.serialize(_multi(keras)))
    assert [type(o).__name__ for o in ours.optimizers] == ["Nadam", "SGD"]
    assert ours.optimizers[0].use_ema and ours.optimizers[1].momentum == 0.9
    theirs = keras.optimizers.deserialize(ks.optimizers.serialize(_multi(ks)))
    assert [type(o).__name__ for o in theirs.optimizers] == ["Nadam", "SGD"]
