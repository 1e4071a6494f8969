"""``keras.random``: seeded random tensors with Keras's names, arguments and seeding rules.

Every function takes ``seed``: an int gives the same numbers on every call, a ``SeedGenerator``
gives new numbers on each call that still repeat from run to run, and None (the default) draws
from the global generator that ``kerasette.utils.set_random_seed`` resets. The numbers are
kerasette's own (Philox streams), not the ones Keras's backends draw. Draws are built from the
backend's uniform and normal streams with ``kerasette.ops``, so they run on every backend.

>>> from kerasette import random
>>> a = random.normal((2, 3), seed=1)
>>> bool((a.numpy() == random.normal((2, 3), seed=1).numpy()).all())
True
>>> generator = random.SeedGenerator(1)
>>> bool((random.normal((2,), seed=generator).numpy() == random.normal((2,), seed=generator).numpy()).all())
False
"""

import numbers

import numpy as np

from kerasette import ops
from kerasette.dtypes import is_float_dtype, is_int_dtype, standardize_dtype
from kerasette.ops import random as _random

_MASK64 = (1 << 64) - 1


class SeedGenerator(_random.SeedGenerator):
    """State that advances on every draw, as ``keras.random.SeedGenerator``.

    Pass it as the ``seed`` of a draw: each draw takes the next (seed, counter) pair, so repeated
    draws differ, and the same generator seed repeats the same sequence from run to run.

    Args:
        seed: an int; None derives one from the global generator (so ``set_random_seed`` covers it).
        name: the generator's name (default ``"seed_generator"``, ``"seed_generator_1"``...).
        **kwargs: Keras's ``backend`` argument is not supported (kerasette has one active backend).

    Raises:
        ValueError: ``seed`` is not an int, or an unknown keyword is given.

    Example:
        >>> from kerasette import random
        >>> generator = random.SeedGenerator(42)
        >>> generator.get_config()
        {'seed': 42, 'name': 'seed_generator'}
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to SeedGenerator: {sorted(kwargs)} (kerasette "
                             "draws on the active backend only).")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"Invalid value for argument `seed` of SeedGenerator. Expected an integer. "
                             f"Received: seed={seed!r}")
        if name is None:
            from kerasette.utils import naming

            name = naming.unique_name("seed_generator")
        self.name = name
        self._initial_seed = None if seed is None else int(seed)
        super().__init__(seed)

    @property
    def state(self):
        """The current ``[seed, counter]`` pair as an int64 Tensor (the next draw uses ``counter + 1``)."""
        return ops.convert_to_tensor([self.seed, self.counter], "int64")

    def get_config(self):
        """``{"seed", "name"}``: the seed given to the constructor (None stays None) and the name.

        Returns:
            A dict.
        """
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        """A new generator from ``get_config()``'s output (its counter starts again from 0).

        Args:
            config: the dict ``get_config`` returned.

        Returns:
            A SeedGenerator.
        """
        return cls(**config)


def _float_dtype(dtype, function):
    dtype = standardize_dtype(dtype)
    if not is_float_dtype(dtype):
        raise ValueError(f"Invalid value for argument `dtype` of keras.random.{function}. Expected a float dtype. "
                         f"Received: dtype={dtype!r}")
    return dtype


def _shape(shape, function):
    try:
        shape = tuple(int(s) for s in shape)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid value for argument `shape` of keras.random.{function}. Expected a tuple of "
                         f"non-negative ints. Received: shape={shape!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"Invalid value for argument `shape` of keras.random.{function}. Expected non-negative "
                         f"sizes. Received: shape={shape!r}")
    return shape


def _splitmix(value):
    value = (value + 0x9E3779B97F4A7C15) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _streams(seed, count):
    """``count`` independent seed pairs from one draw of ``seed`` (one pair per sub-draw)."""
    base, counter = _random.draw_seed(seed)
    return [(_splitmix((base & _MASK64) ^ _splitmix(k + 1)) >> 1, counter) for k in range(count)]


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from the normal distribution ``N(mean, stddev**2)``.

    Args:
        shape: the shape of the result.
        mean: the mean.
        stddev: the standard deviation.
        dtype: a float dtype (default ``keras.config.floatx()``).
        seed: an int, a ``SeedGenerator`` or None (see the module docstring).

    Returns:
        A Tensor.
    """
    return _random.normal(_shape(shape, "normal"), mean, stddev, _float_dtype(dtype, "normal"), seed)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from the uniform distribution on ``[minval, maxval)``.

    Args:
        shape: the shape of the result.
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        dtype: a float dtype (default floatx); use ``randint`` for integers.
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor.
    """
    return _random.uniform(_shape(shape, "uniform"), minval, maxval, _float_dtype(dtype, "uniform"), seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn until within two standard deviations of the mean, as Keras's.

    Args:
        shape: the shape of the result.
        mean: the mean of the untruncated distribution.
        stddev: its standard deviation.
        dtype: a float dtype (default floatx).
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor with values in ``[mean - 2 * stddev, mean + 2 * stddev]``.
    """
    dtype = _float_dtype(dtype, "truncated_normal")
    return _random.truncated_normal(_shape(shape, "truncated_normal"), mean, stddev, dtype, seed)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from ``[minval, maxval)``.

    Args:
        shape: the shape of the result.
        minval: the lowest value (included).
        maxval: the bound (excluded); greater than ``minval``.
        dtype: an integer dtype. Defaults to ``"int32"``.
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        An integer Tensor.

    Raises:
        ValueError: ``dtype`` is not an integer type, or ``maxval <= minval``.

    Example:
        >>> from kerasette import random
        >>> values = random.randint((1000,), 3, 6, seed=0).numpy()
        >>> sorted(set(values.tolist())), values.dtype.name
        ([3, 4, 5], 'int32')
    """
    dtype = standardize_dtype(dtype)
    if not is_int_dtype(dtype):
        raise ValueError(f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype!r}")
    minval, maxval = int(minval), int(maxval)
    if maxval <= minval:
        raise ValueError(f"Invalid values for arguments `minval` and `maxval` of keras.random.randint. Expected "
                         f"minval < maxval. Received: minval={minval}, maxval={maxval}")
    span = maxval - minval
    draw = _random.uniform(_shape(shape, "randint"), 0.0, float(span), "float64" if span > 2**24 else "float32",
                           seed)
    offsets = ops.minimum(ops.cast(draw, "int64"), span - 1)  # truncation is floor here: draws are >= 0
    return ops.cast(ops.add(offsets, minval), dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero each element with probability ``rate`` and scale the others by ``1 / (1 - rate)``.

    Args:
        inputs: a tensor or array.
        rate: the drop probability, in [0, 1).
        noise_shape: the shape of the random mask, broadcast against ``inputs`` (None entries take the
            input's size).
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor of the input's shape.

    Raises:
        ValueError: ``rate`` is not in [0, 1).
    """
    return _random.dropout(inputs, rate, noise_shape=noise_shape, seed=seed)


def shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in a random order.

    Args:
        x: a tensor or array.
        axis: the axis to shuffle. Defaults to 0.
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor with the shape and entries of ``x``.

    Raises:
        ValueError: ``axis`` is out of range for ``x``.

    Example:
        >>> from kerasette import random
        >>> sorted(random.shuffle([10, 20, 30, 40], seed=3).numpy().tolist())
        [10, 20, 30, 40]
    """
    x = ops.convert_to_tensor(x)
    if not -x.ndim <= axis < max(x.ndim, 1) or x.ndim == 0:
        raise ValueError(f"Invalid value for argument `axis` of keras.random.shuffle: {axis} for an input of rank "
                         f"{x.ndim}.")
    order = _random.permutation(x.shape[axis], seed=seed)
    return ops.take(x, order, axis=axis)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the categorical distributions given by ``logits`` (Gumbel-max sampling).

    Args:
        logits: a 2-D tensor ``(batch, classes)`` of unnormalized log-probabilities.
        num_samples: the number of draws per row.
        dtype: an integer dtype. Defaults to ``"int32"``.
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        An integer Tensor of shape ``(batch, num_samples)``.

    Raises:
        ValueError: ``logits`` is not 2-D, or ``num_samples`` is not a positive int.

    Example:
        >>> from kerasette import random
        >>> samples = random.categorical([[-30.0, 0.0], [0.0, -30.0]], 4, seed=0)
        >>> samples.numpy().tolist()
        [[1, 1, 1, 1], [0, 0, 0, 0]]
    """
    logits = ops.convert_to_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(f"`logits` of keras.random.categorical should be a 2-D tensor (batch, classes). "
                         f"Received: logits.shape={logits.shape}")
    if isinstance(num_samples, bool) or not isinstance(num_samples, numbers.Integral) or num_samples < 1:
        raise ValueError(f"Invalid value for argument `num_samples` of keras.random.categorical. Expected a positive "
                         f"int. Received: num_samples={num_samples!r}")
    dtype = standardize_dtype(dtype)
    if not is_int_dtype(dtype):
        raise ValueError(f"`keras.random.categorical` requires an integer `dtype`. Received: dtype={dtype!r}")
    batch, classes = logits.shape
    float_type = logits.dtype if is_float_dtype(logits.dtype) else "float32"
    tiny = 1e-12 if float_type == "float64" else 1e-7
    u = _random.uniform((batch, int(num_samples), classes), tiny, 1.0, float_type, seed)
    gumbel = ops.negative(ops.log(ops.negative(ops.log(u))))
    scores = ops.add(ops.expand_dims(ops.cast(logits, float_type), 1), gumbel)
    return ops.cast(ops.argmax(scores, axis=-1), dtype)


