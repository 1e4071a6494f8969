"""Random initializers: normal, uniform, truncated normal and variance scaling.

An int ``seed`` gives the same values on every call, as in Keras. With
``seed=None`` each call draws fresh values from the global generator, so
``ops.random.reset_global_seed(s)`` makes a whole model's weights repeatable.
"""

import math

from kerasette.initializers._base import Initializer, _dtype, _shape, registry
from kerasette.ops import random as _random

_TRUNCATED_STD = 0.87962566103423978  # std of a unit normal truncated to [-2, 2]


def compute_fans(shape):
    """(fan_in, fan_out) as Keras computes them.

    Dense kernels are (in, out); convolution kernels (..., in, out) multiply
    both by the receptive field (the product of the leading dimensions).
    Vectors use their length for both; scalars use 1.

    Args:
        shape: the weight's shape.

    Returns:
        The pair ``(fan_in, fan_out)``.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class RandomInitializer(Initializer):
    """Base for initializers that draw random numbers; holds and validates ``seed``.

    Args:
        seed: None (fresh values on each call, from the global generator), an int (the same values on
            every call) or a ``SeedGenerator``.

    Raises:
        ValueError: for another kind of ``seed``.
    """

    def __init__(self, seed=None):
        valid = seed is None or isinstance(seed, (int, _random.SeedGenerator)) and not isinstance(seed, bool)
        if not valid:
            raise ValueError(
                f"Invalid value for argument `seed`. Expected None, an int or a SeedGenerator. Received: seed={seed!r}"
            )
        self.seed = seed

    def get_config(self):
        """``{"seed": seed}`` (a ``SeedGenerator`` is stored as its int seed)."""
        seed = self.seed.seed if isinstance(self.seed, _random.SeedGenerator) else self.seed
        return {"seed": seed}


@registry.register("random_normal", "normal")
class RandomNormal(RandomInitializer):
    """Normal samples with the given ``mean`` and ``stddev``.

    Args:
        mean: the mean of the distribution.
        stddev: its standard deviation.
        seed: None (fresh values on each call, from the global generator), an int (the same values on
            every call) or a ``SeedGenerator``.

    Example:
        >>> from kerasette import initializers
        >>> init = initializers.RandomNormal(mean=0.0, stddev=1.0, seed=3)
        >>> bool((init((2, 2)).numpy() == init((2, 2)).numpy()).all())
        True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        return _random.normal(_shape(shape), self.mean, self.stddev, _dtype(dtype), self.seed)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@registry.register("random_uniform", "uniform")
class RandomUniform(RandomInitializer):
    """Uniform samples in ``[minval, maxval)``.

    Args:
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        seed: None (fresh values on each call, from the global generator), an int (the same values on
            every call) or a ``SeedGenerator``.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        return _random.uniform(_shape(shape), self.minval, self.maxval, _dtype(dtype), self.seed)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


@registry.register("truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Normal samples redrawn until within two ``stddev`` of ``mean``.

    Args:
        mean: the mean of the distribution.
        stddev: its standard deviation before truncation.
        seed: None (fresh values on each call, from the global generator), an int (the same values on
            every call) or a ``SeedGenerator``.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        return _random.truncated_normal(_shape(shape), self.mean, self.stddev, _dtype(dtype), self.seed)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@registry.register("variance_scaling")
class VarianceScaling(RandomInitializer):
    """Samples whose variance is ``scale / n``, with ``n`` a fan of the weight shape.

    Args:
        scale: positive variance multiplier.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"`` (which fan is ``n``).
        distribution: ``"truncated_normal"`` (or ``"normal"``), ``"untruncated_normal"``
            or ``"uniform"`` (limits ``±sqrt(3 * scale / n)``).
        seed: None (fresh values on each call, from the global generator), an int (the same values on
            every call) or a ``SeedGenerator``.

    Raises:
        ValueError: for a non-positive scale or an unknown mode or distribution.
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if not isinstance(scale, (int, float)) or scale <= 0.0:
            raise ValueError(
                f"Invalid value for argument `scale`. Expected a positive float. Received: scale={scale!r}"
            )
        if mode not in self._MODES:
            raise ValueError(
                f"Invalid value for argument `mode`. Expected one of {self._MODES}. Received: mode={mode!r}"
            )
        distribution = str(distribution).lower()
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(
                f"Invalid value for argument `distribution`. Expected one of {self._DISTRIBUTIONS}. "
                f"Received: distribution={distribution!r}"
            )
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        shape, dtype = _shape(shape), _dtype(dtype)
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return _random.uniform(shape, -limit, limit, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return _random.normal(shape, 0.0, math.sqrt(variance), dtype, self.seed)
        return _random.truncated_normal(shape, 0.0, math.sqrt(variance) / _TRUNCATED_STD, dtype, self.seed)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            **super().get_config(),
        }


def _preset(name, alias, scale, mode, distribution, doc):
    """A VarianceScaling subclass with fixed arguments (its config is just the seed)."""

    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return RandomInitializer.get_config(self)

    doc += (
        "\n\n    Args:\n        seed: None (fresh values on each call, from the global generator), an int (the same"
        "\n            values on every call) or a ``SeedGenerator``.\n"
    )
    cls = type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc})
    cls.__module__ = "kerasette.initializers"
    return registry.register(alias)(cls)


GlorotUniform = _preset(
    "GlorotUniform",
    "glorot_uniform",
    1.0,
    "fan_avg",
    "uniform",
    "Uniform in ±sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010).",
)
GlorotNormal = _preset(
    "GlorotNormal",
    "glorot_normal",
    1.0,
    "fan_avg",
    "truncated_normal",
    "Truncated normal with std sqrt(2 / (fan_in + fan_out)).",
)
HeNormal = _preset(
    "HeNormal", "he_normal", 2.0, "fan_in", "truncated_normal", "Truncated normal with std sqrt(2 / fan_in)."
)
HeUniform = _preset("HeUniform", "he_uniform", 2.0, "fan_in", "uniform", "Uniform in ±sqrt(6 / fan_in).")
LecunNormal = _preset(
    "LecunNormal",
    "lecun_normal",
    1.0,
    "fan_in",
    "truncated_normal",
    "Truncated normal with std sqrt(1 / fan_in).",
)
LecunUniform = _preset("LecunUniform", "lecun_uniform", 1.0, "fan_in", "uniform", "Uniform in ±sqrt(3 / fan_in).")
