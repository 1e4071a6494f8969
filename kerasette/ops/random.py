"""Seeded random tensors, stateless underneath so any backend can draw them.

A draw takes a seed pair (seed, counter). A ``SeedGenerator`` advances its
counter on every draw; an int seed gives the same numbers every call, as in
``keras.random``; no seed draws from the global generator that
``kerasette.utils.set_random_seed`` resets.
"""

import os

from kerasette.backends import current as _backend
from kerasette.ops import elementwise
from kerasette.ops._helpers import convert_to_tensor
from kerasette.ops.tensor import Tensor


class SeedGenerator:
    """A stream of seed pairs: ``next()`` returns (seed, counter) and advances."""

    def __init__(self, seed=None):
        # An unseeded generator takes its seed from the global one, so
        # set_random_seed makes layers built afterwards reproducible too.
        if seed is None:
            parent_seed, counter = global_seed_generator().next()
            seed = parent_seed * 1_000_003 + counter
        self.seed = int(seed)
        self.counter = 0

    def next(self):
        self.counter += 1
        return (self.seed, self.counter)


_global = {"generator": None}


def reset_global_seed(seed):
    _global["generator"] = SeedGenerator(seed)


def _root_seed():
    return int.from_bytes(os.urandom(4), "little")


def global_seed_generator():
    if _global["generator"] is None:
        _global["generator"] = SeedGenerator(_root_seed())
    return _global["generator"]


def draw_seed(seed):
    """Turn ``seed`` (None, int, pair or SeedGenerator) into a seed pair for one draw."""
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, tuple):  # an explicit (seed, counter) pair
        return (int(seed[0]), int(seed[1]))
    return (int(seed), 0)


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    return Tensor(_backend().random_uniform(tuple(shape), minval, maxval, dtype, draw_seed(seed)))


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    return Tensor(_backend().random_normal(tuple(shape), mean, stddev, dtype, draw_seed(seed)))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    """Normal samples, each redrawn while it lies beyond two standard deviations."""
    seed_value, counter = draw_seed(seed)
    values = normal(shape, dtype=dtype, seed=(seed_value, counter))
    for redraw in range(1, 9):  # after 8 redraws P(still outside) per value is about 2e-11
        fresh = normal(shape, dtype=dtype, seed=(seed_value, counter + redraw * 7919))
        values = elementwise.where(elementwise.greater(elementwise.abs(values), 2.0), fresh, values)
    values = elementwise.clip(values, -2.0, 2.0)
    return elementwise.add(elementwise.multiply(values, stddev), mean)


def permutation(n, seed=None):
    return Tensor(_backend().random_permutation(int(n), draw_seed(seed)))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero each element with probability ``rate`` and scale the rest by 1 / (1 - rate)."""
    if not 0 <= rate < 1:
        raise ValueError(
            f"Invalid value for argument `rate` of dropout. Expected a float in [0, 1). Received: rate={rate}"
        )
    inputs = convert_to_tensor(inputs)
    shape = inputs.shape
    if noise_shape is not None:  # None entries take the input's size, as in Keras
        shape = tuple(s if n is None else int(n) for n, s in zip(noise_shape, shape))
    mask = _backend().dropout_mask(tuple(shape), float(rate), inputs.dtype, draw_seed(seed))
    return elementwise.multiply(inputs, Tensor(mask))