def _gamma(shape, alpha, dtype, seeds):
    """Marsaglia-Tsang: rounds of vectorized proposals, each value keeping its first accepted one."""
    alpha = ops.broadcast_to(ops.cast(ops.convert_to_tensor(alpha), dtype), shape)
    small = ops.less(alpha, 1.0)
    boosted = ops.where(small, ops.add(alpha, 1.0), alpha)  # alpha < 1: Gamma(alpha + 1) * U ** (1 / alpha)
    d = ops.subtract(boosted, 1.0 / 3.0)
    c = ops.divide(1.0, ops.sqrt(ops.multiply(d, 9.0)))
    result = ops.multiply(d, 1.0)
    done = ops.greater(ops.zeros(shape, dtype), 0.0)  # all False: no value accepted yet
    for k in range(len(seeds) - 1):
        x = _random.normal(shape, 0.0, 1.0, dtype, seeds[k])
        u = _random.uniform(shape, 1e-7, 1.0, dtype, (seeds[k][0] ^ 0x5DEECE66D, seeds[k][1]))
        v = ops.power(ops.add(ops.multiply(c, x), 1.0), 3.0)
        positive = ops.greater(v, 0.0)
        log_v = ops.log(ops.where(positive, v, 1.0))
        bound = ops.add(ops.multiply(ops.square(x), 0.5), ops.multiply(d, ops.add(ops.subtract(1.0, v), log_v)))
        accept = ops.logical_and(ops.logical_and(positive, ops.less(ops.log(u), bound)), ops.logical_not(done))
        result = ops.where(accept, ops.multiply(d, v), result)
        done = ops.where(accept, accept, done)  # done or accept
    u = _random.uniform(shape, 1e-7, 1.0, dtype, seeds[-1])
    scale = ops.where(small, ops.power(u, ops.divide(1.0, ops.where(small, alpha, 1.0))), 1.0)
    return ops.multiply(result, scale)


_GAMMA_ROUNDS = 12  # each round accepts > 95% of proposals: P(12 rejections) < 1e-15


