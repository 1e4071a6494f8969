"""PolynomialDecay, InverseTimeDecay and CosineDecayRestarts: values pinned to Keras 3.15.1, configs,
argument checks, and use by an optimizer."""

import numpy as np
import pytest

from kerasette import ops, optimizers
from kerasette.optimizers import schedules

STEPS = [0, 1, 3, 5, 9, 10, 11, 15, 20, 25, 29, 31, 50]
# keras.optimizers.schedules.<name>(*args)(step) for STEPS, keras 3.15.1 (torch backend, float32).
CASES = [
    (
        schedules.PolynomialDecay(0.1, 10),
        [0.1, 0.09001, 0.07003, 0.05005, 0.01009, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4],
    ),
    (
        schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0),
        [0.1, 0.0829, 0.0541, 0.0325, 0.0109, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
    ),
    (
        schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=0.5, cycle=True),
        [0.1, 0.0953815, 0.0852994, 0.0736396, 0.0384605, 0.01, 0.07037383, 0.055, 0.01, 0.04674235,
         0.02643168, 0.05269075, 0.01],
    ),
    (
        schedules.InverseTimeDecay(0.1, 10, 0.5),
        [0.1, 0.0952381, 0.08695652, 0.08, 0.06896552, 0.06666667, 0.06451613, 0.05714286, 0.05, 0.04444444,
         0.04081633, 0.03921569, 0.02857143],
    ),
    (
        schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True),
        [0.1, 0.1, 0.1, 0.1, 0.1, 0.06666667, 0.06666667, 0.06666667, 0.05, 0.05, 0.05, 0.04, 0.02857143],
    ),
    (
        schedules.CosineDecayRestarts(0.1, 10),
        [0.1, 0.09755283, 0.07938927, 0.05, 0.002447176, 0.1, 0.09938442, 0.08535534, 0.05, 0.01464466,
         0.0006155819, 0.09984586, 0.05],
    ),
    (
        schedules.CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
        [0.1, 0.09779754, 0.08145034, 0.055, 0.01220246, 0.055, 0.05389877, 0.0325, 0.0325, 0.02125,
         0.01055061, 0.02097469, 0.0128125],
    ),
]


@pytest.mark.parametrize("schedule, expected", CASES, ids=lambda c: getattr(c, "name", None))
def test_values_match_keras(schedule, expected):
    values = [schedule(step) for step in STEPS]
    assert all(isinstance(v, float) for v in values)
    np.testing.assert_allclose(values, expected, rtol=3e-6, atol=1e-9)


def test_cosine_restarts_with_growing_periods():
    # Periods of 4, 6 and 9 steps (t_mul=1.5), each restart 0.8 times lower (m_mul), floor alpha=0.05.
    schedule = schedules.CosineDecayRestarts(0.1, 4, t_mul=1.5, m_mul=0.8, alpha=0.05)
    keras_values = {1: 0.08608758, 3: 0.01891243, 5: 0.07590897, 9: 0.01009104, 11: 0.06396666, 20: 0.05298445}
    for step, value in keras_values.items():
        assert schedule(step) == pytest.approx(value, rel=3e-6)
    # At a restart (step 10 = 4 + 6) the rate is the new period's peak, 0.1 * (0.95 * 0.64 + 0.05). Keras's
    # float32 log gives floor(1.9999999) = 1 there and returns the end of the previous period, 0.005.
    assert schedule(10) == pytest.approx(0.1 * (0.95 * 0.8**2 + 0.05))


@pytest.mark.parametrize("schedule, _", CASES, ids=lambda c: getattr(c, "name", None))
def test_config_round_trip(schedule, _):
    config = schedules.serialize(schedule)
    clone = schedules.deserialize(config)
    assert type(clone) is type(schedule) and clone.get_config() == schedule.get_config()
    assert [clone(s) for s in STEPS] == [schedule(s) for s in STEPS]


def test_keras_default_names_and_keys():
    assert schedules.PolynomialDecay(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.0001, "power": 1.0,
        "cycle": False, "name": "PolynomialDecay",
    }
    assert schedules.InverseTimeDecay(0.1, 10, 0.5).get_config()["name"] == "InverseTimeDecay"
    assert schedules.CosineDecayRestarts(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 2.0, "m_mul": 1.0, "alpha": 0.0,
        "name": "SGDRDecay",
    }


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: schedules.PolynomialDecay(0.1, 0), "argument `decay_steps` of schedule `PolynomialDecay`"),
        (lambda: schedules.InverseTimeDecay(0.1, -1, 0.5), "Received: decay_steps=-1"),
        (lambda: schedules.CosineDecayRestarts(0.1, 0), "Received: first_decay_steps=0"),
    ],
)
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match="Invalid value for argument") as info:
        make()
    assert message in str(info.value)


def test_optimizer_reads_the_schedule_at_its_step():
    schedule = schedules.InverseTimeDecay(1.0, 1, 1.0)  # 1, 1/2, 1/3, ...
    w = ops.Variable([0.0], name="w")
    opt = optimizers.SGD(learning_rate=schedule)
    for _ in range(3):
        opt.apply([ops.convert_to_tensor([-1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [1.0 + 1 / 2 + 1 / 3], rtol=1e-6)
    assert opt.learning_rate == pytest.approx(0.25)
    clone = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(clone._learning_rate, schedules.InverseTimeDecay)
    assert schedules.get(schedules.serialize(schedule)).get_config() == schedule.get_config()
