"""Pruning schedules against their formulas, TF-MOT's step semantics and TF-MOT's own expected values."""

import numpy as np
import pytest

from kerasette import pruning
from kerasette.pruning import pruning_schedule


def make(kind, begin_step, end_step, frequency):
    if kind == "constant":
        return pruning.ConstantSparsity(0.5, begin_step, end_step, frequency)
    return pruning.PolynomialDecay(0.2, 0.8, begin_step, end_step, 3, frequency)


@pytest.mark.parametrize("kind", ["constant", "polynomial"])
def test_prunes_only_in_the_begin_end_range_on_frequency_steps(kind):
    schedule = make(kind, 100, 200, 10)
    decisions = {step: schedule(step)[0] for step in (0, 90, 99, 100, 105, 109, 110, 111, 190, 200, 201, 210)}
    assert decisions == {0: False, 90: False, 99: False, 100: True, 105: False, 109: False, 110: True, 111: False,
                         190: True, 200: True, 201: False, 210: False}


def test_should_prune_matches_the_formula_on_a_grid():
    for begin, end, frequency in [(0, -1, 1), (0, 50, 7), (3, 40, 5), (10, 10, 1), (5, -1, 100)]:
        schedule = pruning.ConstantSparsity(0.5, begin, end, frequency)
        for step in range(0, 120):
            expected = begin <= step and (step <= end or end < 0) and (step - begin) % frequency == 0
            assert schedule(step)[0] == expected, (begin, end, frequency, step)


def test_constant_sparsity_prunes_forever_with_end_step_minus_one():
    schedule = pruning.ConstantSparsity(0.5, 0, -1, 10)
    assert schedule(10_000) == (True, 0.5)
    assert schedule(100_000_000) == (True, 0.5)
    assert pruning.ConstantSparsity(0.3, 0).frequency == 100  # TF-MOT's defaults
    assert pruning.ConstantSparsity(0.3, 0).end_step == -1


def test_polynomial_decay_matches_tf_mot_expected_values():
    # The numbers of TF-MOT's pruning_schedule_test.testPolynomialDecay_PrunesCorrectly.
    schedule = pruning.PolynomialDecay(0.2, 0.8, 100, 110, 3, 2)
    assert schedule(100)[1] == pytest.approx(0.2, abs=1e-6)
    assert schedule(102)[1] == pytest.approx(0.4928, abs=1e-6)
    assert schedule(105)[1] == pytest.approx(0.725, abs=1e-6)
    assert schedule(110)[1] == pytest.approx(0.8, abs=1e-6)


@pytest.mark.parametrize("power", [1, 2, 3, 0.5])
def test_polynomial_decay_matches_its_formula(power):
    initial, final, begin, end = 0.1, 0.9, 20, 220
    schedule = pruning.PolynomialDecay(initial, final, begin, end, power=power, frequency=1)
    for step in [0, 19, 20, 21, 57, 120, 219, 220, 500]:
        p = min(1.0, max(0.0, (step - begin) / (end - begin)))
        expected = final + (initial - final) * (1 - p) ** power
        assert schedule(step)[1] == pytest.approx(expected, abs=1e-6), step
    assert pruning.PolynomialDecay(0.0, 0.5, 0, 10).power == 3


def test_polynomial_decay_with_begin_equal_to_end_applies_the_final_sparsity():
    schedule = pruning.PolynomialDecay(0.2, 0.7, 5, 5, frequency=1)
    assert schedule(5) == (True, pytest.approx(0.7))
    assert schedule(6) == (False, pytest.approx(0.7))
    assert schedule(4)[0] is False


def test_schedules_accept_a_scalar_tensor_step():
    from kerasette import ops

    assert pruning.ConstantSparsity(0.5, 0, frequency=5)(ops.convert_to_tensor(10)) == (True, 0.5)


@pytest.mark.parametrize("make_schedule, message", [
    (lambda: pruning.ConstantSparsity(0.5, -1), "begin_step"),
    (lambda: pruning.ConstantSparsity(0.5, 10, 5), "end_step"),
    (lambda: pruning.ConstantSparsity(0.5, 0, -2), "end_step"),
    (lambda: pruning.ConstantSparsity(0.5, 0, frequency=0), "frequency"),
    (lambda: pruning.ConstantSparsity(1.0, 0), "target_sparsity"),
    (lambda: pruning.ConstantSparsity(-0.1, 0), "target_sparsity"),
    (lambda: pruning.PolynomialDecay(0.2, 0.8, 10, -1), "end_step"),
    (lambda: pruning.PolynomialDecay(1.2, 0.8, 0, 10), "initial_sparsity"),
    (lambda: pruning.PolynomialDecay(0.2, 1.0, 0, 10), "final_sparsity"),
])
def test_invalid_arguments_raise_value_errors_naming_them(make_schedule, message):
    with pytest.raises(ValueError, match=f"`{message}`"):
        make_schedule()


def test_non_integer_steps_raise_type_errors():
    with pytest.raises(TypeError, match="`begin_step`"):
        pruning.ConstantSparsity(0.5, 1.5)
    with pytest.raises(TypeError, match="`power`"):
        pruning.PolynomialDecay(0.1, 0.5, 0, 10, power="3")


@pytest.mark.parametrize("schedule", [pruning.ConstantSparsity(0.7, 10, 20, 10),
                                      pruning.PolynomialDecay(0.2, 0.6, 10, 20, 5, 10)])
def test_config_round_trip_in_tf_mot_layout(schedule):
    config = schedule.get_config()
    assert config["class_name"] == type(schedule).__name__
    restored = pruning_schedule.deserialize(config)
    assert type(restored) is type(schedule)
    assert restored.__dict__ == schedule.__dict__
    assert type(schedule).from_config(config["config"]).__dict__ == schedule.__dict__


def test_deserialize_refuses_unknown_schedules():
    with pytest.raises(ValueError, match="Unknown pruning schedule 'Mystery'"):
        pruning_schedule.deserialize({"class_name": "Mystery", "config": {}})
    with pytest.raises(ValueError, match="pruning_schedule"):
        pruning_schedule.deserialize(0.5)


def test_custom_schedule_resolves_through_custom_objects():
    class EveryStep(pruning.PruningSchedule):
        def __init__(self, sparsity):
            self.sparsity = sparsity

        def __call__(self, step):
            return True, self.sparsity

        def get_config(self):
            return {"class_name": "EveryStep", "config": {"sparsity": self.sparsity}}

    restored = pruning_schedule.deserialize(EveryStep(0.3).get_config(), {"EveryStep": EveryStep})
    assert isinstance(restored, EveryStep) and restored(7) == (True, 0.3)


def test_sparsity_is_computed_in_float32_like_tensorflow():
    value = pruning.PolynomialDecay(0.1, 0.9, 0, 3, power=3, frequency=1)(1)[1]
    p = np.float32(1) / np.float32(3)
    expected = np.float32(0.1 - 0.9) * np.power(np.float32(1) - p, np.float32(3)) + np.float32(0.9)
    assert value == float(expected)
