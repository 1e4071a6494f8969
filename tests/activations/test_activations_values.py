"""Activations: values (numpy formulas and Keras 3.15.1 numbers), gradients, and name resolution."""

import math

import numpy as np
import pytest
from finite_differences import central_difference

from kerasette import activations, ops

X = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 8.0], dtype=np.float32)
ERF = np.vectorize(math.erf)

# Numpy references a reader can check by eye.
REFERENCE = {
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "linear": lambda x: x,
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1.0),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1.0)),
    "gelu": lambda x: 0.5 * x * (1.0 + ERF(x / np.sqrt(2.0))),
    "silu": lambda x: x / (1.0 + np.exp(-x)),
    "swish": lambda x: x / (1.0 + np.exp(-x)),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "hard_sigmoid": lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "exponential": np.exp,
}

# From keras 3.15.1 (KERAS_BACKEND=torch), float32, on X above.
KERAS = {
    ("relu", (("negative_slope", 0.1), ("max_value", 5.0), ("threshold", 0.5))): [
        -0.35, -0.15, -0.1, -0.05, 0.0, 1.0, 3.0, 5.0],
    ("gelu", ()): [-0.004050225, -0.15865526, -0.15426877, 0.0, 0.34573123, 0.84134471, 2.99594975, 8.0],
    ("gelu", (("approximate", True),)): [
        -0.003637433, -0.15880799, -0.15428600, 0.0, 0.34571400, 0.84119201, 2.99636269, 8.0],
    ("selu", ()): [-1.6705687, -1.1113307, -0.69175816, 0.0, 0.52535051, 1.0507010, 3.1521029, 8.4056082],
    ("elu", (("alpha", 0.5),)): [-0.47510648, -0.31606027, -0.19673467, 0.0, 0.5, 1.0, 3.0, 8.0],
    ("hard_sigmoid", ()): [0.0, 1 / 3, 0.41666667, 0.5, 0.58333331, 0.66666669, 1.0, 1.0],
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_matches_numpy_reference(name):
    out = activations.get(name)(ops.convert_to_tensor(X))
    assert out.shape == X.shape
    np.testing.assert_allclose(out.numpy(), REFERENCE[name](X.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("key", list(KERAS), ids=[k[0] + str(len(k[1])) for k in KERAS])
def test_matches_keras_numbers(key):
    name, kwargs = key
    out = getattr(activations, name)(ops.convert_to_tensor(X), **dict(kwargs))
    np.testing.assert_allclose(out.numpy(), KERAS[key], rtol=1e-5, atol=1e-6)


def test_relu_options_one_at_a_time():
    x = ops.convert_to_tensor(X)
    np.testing.assert_allclose(activations.relu(x, max_value=2.0).numpy(), np.clip(X, 0, 2))
    np.testing.assert_allclose(activations.relu(x, threshold=1.0).numpy(), np.where(X > 1.0, X, 0.0))
    np.testing.assert_allclose(activations.relu(x, negative_slope=0.3).numpy(), np.where(X > 0, X, 0.3 * X), rtol=1e-6)


def test_softmax_rows_sum_to_one_and_keep_logits():
    logits = ops.convert_to_tensor(np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]], dtype=np.float32))
    out = activations.softmax(logits)
    np.testing.assert_allclose(out.numpy().sum(axis=-1), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(out.numpy()[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-6)
    assert out.logits is logits
    np.testing.assert_allclose(activations.softmax(logits, axis=0).numpy().sum(axis=0), [1.0] * 3, rtol=1e-6)


def test_softmax_over_a_unit_axis_warns():
    with pytest.warns(UserWarning, match="has size 1"):
        activations.softmax(ops.ones((4, 1)))


def test_sigmoid_is_stable_and_keeps_logits():
    x = ops.convert_to_tensor(np.array([-1000.0, 0.0, 1000.0], dtype=np.float32))
    out = activations.sigmoid(x)
    np.testing.assert_allclose(out.numpy(), [0.0, 0.5, 1.0])
    assert out.logits is x


# Points away from each function's kinks.
SMOOTH_X = np.array([-2.3, -0.7, 0.4, 1.9, 6.5], dtype=np.float64)


@pytest.mark.parametrize("name", sorted(set(REFERENCE) | {"log_softmax", "softmax"}))
def test_gradient_matches_finite_differences(name):
    fn = activations.get(name)
    weights = np.linspace(0.5, 1.5, SMOOTH_X.size)  # a non-uniform cotangent

    def scalar(x):
        return float(ops.sum(ops.multiply(fn(ops.convert_to_tensor(x)), weights)))

    x = ops.convert_to_tensor(SMOOTH_X.copy())
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.multiply(fn(x), weights))
    (grad,) = tape.gradient(y, [x])
    np.testing.assert_allclose(grad.numpy(), central_difference(scalar, SMOOTH_X.copy()), rtol=1e-5, atol=1e-7)


def test_softplus_gradient_at_zero():
    x = ops.convert_to_tensor(np.array([0.0]))
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(activations.softplus(x))
    np.testing.assert_allclose(tape.gradient(y, [x])[0].numpy(), [0.5])


def test_get_resolves_none_names_callables_and_configs():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get(np.tanh) is np.tanh
    keras_form = {"module": "keras.activations", "class_name": "function", "config": "gelu", "registered_name": "gelu"}
    assert activations.get(keras_form) is activations.gelu


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_serialize_round_trip(name):
    fn = activations.get(name)
    assert activations.deserialize(activations.serialize(fn)) is fn


def test_serialize_gives_the_keras_name():
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.swish) == "silu"


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown activation: 'rleu'") as info:
        activations.get("rleu")
    assert "'relu'" in str(info.value) and "'softmax'" in str(info.value)


def test_get_rejects_non_callables():
    with pytest.raises(ValueError, match="Could not interpret activation"):
        activations.get(3)


def test_docstring_examples():
    import doctest
    import importlib

    for name in "kerasette.activations".split():
        assert doctest.testmod(importlib.import_module(name)).failed == 0
