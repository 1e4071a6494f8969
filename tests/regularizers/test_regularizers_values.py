"""Regularizers: penalty values, gradients, validation, configs and name resolution."""

import numpy as np
import pytest

from kerasette import ops, regularizers

W = np.array([[0.5, -1.5], [2.0, -0.25]], dtype=np.float32)


@pytest.mark.parametrize(
    "regularizer, expected",
    [
        (regularizers.L1(0.1), 0.1 * 4.25),
        (regularizers.L2(0.1), 0.1 * (0.25 + 2.25 + 4.0 + 0.0625)),
        (regularizers.L1L2(l1=0.1, l2=0.2), 0.1 * 4.25 + 0.2 * 6.5625),
        (regularizers.L1L2(), 0.0),
        (regularizers.get("l1"), 0.01 * 4.25),
        (regularizers.get("l2"), 0.01 * 6.5625),
    ],
)
def test_penalty_values(regularizer, expected):
    out = regularizer(ops.convert_to_tensor(W))
    assert isinstance(out, ops.Tensor) and out.shape == ()
    assert float(out) == pytest.approx(expected, rel=1e-6)


def test_penalty_gradient_flows_to_a_variable():
    w = ops.Variable(W.copy(), name="kernel")
    with ops.GradientTape() as tape:
        penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    (grad,) = tape.gradient(penalty, [w])
    np.testing.assert_allclose(grad.numpy(), 0.1 * np.sign(W) + 0.2 * 2 * W, rtol=1e-6)


def test_keras_defaults():
    assert regularizers.L1().l1 == 0.01
    assert regularizers.L2().l2 == 0.01
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.L1L2(l1=None, l2=0.5).get_config() == {"l1": 0.0, "l2": 0.5}


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf"), "0.1", None, True])
def test_rejects_bad_factors(value):
    with pytest.raises(ValueError, match="Invalid value for argument `l2`"):
        regularizers.L2(value)


@pytest.mark.parametrize("regularizer", [regularizers.L1(0.3), regularizers.L2(0.4), regularizers.L1L2(0.1, 0.2)])
def test_config_round_trip(regularizer):
    clone = regularizers.deserialize(regularizers.serialize(regularizer))
    assert type(clone) is type(regularizer) and clone.get_config() == regularizer.get_config()
    w = ops.convert_to_tensor(W)
    assert float(clone(w)) == float(regularizer(w))


@pytest.mark.parametrize("alias, cls", [("l1", "L1"), ("l2", "L2"), ("l1_l2", "L1L2"), ("L2", "L2")])
def test_get_by_name(alias, cls):
    assert type(regularizers.get(alias)) is getattr(regularizers, cls)


def test_get_by_dict_instance_and_callable():
    assert regularizers.get({"class_name": "L2", "config": {"l2": 0.5}}).l2 == 0.5
    instance = regularizers.L1(0.2)
    assert regularizers.get(instance) is instance

    def custom(weight):
        return ops.sum(weight)

    assert regularizers.get(custom) is custom
    assert regularizers.get(None) is None


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'") as info:
        regularizers.get("l3")
    assert "'l1_l2'" in str(info.value)


def test_docstring_examples():
    import doctest
    import importlib

    for name in "kerasette.regularizers".split():
        assert doctest.testmod(importlib.import_module(name)).failed == 0
