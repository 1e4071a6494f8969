"""Seeded random ops: dropout statistics and the distributions behind initializers."""

import numpy as np
import pytest

from kerasette import ops
from kerasette.ops import random as krandom

N = 100_000  # draws per statistic: 4 standard errors of a rate of 0.3 is about 0.006


def test_dropout_statistics(backend):
    rate = 0.3
    x = ops.ones((400, 250), "float32")
    y = krandom.dropout(x, rate, seed=7).numpy()
    assert y.dtype == np.float32
    dropped = y == 0
    assert abs(dropped.mean() - rate) < 0.006
    np.testing.assert_allclose(y[~dropped], 1.0 / (1.0 - rate), rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.01  # the 1 / (1 - rate) scale keeps the expectation


def test_dropout_gradient_is_the_scaled_mask(backend):
    x = ops.convert_to_tensor(np.random.default_rng(0).uniform(1.0, 2.0, (50, 40)))
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = krandom.dropout(x, 0.5, seed=3)
        loss = ops.sum(y)
    (g,) = tape.gradient(loss, [x])
    assert g.dtype == "float64"
    np.testing.assert_allclose(g.numpy(), y.numpy() / x.numpy(), rtol=1e-12)
    assert set(np.unique(g.numpy())) == {0.0, 2.0}


def test_dropout_seeds(backend):
    x = ops.ones((30, 30))
    a, b = krandom.dropout(x, 0.5, seed=11).numpy(), krandom.dropout(x, 0.5, seed=11).numpy()
    np.testing.assert_array_equal(a, b)  # an int seed gives the same mask every call
    generator = krandom.SeedGenerator(11)
    c, d = krandom.dropout(x, 0.5, seed=generator).numpy(), krandom.dropout(x, 0.5, seed=generator).numpy()
    assert not np.array_equal(c, d)  # a SeedGenerator advances


def test_dropout_noise_shape_and_rate_zero(backend):
    x = ops.ones((200, 6))
    y = krandom.dropout(x, 0.5, noise_shape=(200, 1), seed=1).numpy()
    assert np.all(y == y[:, :1])  # whole rows kept or dropped
    assert 0 < (y[:, 0] == 0).sum() < 200
    np.testing.assert_array_equal(krandom.dropout(x, 0.0, seed=1).numpy(), x.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_uniform_and_normal(dtype, backend):
    u = krandom.uniform((N,), minval=-2.0, maxval=3.0, dtype=dtype, seed=5).numpy()
    assert u.dtype == dtype and u.min() >= -2.0 and u.max() < 3.0
    assert abs(u.mean() - 0.5) < 4 * 5 / np.sqrt(12 * N)
    z = krandom.normal((N,), mean=1.0, stddev=2.0, dtype=dtype, seed=5).numpy()
    assert z.dtype == dtype
    assert abs(z.mean() - 1.0) < 4 * 2 / np.sqrt(N)
    assert abs(z.std() - 2.0) < 0.03


def test_truncated_normal_stays_within_two_stddevs(backend):
    t = krandom.truncated_normal((N,), mean=0.5, stddev=0.1, seed=2).numpy()
    assert t.dtype == np.float32
    assert np.all(np.abs(t - 0.5) <= 0.2 + 1e-6)
    assert abs(t.std() - 0.1 * 0.8796) < 0.002  # std of a standard normal cut at +-2 is 0.8796
    assert abs(t.mean() - 0.5) < 0.002


def test_permutation(backend):
    p = krandom.permutation(1000, seed=4).numpy()
    assert sorted(p.tolist()) == list(range(1000))
    assert not np.array_equal(p, np.arange(1000))
    np.testing.assert_array_equal(p, krandom.permutation(1000, seed=4).numpy())


def test_unseeded_draws_follow_the_global_seed(backend):
    krandom.reset_global_seed(42)
    first = [krandom.uniform((5,)).numpy(), krandom.SeedGenerator().next()]
    krandom.reset_global_seed(42)
    second = [krandom.uniform((5,)).numpy(), krandom.SeedGenerator().next()]
    np.testing.assert_array_equal(first[0], second[0])
    assert first[1] == second[1]
    assert not np.array_equal(krandom.uniform((5,)).numpy(), first[0])


def test_dropout_rate_must_be_below_one(backend):
    for rate in (1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="Expected a float in \\[0, 1\\)"):
            krandom.dropout(ops.ones((2, 2)), rate)


def test_dropout_noise_shape_none_entries_take_the_input_size(backend):
    y = krandom.dropout(ops.ones((4, 300)), 0.5, noise_shape=(None, 1), seed=2).numpy()
    assert np.all(y == y[:, :1])
    y = krandom.dropout(ops.ones((300, 4)), 0.5, noise_shape=(None, 4), seed=2).numpy()
    assert 0 < (y == 0).mean() < 1
