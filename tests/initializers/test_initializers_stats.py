"""Initializers: fans, sample statistics, limits, seeding, configs and name resolution."""

import math

import numpy as np
import pytest

from kerasette import initializers, ops
from kerasette.ops import random as ks_random

DENSE = (400, 600)  # fan_in 400, fan_out 600
CONV = (3, 3, 32, 64)  # receptive field 9: fan_in 288, fan_out 576


@pytest.mark.parametrize(
    "shape, fans",
    [((), (1, 1)), ((7,), (7, 7)), ((5, 3), (5, 3)), (CONV, (288, 576)), ((2, 3, 4, 5, 6), (120, 144))],
)
def test_compute_fans(shape, fans):
    assert initializers.compute_fans(shape) == fans


def _draw(initializer, shape):
    out = initializer(shape)
    assert isinstance(out, ops.Tensor) and out.shape == shape and out.dtype == "float32"
    return out.numpy().astype(np.float64)


# (name, shape, expected std, uniform limit or None, truncation bound in stds or None)
CASES = [
    ("glorot_uniform", DENSE, math.sqrt(2.0 / 1000), math.sqrt(6.0 / 1000), None),
    ("glorot_normal", DENSE, math.sqrt(2.0 / 1000), None, 2.0),
    ("he_uniform", CONV, math.sqrt(2.0 / 288), math.sqrt(6.0 / 288), None),
    ("he_normal", CONV, math.sqrt(2.0 / 288), None, 2.0),
    ("lecun_uniform", DENSE, math.sqrt(1.0 / 400), math.sqrt(3.0 / 400), None),
    ("lecun_normal", CONV, math.sqrt(1.0 / 288), None, 2.0),
    ("random_normal", DENSE, 0.05, None, None),
    ("random_uniform", DENSE, 0.1 / math.sqrt(12.0), 0.05, None),
    ("truncated_normal", DENSE, 0.05 * 0.87962566, None, None),
]


@pytest.mark.parametrize("name, shape, std, limit, bound", CASES, ids=[c[0] for c in CASES])
def test_statistics(name, shape, std, limit, bound):
    values = _draw(initializers.get(name), shape)
    assert abs(values.mean()) < 0.02 * std + 3 * std / math.sqrt(values.size)
    assert values.std() == pytest.approx(std, rel=0.02)
    if limit is not None:
        assert values.min() >= -limit and values.max() < limit
        assert values.max() > 0.99 * limit and values.min() < -0.99 * limit  # fills the whole range
    if bound is not None:  # truncated at 2 standard deviations of the pre-truncation normal
        assert np.abs(values).max() <= bound * std / 0.87962566 * (1 + 1e-6)


def test_truncated_normal_respects_mean_and_two_sigma():
    values = _draw(initializers.TruncatedNormal(mean=1.0, stddev=0.1, seed=3), (200, 200))
    assert values.mean() == pytest.approx(1.0, abs=0.002)
    assert values.min() >= 0.8 - 1e-6 and values.max() <= 1.2 + 1e-6


@pytest.mark.parametrize("mode, fan", [("fan_in", 288), ("fan_out", 576), ("fan_avg", 432)])
@pytest.mark.parametrize("distribution", ["uniform", "untruncated_normal", "truncated_normal"])
def test_variance_scaling_modes(mode, fan, distribution):
    init = initializers.VarianceScaling(scale=3.0, mode=mode, distribution=distribution, seed=1)
    assert _draw(init, CONV).std() == pytest.approx(math.sqrt(3.0 / fan), rel=0.03)


def test_variance_scaling_normal_means_truncated():
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"


@pytest.mark.parametrize(
    "kwargs, match",
    [({"scale": 0.0}, "scale"), ({"mode": "fan_sum"}, "mode"), ({"distribution": "cauchy"}, "distribution"),
     ({"seed": "7"}, "seed"), ({"seed": 1.5}, "seed")],
)
def test_variance_scaling_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=f"Invalid value for argument `{match}`"):
        initializers.VarianceScaling(**kwargs)


def test_constants():
    np.testing.assert_array_equal(initializers.Zeros()((2, 3)).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(initializers.Ones()((4,)).numpy(), np.ones(4))
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 2)).numpy(), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(initializers.Constant([1.0, 2.0])((3, 2)).numpy(), [[1, 2]] * 3)
    assert initializers.get("zeros")((2,), dtype="float64").dtype == "float64"


def test_constant_result_is_writable():
    out = initializers.Constant([1.0, 2.0])((3, 2))
    variable = ops.Variable(out.data, name="v")
    variable.assign(np.zeros((3, 2), dtype=np.float32))
    np.testing.assert_array_equal(variable.numpy(), np.zeros((3, 2)))