def _positive(value, name, function):
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not value > 0:
            raise ValueError(f"Invalid value for argument `{name}` of keras.random.{function}. Expected a positive "
                             f"number. Received: {name}={value!r}")
    return value


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the Gamma distribution with shape ``alpha`` (scale 1).

    Args:
        shape: the shape of the result.
        alpha: the shape parameter, a positive float (or a tensor broadcastable to ``shape``).
        dtype: a float dtype (default floatx).
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor of positive values with mean ``alpha`` and variance ``alpha``.

    Raises:
        ValueError: ``alpha`` is a number that is not positive, or ``dtype`` is not a float type.
    """
    dtype = _float_dtype(dtype, "gamma")
    shape = _shape(shape, "gamma")
    return _gamma(shape, _positive(alpha, "alpha", "gamma"), dtype, _streams(seed, _GAMMA_ROUNDS + 1))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the Beta distribution: ``X / (X + Y)`` with ``X ~ Gamma(alpha)``, ``Y ~ Gamma(beta)``.

    Args:
        shape: the shape of the result.
        alpha: the first shape parameter, positive (a float or a tensor broadcastable to ``shape``).
        beta: the second shape parameter, positive.
        dtype: a float dtype (default floatx).
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor of values in (0, 1) with mean ``alpha / (alpha + beta)``.

    Raises:
        ValueError: a parameter is a number that is not positive, or ``dtype`` is not a float type.
    """
    dtype = _float_dtype(dtype, "beta")
    shape = _shape(shape, "beta")
    streams = _streams(seed, 2 * (_GAMMA_ROUNDS + 1))
    x = _gamma(shape, _positive(alpha, "alpha", "beta"), dtype, streams[: _GAMMA_ROUNDS + 1])
    y = _gamma(shape, _positive(beta, "beta", "beta"), dtype, streams[_GAMMA_ROUNDS + 1:])
    return ops.divide(x, ops.add(x, y))


_BINOMIAL_CHUNK = 64  # Bernoulli trials drawn per pass


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples from the Binomial distribution: successes in ``counts`` trials of probability ``probabilities``.

    Each sample is a sum of Bernoulli trials, drawn in passes of 64 trials, so the time grows with
    the largest count.

    Args:
        shape: the shape of the result.
        counts: the number of trials, a non-negative number or a tensor broadcastable to ``shape``.
        probabilities: the success probability of a trial, in [0, 1] (a float or a tensor).
        dtype: a float dtype (default floatx), as Keras's.
        seed: an int, a ``SeedGenerator`` or None.

    Returns:
        A Tensor of whole numbers in ``[0, counts]``.

    Raises:
        ValueError: a count is negative, a probability is outside [0, 1], or ``dtype`` is not a float type.

    Example:
        >>> from kerasette import random
        >>> random.binomial((3,), counts=5, probabilities=1.0, seed=0).numpy().tolist()
        [5.0, 5.0, 5.0]
    """
    dtype = _float_dtype(dtype, "binomial")
    shape = _shape(shape, "binomial")
    counts_host = ops.convert_to_numpy(counts)
    p_host = ops.convert_to_numpy(probabilities)
    if (counts_host < 0).any() or (counts_host != np.round(counts_host)).any():
        raise ValueError(f"Invalid value for argument `counts` of keras.random.binomial. Expected non-negative "
                         f"whole numbers. Received: counts={counts!r}")
    if ((p_host < 0) | (p_host > 1)).any():
        raise ValueError(f"Invalid value for argument `probabilities` of keras.random.binomial. Expected values in "
                         f"[0, 1]. Received: probabilities={probabilities!r}")
    most = int(counts_host.max()) if counts_host.size else 0
    counts = ops.broadcast_to(ops.convert_to_tensor(counts_host.astype(dtype)), shape)
    p = ops.expand_dims(ops.broadcast_to(ops.convert_to_tensor(p_host.astype(dtype)), shape), -1)
    total = ops.zeros(shape, dtype)
    passes = -(-most // _BINOMIAL_CHUNK)
    for k, stream in enumerate(_streams(seed, passes)):
        trials = min(_BINOMIAL_CHUNK, most - k * _BINOMIAL_CHUNK)
        u = _random.uniform(shape + (trials,), 0.0, 1.0, dtype, stream)
        index = ops.convert_to_tensor([float(k * _BINOMIAL_CHUNK + t) for t in range(trials)], dtype)
        counted = ops.less(index, ops.expand_dims(counts, -1))  # trials beyond a sample's count do not count
        hits = ops.logical_and(ops.less(u, p), counted)
        total = ops.add(total, ops.sum(ops.cast(hits, dtype), axis=-1))
    return total


__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]
