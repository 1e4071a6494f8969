"""Seeded random tensors, stateless underneath so any backend can draw them.

A draw takes a seed pair (seed, counter). A ``SeedGenerator`` advances its
counter on every draw; an int seed gives the same numbers every call, as in
``keras.random``; no seed draws from the global generator that
``kerasette.utils.set_random_seed`` resets.
"""

from __future__ import annotations

import os
from typing import Optional, Tuple, Union

from kerasette.backends import current as _backend
from kerasette.ops import elementwise
from kerasette.ops._helpers import convert_to_tensor
from kerasette.ops._types import DType, ShapeLike, TensorLike
from kerasette.ops.tensor import Tensor


class SeedGenerator:
    """A stream of seed pairs: ``next()`` returns (seed, counter) and advances.

    Pass one as the ``seed`` of a random op (or an initializer, a Dropout layer) to get new numbers on
    every draw that still repeat from run to run, as ``keras.random.SeedGenerator``.

    Args:
        seed: an int (None: derived from the global generator, so ``set_random_seed`` covers it).

    Example:
        >>> from kerasette import ops
        >>> generator = ops.SeedGenerator(42)
        >>> generator.next(), generator.next()
        ((42, 1), (42, 2))
    """

    def __init__(self, seed: Optional[int] = None) -> None:
        # An unseeded generator takes its seed from the global one, so
        # set_random_seed makes layers built afterwards reproducible too.
        if seed is None:
            parent_seed, counter = global_seed_generator().next()
            seed = parent_seed * 1_000_003 + counter
        self.seed = int(seed)
        self.counter = 0

    def next(self) -> Tuple[int, int]:
        """Advance the counter and return ``(seed, counter)``, the seed pair of one draw."""
        self.counter += 1
        return (self.seed, self.counter)


_global = {"generator": None}


def reset_global_seed(seed: int) -> None:
    """Restart the global generator (the one unseeded draws use) from ``seed``.

    Args:
        seed: an int.
    """
    _global["generator"] = SeedGenerator(seed)


def _root_seed():
    return int.from_bytes(os.urandom(4), "little")


def global_seed_generator() -> SeedGenerator:
    """The global ``SeedGenerator``, created from OS entropy on first use unless ``reset_global_seed`` ran.

    Returns:
        The generator unseeded draws take their seeds from.
    """
    if _global["generator"] is None:
        _global["generator"] = SeedGenerator(_root_seed())
    return _global["generator"]


def draw_seed(seed: Union[None, int, Tuple[int, int], SeedGenerator]) -> Tuple[int, int]:
    """Turn ``seed`` (None, int, pair or SeedGenerator) into a seed pair for one draw.

    Args:
        seed: None (the global generator's next pair), an int (``(seed, 0)``, the same every call),
            an explicit ``(seed, counter)`` pair, or a ``SeedGenerator`` (its next pair).

    Returns:
        A ``(seed, counter)`` pair of ints.
    """
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, tuple):  # an explicit (seed, counter) pair
        return (int(seed[0]), int(seed[1]))
    return (int(seed), 0)


def uniform(
    shape: ShapeLike,
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: DType = "float32",
    seed: Union[None, int, Tuple[int, int], SeedGenerator] = None,
) -> Tensor:
    """Samples from the uniform distribution on ``[minval, maxval)``.

    Args:
        shape: the shape of the result.
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        dtype: the dtype of the result.
        seed: as for ``draw_seed``: an int gives the same numbers every call, a ``SeedGenerator``
            new ones each call, None draws from the global generator.

    Returns:
        A Tensor of the given shape.

    Example:
        >>> from kerasette.ops import random
        >>> a = random.uniform((2, 3), seed=7)
        >>> a.shape, bool((a.numpy() == random.uniform((2, 3), seed=7).numpy()).all())
        ((2, 3), True)
    """
    return Tensor(_backend().random_uniform(tuple(shape), minval, maxval, dtype, draw_seed(seed)))


def normal(
    shape: ShapeLike,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: DType = "float32",
    seed: Union[None, int, Tuple[int, int], SeedGenerator] = None,
) -> Tensor:
    """Samples from the normal distribution with the given ``mean`` and ``stddev``.

    Args:
        shape: the shape of the result.
        mean: the mean of the distribution.
        stddev: its standard deviation.
        dtype: the dtype of the result.
        seed: as for ``uniform``.

    Returns:
        A Tensor of the given shape.
    """
    return Tensor(_backend().random_normal(tuple(shape), mean, stddev, dtype, draw_seed(seed)))


def truncated_normal(
    shape: ShapeLike,
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: DType = "float32",
    seed: Union[None, int, Tuple[int, int], SeedGenerator] = None,
) -> Tensor:
    """Normal samples, each redrawn while it lies beyond two standard deviations.

    Args:
        shape: the shape of the result.
        mean: the mean of the (untruncated) distribution.
        stddev: its standard deviation, before truncation.
        dtype: the dtype of the result.
        seed: as for ``uniform``.

    Returns:
        A Tensor of the given shape, with values in ``[mean - 2 * stddev, mean + 2 * stddev]``.
    """
    seed_value, counter = draw_seed(seed)
    values = normal(shape, dtype=dtype, seed=(seed_value, counter))
    for redraw in range(1, 9):  # after 8 redraws P(still outside) per value is about 2e-11
        fresh = normal(shape, dtype=dtype, seed=(seed_value, counter + redraw * 7919))
        values = elementwise.where(elementwise.greater(elementwise.abs(values), 2.0), fresh, values)
    values = elementwise.clip(values, -2.0, 2.0)
    return elementwise.add(elementwise.multiply(values, stddev), mean)


def permutation(n: int, seed: Union[None, int, Tuple[int, int], SeedGenerator] = None) -> Tensor:
    """A random permutation of ``0 .. n - 1``.

    Args:
        n: the number of elements.
        seed: as for ``uniform``.

    Returns:
        An integer Tensor of shape ``(n,)``.
    """
    return Tensor(_backend().random_permutation(int(n), draw_seed(seed)))


def dropout(
    inputs: TensorLike,
    rate: float,
    noise_shape: Optional[Tuple[Optional[int], ...]] = None,
    seed: Union[None, int, Tuple[int, int], SeedGenerator] = None,
) -> Tensor:
    """Zero each element with probability ``rate`` and scale the rest by 1 / (1 - rate).

    Args:
        inputs: the input tensor.
        rate: the probability of dropping an element, in [0, 1).
        noise_shape: the shape of the random mask, broadcast against ``inputs`` (None entries take the
            input's size); e.g. ``(batch, 1, 1, channels)`` drops whole feature maps.
        seed: as for ``uniform``.

    Returns:
        A Tensor of the input's shape.

    Raises:
        ValueError: if ``rate`` is not in [0, 1).

    Example:
        >>> from kerasette import ops
        >>> from kerasette.ops import random
        >>> random.dropout(ops.ones((2, 2)), 0.0).numpy().tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
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