RANDOM = ["RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "GlorotUniform",
          "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform"]


@pytest.mark.parametrize("name", RANDOM)
def test_seeded_is_deterministic(name):
    cls = getattr(initializers, name)
    first = cls(seed=42)((30, 20)).numpy()
    np.testing.assert_array_equal(first, cls(seed=42)((30, 20)).numpy())  # a new instance
    np.testing.assert_array_equal(first, cls(seed=42)((30, 20)).numpy())
    init = cls(seed=42)
    np.testing.assert_array_equal(init((30, 20)).numpy(), init((30, 20)).numpy())  # every call
    assert not np.array_equal(first, cls(seed=43)((30, 20)).numpy())


@pytest.mark.parametrize("name", RANDOM)
def test_unseeded_draws_fresh_values_reproducible_by_global_seed(name):
    init = getattr(initializers, name)()
    ks_random.reset_global_seed(7)
    a, b = init((20, 10)).numpy(), init((20, 10)).numpy()
    assert not np.array_equal(a, b)
    ks_random.reset_global_seed(7)
    np.testing.assert_array_equal(a, init((20, 10)).numpy())
    np.testing.assert_array_equal(b, init((20, 10)).numpy())


ALL = ["Zeros", "Ones", "Constant"] + RANDOM
CONFIGS = {
    "Constant": {"value": 0.7},
    "RandomNormal": {"mean": 1.0, "stddev": 0.2, "seed": 5},
    "RandomUniform": {"minval": -1.0, "maxval": 2.0, "seed": 5},
    "TruncatedNormal": {"mean": 0.5, "stddev": 0.1, "seed": None},
    "VarianceScaling": {"scale": 2.0, "mode": "fan_out", "distribution": "uniform", "seed": 9},
}


@pytest.mark.parametrize("name", ALL)
def test_config_round_trip(name):
    cls = getattr(initializers, name)
    init = cls(**CONFIGS.get(name, {"seed": 11} if name in RANDOM else {}))
    config = init.get_config()
    for key, value in CONFIGS.get(name, {}).items():
        assert config[key] == value
    clone = initializers.deserialize(initializers.serialize(init))
    assert type(clone) is cls and clone.get_config() == config
    if name != "TruncatedNormal":  # seeded or constant: the clone draws the same values
        np.testing.assert_array_equal(clone((6, 5)).numpy(), init((6, 5)).numpy())


def test_keras_defaults_and_configs():
    assert initializers.RandomNormal().get_config() == {"mean": 0.0, "stddev": 0.05, "seed": None}
    assert initializers.RandomUniform().get_config() == {"minval": -0.05, "maxval": 0.05, "seed": None}
    assert initializers.GlorotUniform().get_config() == {"seed": None}
    assert initializers.VarianceScaling().get_config() == {
        "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": None}


@pytest.mark.parametrize(
    "alias, cls",
    [("glorot_uniform", "GlorotUniform"), ("glorot_normal", "GlorotNormal"), ("he_normal", "HeNormal"),
     ("he_uniform", "HeUniform"), ("lecun_normal", "LecunNormal"), ("lecun_uniform", "LecunUniform"),
     ("zeros", "Zeros"), ("ones", "Ones"), ("constant", "Constant"), ("random_normal", "RandomNormal"),
     ("random_uniform", "RandomUniform"), ("truncated_normal", "TruncatedNormal"),
     ("variance_scaling", "VarianceScaling"), ("HeNormal", "HeNormal")],
)
def test_get_by_name(alias, cls):
    assert type(initializers.get(alias)) is getattr(initializers, cls)


def test_get_by_dict_class_instance_and_callable():
    from_dict = initializers.get({"class_name": "RandomUniform", "config": {"minval": 0.0, "maxval": 1.0}})
    assert (from_dict.minval, from_dict.maxval) == (0.0, 1.0)
    keras_dict = {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": 3},
                  "registered_name": None}
    assert initializers.get(keras_dict).seed == 3
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    instance = initializers.Ones()
    assert initializers.get(instance) is instance

    def custom(shape, dtype=None):
        return ops.full(shape, 3.0)

    assert initializers.get(custom) is custom
    assert initializers.get(None) is None


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown initializer: 'glorot'") as info:
        initializers.get("glorot")
    assert "'glorot_uniform'" in str(info.value)


def test_bad_shape_is_a_clear_error():
    with pytest.raises(ValueError, match="shape"):
        initializers.Zeros()((2, -1))


def test_docstring_examples():
    import doctest
    import importlib

    for name in "kerasette.initializers kerasette.initializers._base".split():
        assert doctest.testmod(importlib.import_module(name)).failed == 0
