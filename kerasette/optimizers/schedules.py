"""Learning-rate schedules: ``step -> learning rate`` as a Python float.

Same formulas and config keys as ``keras.optimizers.schedules``. A schedule is
evaluated on the host once per optimizer step (the step is the optimizer's
``iterations`` before the update), so plain ``math`` suffices.

>>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
>>> schedule(10)
0.05
"""

import math

from kerasette.registry import Registry

_registry = Registry("learning rate schedule")


def _invalid(schedule, argument, expected, value):
    return ValueError(
        f"Invalid value for argument `{argument}` of schedule `{schedule}`. "
        f"Expected {expected}. Received: {argument}={value!r}"
    )


def _step(step):
    """An int or float step from a Python number or a scalar tensor."""
    if hasattr(step, "numpy"):
        step = step.numpy()
    return float(step)


@_registry.register()
class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` and ``get_config()``.

    Pass a schedule as an optimizer's ``learning_rate``; the optimizer evaluates it at its
    ``iterations`` before every update.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** (int(step) // 100)
        ...     def get_config(self):
        ...         return {}
        >>> Halving()(250)
        0.025
    """

    def __call__(self, step):
        """The learning rate at ``step``, as a Python float (subclasses implement it).

        Args:
            step: the optimizer's step count, an int or a scalar tensor.
        """
        raise NotImplementedError(f"Learning rate schedule `{type(self).__name__}` must override `__call__`.")

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict (subclasses implement it)."""
        raise NotImplementedError(
            f"Learning rate schedule `{type(self).__name__}` must override `get_config` to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        """Rebuild a schedule from the output of ``get_config()``.

        Args:
            config: a dict from ``get_config``.

        Returns:
            A new schedule.
        """
        return cls(**config)


class StepDecay(LearningRateSchedule):
    """The base of ``ExponentialDecay`` and ``InverseTimeDecay``: a decay of ``p = step / decay_steps``.

    Subclasses give ``_decay(p)``; this class checks and stores the arguments, floors ``p`` with
    ``staircase``, and writes the config.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: a number > 0, the steps per unit of ``p``.
        decay_rate: how fast the rate decays (its meaning is the subclass's).
        staircase: floor ``p``, so the rate changes every ``decay_steps`` steps.
        name: the schedule's name.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        if decay_steps <= 0:
            raise _invalid(type(self).__name__, "decay_steps", "a number > 0", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _decay(self, p):
        raise NotImplementedError

    def __call__(self, step):
        """The learning rate at ``step`` (an int, float or scalar tensor), as a Python float."""
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return float(self._decay(p))

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@_registry.register()
class ExponentialDecay(StepDecay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Args:
        initial_learning_rate: float, the rate at step 0.
        decay_steps: positive int, steps per factor of ``decay_rate``.
        decay_rate: float, the decay factor.
        staircase: bool, if True decay in discrete intervals (``floor(step / decay_steps)``).
        name: str, kept for Keras config compatibility.

    Raises:
        ValueError: if ``decay_steps <= 0``.

    Example:
        >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
        >>> schedule(9), schedule(10), schedule(25)
        (0.1, 0.05, 0.025)
    """

    def __init__(
        self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"
    ):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _decay(self, p):
        return self.initial_learning_rate * self.decay_rate**p


@_registry.register()
class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ..., ``values[-1]`` once ``step > boundaries[-1]``.

    Args:
        boundaries: strictly increasing list of step numbers.
        values: list of rates, one more than ``boundaries``.
        name: str, kept for Keras config compatibility.

    Raises:
        ValueError: if the lengths do not match or the boundaries do not increase.

    Example:
        >>> schedule = PiecewiseConstantDecay(boundaries=[100, 200], values=[1.0, 0.5, 0.1])
        >>> schedule(100), schedule(101), schedule(500)
        (1.0, 0.5, 0.1)
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of `boundaries` should be 1 less than the length of `values`. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, "
                f"and values={values} of length {len(values)}."
            )
        if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
            raise _invalid("PiecewiseConstantDecay", "boundaries", "a strictly increasing list", boundaries)
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        """The learning rate at ``step`` (an int, float or scalar tensor), as a Python float."""
        step = _step(step)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@_registry.register()
class CosineDecay(LearningRateSchedule):
    """Optional linear warmup, then cosine decay to ``alpha`` times the peak rate.

    Without warmup, with ``t = min(step, decay_steps) / decay_steps``:
    ``lr * ((1 - alpha) * 0.5 * (1 + cos(pi * t)) + alpha)``.
    With ``warmup_target``: rises linearly from ``initial_learning_rate`` to ``warmup_target``
    over ``warmup_steps``, then decays from ``warmup_target`` over ``decay_steps``.

    Args:
        initial_learning_rate: float, the rate at step 0.
        decay_steps: positive int, length of the decay phase.
        alpha: float, the final rate as a fraction of the peak rate.
        name: str, kept for Keras config compatibility.
        warmup_target: float or None, the rate reached at the end of warmup.
        warmup_steps: int, length of the warmup phase.

    Raises:
        ValueError: if ``decay_steps <= 0``.

    Example:
        >>> schedule = CosineDecay(0.1, decay_steps=100)
        >>> schedule(0), round(schedule(50), 6), schedule(100)
        (0.1, 0.05, 0.0)
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        if decay_steps <= 0:
            raise _invalid("CosineDecay", "decay_steps", "a number > 0", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, peak):
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return peak * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        """The learning rate at ``step`` (an int, float or scalar tensor), as a Python float."""
        step = _step(step)
        if self.warmup_target is None:
            return float(self._decay(min(step, self.decay_steps), self.initial_learning_rate))
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            fraction = step / self.warmup_steps
            start = self.initial_learning_rate
            return float(start + (self.warmup_target - start) * fraction)
        return float(self._decay(step - self.warmup_steps, self.warmup_target))

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


def serialize(schedule):
    """``{"class_name": ..., "config": ...}`` for a schedule.

    Args:
        schedule: a ``LearningRateSchedule`` instance.

    Returns:
        A JSON-friendly dict.
    """
    return _registry.serialize(schedule)


def deserialize(config, custom_objects=None):
    """A schedule from ``serialize``'s output (extra Keras keys such as ``module`` are ignored).

    Args:
        config: a dict from ``serialize``.
        custom_objects: a dict of the user's schedule classes by name, or None.

    Returns:
        A new schedule.
    """
    return _registry.deserialize(config, custom_objects)


def get(identifier, custom_objects=None):
    """A schedule from an instance, a config dict or a class name.

    Args:
        identifier: a ``LearningRateSchedule``, a dict from ``serialize``, or a class name.
        custom_objects: a dict of the user's schedule classes by name, or None.

    Returns:
        A ``LearningRateSchedule``.
    """
    if isinstance(identifier, LearningRateSchedule):
        return identifier
    return _registry.get(identifier, custom_objects)


# The other schedules live in their own module, which builds on the base class above.
from kerasette.optimizers._decay_schedules import (  # noqa: E402
    CosineDecayRestarts,
    InverseTimeDecay,
    PolynomialDecay,
)

__all__ = [
    "LearningRateSchedule",
    "ExponentialDecay",
    "PiecewiseConstantDecay",
    "CosineDecay",
    "PolynomialDecay",
    "InverseTimeDecay",
    "CosineDecayRestarts",
    "serialize",
    "deserialize",
    "get",
]
