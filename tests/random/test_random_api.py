"""``kerasette.random``: Keras's names, signatures and seeding rules; distributions checked by their moments."""

import inspect
import os

import numpy as np
import pytest

import kerasette as keras
from kerasette import random
from kerasette.utils import set_random_seed

os.environ.setdefault("KERAS_BACKEND", "torch")
N = 40_000


def test_signatures_match_keras():
    keras_lib = pytest.importorskip("keras")
    for name in random.__all__:
        ours, theirs = getattr(random, name), getattr(keras_lib.random, name)
        if inspect.isclass(ours):
            ours, theirs = ours.__init__, theirs.__init__
        assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters), name
        defaults = {k: p.default for k, p in inspect.signature(ours).parameters.items()}
        assert defaults == {k: p.default for k, p in inspect.signature(theirs).parameters.items()}, name


DRAWS = {
    "normal": lambda seed: random.normal((3, 4), seed=seed),
    "uniform": lambda seed: random.uniform((3, 4), seed=seed),
    "truncated_normal": lambda seed: random.truncated_normal((3, 4), seed=seed),
    "randint": lambda seed: random.randint((3, 4), 0, 100, seed=seed),
    "dropout": lambda seed: random.dropout(np.ones((3, 4), "float32"), 0.5, seed=seed),
    "shuffle": lambda seed: random.shuffle(np.arange(12), seed=seed),
    "categorical": lambda seed: random.categorical(np.zeros((2, 5), "float32"), 6, seed=seed),
    "gamma": lambda seed: random.gamma((3, 4), 2.0, seed=seed),
    "beta": lambda seed: random.beta((3, 4), 2.0, 3.0, seed=seed),
    "binomial": lambda seed: random.binomial((3, 4), 10, 0.5, seed=seed),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_seeding_int_repeats_generator_advances_global_follows_set_random_seed(name, backend):
    draw = DRAWS[name]
    np.testing.assert_array_equal(draw(7).numpy(), draw(7).numpy())
    assert not np.array_equal(draw(7).numpy(), draw(8).numpy())
    generator = random.SeedGenerator(3)
    first, second = draw(generator).numpy(), draw(generator).numpy()
    assert not np.array_equal(first, second)
    replay = random.SeedGenerator(3)
    np.testing.assert_array_equal(draw(replay).numpy(), first)
    np.testing.assert_array_equal(draw(replay).numpy(), second)
    set_random_seed(11)
    a = draw(None).numpy()
    set_random_seed(11)
    np.testing.assert_array_equal(draw(None).numpy(), a)


def test_normal_uniform_truncated_moments(backend):
    x = random.normal((N,), mean=2.0, stddev=3.0, seed=1).numpy()
    assert x.dtype == np.float32 and abs(x.mean() - 2.0) < 0.05 and abs(x.std() - 3.0) < 0.05
    u = random.uniform((N,), minval=-1.0, maxval=3.0, seed=2).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.03
    t = random.truncated_normal((N,), mean=1.0, stddev=0.5, seed=3).numpy()
    assert t.min() >= 0.0 and t.max() <= 2.0
    assert abs(t.std() - 0.5 * 0.8796) < 0.01  # the std of a normal truncated at 2 sigma
    assert random.normal((2,), dtype="float64", seed=1).dtype == "float64"


def test_randint_is_uniform_over_the_range(backend):
    values = random.randint((N,), -3, 4, seed=5).numpy()
    assert values.dtype == np.int32 and values.min() == -3 and values.max() == 3
    counts = np.bincount(values + 3) / N
    np.testing.assert_allclose(counts, np.full(7, 1 / 7), atol=0.01)
    assert random.randint((3,), 0, 2, dtype="int64", seed=1).dtype == "int64"


def test_dropout_shuffle_categorical(backend):
    kept = random.dropout(np.ones((N,), "float32"), 0.25, seed=4).numpy()
    assert set(np.unique(kept)) <= {0.0, np.float32(1 / 0.75)} and abs((kept == 0).mean() - 0.25) < 0.01
    masked = random.dropout(np.ones((4, 6), "float32"), 0.5, noise_shape=(4, 1), seed=4).numpy()
    assert all(len(set(row)) == 1 for row in masked)  # one draw per row
    table = np.arange(20).reshape(4, 5)
    shuffled = random.shuffle(table, axis=1, seed=1).numpy()
    assert sorted(shuffled[0]) == list(range(5)) and all(np.array_equal(shuffled[i] - shuffled[0], [5 * i] * 5)
                                                         for i in range(4))
    probabilities = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]])
    with np.errstate(divide="ignore"):
        logits = np.log(probabilities)
    samples = random.categorical(logits, N // 4, seed=6).numpy()
    assert samples.shape == (2, N // 4) and samples.dtype == np.int32
    for row, p in zip(samples, probabilities):
        np.testing.assert_allclose(np.bincount(row, minlength=3) / row.size, p, atol=0.015)


@pytest.mark.parametrize("alpha", [0.3, 1.0, 4.5])
def test_gamma_mean_and_variance_equal_alpha(alpha, backend):
    g = random.gamma((N,), alpha, seed=7).numpy()
    assert g.min() > 0
    assert abs(g.mean() - alpha) < 0.03 * max(alpha, 1) and abs(g.var() - alpha) < 0.08 * max(alpha, 1)


def test_beta_and_binomial_moments(backend):
    b = random.beta((N,), 2.0, 5.0, seed=8).numpy()
    assert 0 < b.min() and b.max() < 1
    assert abs(b.mean() - 2 / 7) < 0.005 and abs(b.var() - 10 / (49 * 8)) < 0.002
    n = random.binomial((N,), counts=150, probabilities=0.2, seed=9).numpy()
    assert n.dtype == np.float32 and np.all(n == np.round(n)) and n.max() <= 150
    assert abs(n.mean() - 30) < 0.15 and abs(n.var() - 24) < 0.8
    per_sample = random.binomial((3,), counts=np.array([0.0, 5.0, 5.0]), probabilities=np.array([0.5, 0.0, 1.0]),
                                 seed=1).numpy()
    np.testing.assert_array_equal(per_sample, [0.0, 0.0, 5.0])


def test_invalid_arguments_raise_naming_them():
    with pytest.raises(ValueError, match="integer `dtype`"):
        random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="minval < maxval"):
        random.randint((2,), 3, 3)
    with pytest.raises(ValueError, match="`dtype`"):
        random.normal((2,), dtype="int32")
    with pytest.raises(ValueError, match="`rate`"):
        random.dropout(np.ones(3), 1.0)
    with pytest.raises(ValueError, match="`alpha`"):
        random.gamma((2,), -1.0)
    with pytest.raises(ValueError, match="`probabilities`"):
        random.binomial((2,), 3, 1.5)
    with pytest.raises(ValueError, match="`counts`"):
        random.binomial((2,), 2.5, 0.5)
    with pytest.raises(ValueError, match="2-D"):
        random.categorical(np.zeros(3), 2)
    with pytest.raises(ValueError, match="`axis`"):
        random.shuffle(np.zeros((2, 2)), axis=2)
    with pytest.raises(ValueError, match="`shape`"):
        random.uniform((2, -1))
    with pytest.raises(ValueError, match="`seed`"):
        random.SeedGenerator(1.5)
    with pytest.raises(ValueError, match="backend"):
        random.SeedGenerator(1, backend="jax")


def test_seed_generator_config_and_state_and_layer_use():
    generator = random.SeedGenerator(5, name="gen")
    assert generator.get_config() == {"seed": 5, "name": "gen"}
    clone = random.SeedGenerator.from_config(generator.get_config())
    generator.next()
    assert generator.state.numpy().tolist() == [5, 1] and clone.state.numpy().tolist() == [5, 0]


class NoisyDropout(keras.layers.Layer):
    """The layer of Keras's SeedGenerator docstring: a generator held by the layer, advanced by each call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = random.SeedGenerator(1337)

    def call(self, x, training=False):
        return random.dropout(x, rate=0.5, seed=self.seed_generator) if training else x


def test_layer_holding_a_seed_generator_draws_new_masks_each_call():
    layer = NoisyDropout()
    x = np.ones((4, 8), "float32")
    first, second = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert set(np.unique(first)) <= {0.0, 2.0} and not np.array_equal(first, second)
    np.testing.assert_array_equal(layer(x).numpy(), x)
