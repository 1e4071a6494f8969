"""Learning-rate schedules: pinned values, configs, and their use by optimizers.

Expected values came from keras 3.15.1 (torch backend) ``keras.optimizers.schedules``
with the same arguments (Keras computes in float32, hence rel=1e-6).
"""

import numpy as np
import pytest

from kerasette import ops, optimizers
from kerasette.optimizers import schedules

CASES = [
    (
        schedules.ExponentialDecay(0.1, 10, 0.5),
        [0, 1, 5, 10, 25],
        [0.1, 0.0933033, 0.070710681, 0.05, 0.01767767],
    ),
    (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), [0, 9, 10, 25], [0.1, 0.1, 0.05, 0.025]),
    (
        schedules.PiecewiseConstantDecay([3, 7], [1.0, 0.5, 0.1]),
        [0, 3, 4, 7, 8, 100],
        [1.0, 1.0, 0.5, 0.5, 0.1, 0.1],
    ),
    (schedules.CosineDecay(0.1, 10, alpha=0.1), [0, 2, 5, 10, 20], [0.1, 0.091405764, 0.055, 0.01, 0.01]),
    (
        schedules.CosineDecay(0.0, 10, warmup_target=0.2, warmup_steps=4),
        [0, 1, 2, 4, 9, 14, 30],
        [0.0, 0.05, 0.1, 0.2, 0.1, 0.0, 0.0],
    ),
]


@pytest.mark.parametrize("schedule, steps, expected", CASES, ids=lambda c: getattr(c, "name", None))
def test_schedule_values_match_keras(schedule, steps, expected):
    values = [schedule(step) for step in steps]
    assert all(isinstance(v, float) for v in values)
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-9)


def test_schedule_accepts_a_tensor_step():
    schedule = schedules.ExponentialDecay(0.1, 10, 0.5)
    assert schedule(ops.convert_to_tensor(10, "int64")) == pytest.approx(0.05)


@pytest.mark.parametrize("schedule", [case[0] for case in CASES], ids=lambda s: s.name)
def test_schedule_config_round_trip(schedule):
    config = schedules.serialize(schedule)
    assert config["class_name"] == type(schedule).__name__
    clone = schedules.deserialize(config)
    assert type(clone) is type(schedule) and clone.get_config() == schedule.get_config()
    assert [clone(s) for s in (0, 3, 50)] == [schedule(s) for s in (0, 3, 50)]


def test_keras_schedule_config_is_readable():
    # As written by keras.optimizers.schedules.serialize (extra `module`/`registered_name` keys).
    keras_config = {
        "module": "keras.optimizers.schedules",
        "class_name": "ExponentialDecay",
        "config": {
            "initial_learning_rate": 0.1,
            "decay_steps": 10,
            "decay_rate": 0.5,
            "staircase": False,
            "name": "ExponentialDecay",
        },
        "registered_name": None,
    }
    assert schedules.deserialize(keras_config)(10) == pytest.approx(0.05)


def test_schedule_argument_errors():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.CosineDecay(0.1, -1)
    with pytest.raises(ValueError, match="length of `boundaries`"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5])
    with pytest.raises(ValueError, match="increasing"):
        schedules.PiecewiseConstantDecay([5, 2], [1.0, 0.5, 0.1])


def test_base_schedule_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(0)


def test_custom_schedule_subclass():
    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 1.0 / 2 ** float(step)

    opt = optimizers.SGD(learning_rate=Halving())
    w = ops.Variable(ops.convert_to_tensor([0.0]).data, name="w")
    for _ in range(3):
        opt.apply([ops.convert_to_tensor([1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [-1.75])  # 1 + 0.5 + 0.25


def test_optimizer_follows_its_schedule():
    # keras 3.15.1: SGD(ExponentialDecay(0.1, 1, 0.5)) after 3 steps of G1.
    opt = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 1, 0.5))
    w = ops.Variable(ops.convert_to_tensor([1.0, 2.0, -3.0]).data, name="w")
    seen = []
    for grad in ([0.5, -1.0, 1.5], [0.1, -0.3, 2.0], [-0.2, 0.05, 0.4]):
        seen.append(opt.learning_rate)
        opt.apply([ops.convert_to_tensor(grad)], [w])
    assert seen == pytest.approx([0.1, 0.05, 0.025])
    assert opt.learning_rate == pytest.approx(0.0125)
    np.testing.assert_allclose(w.numpy(), [0.95, 2.11375, -3.26], rtol=1e-6)
    # The schedule is not a variable: only the iteration counter and slots are saved.
    assert [v.name for v in opt.variables] == ["iteration"]


def test_setting_lr_on_a_scheduled_optimizer_raises():
    opt = optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 100))
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        opt.learning_rate = 0.01
    assert opt.learning_rate == pytest.approx(0.1)


def test_replacing_a_float_lr_with_a_schedule():
    opt = optimizers.SGD(learning_rate=0.5)
    opt.learning_rate = schedules.PiecewiseConstantDecay([0], [1.0, 0.25])
    assert opt.learning_rate == 1.0
    assert "learning_rate" not in [v.name for v in opt.variables]


def test_scheduled_optimizer_config_round_trip():
    opt = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), momentum=0.5)
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    clone = optimizers.SGD.from_config(config)
    assert isinstance(clone._learning_rate, schedules.ExponentialDecay)
    assert clone.get_config() == config
