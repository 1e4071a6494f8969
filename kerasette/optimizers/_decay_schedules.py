"""Polynomial, inverse-time and cosine-with-restarts learning-rate schedules (``keras.optimizers.schedules``).

Same formulas, arguments and config keys as Keras 3; evaluated on the host in double precision
(Keras computes in float32, so values agree to about 1e-7 relative). Re-exported by ``schedules``.
"""

import math

from kerasette.optimizers.schedules import LearningRateSchedule, StepDecay, _invalid, _registry, _step


@_registry.register()
class PolynomialDecay(LearningRateSchedule):
    """Decay from ``initial_learning_rate`` to ``end_learning_rate`` along ``(1 - step / decay_steps)**power``.

    ``(initial - end) * (1 - min(step, decay_steps) / decay_steps)**power + end``. With ``cycle``
    the decay restarts: ``decay_steps`` is stretched to the first multiple of itself at or past
    ``step``.

    Args:
        initial_learning_rate: float, the rate at step 0.
        decay_steps: positive int, the length of the decay.
        end_learning_rate: float, the final rate. Defaults to 0.0001.
        power: float, the power of the polynomial. Defaults to 1.0 (linear).
        cycle: bool, whether to cycle past ``decay_steps``. Defaults to False.
        name: str, kept for Keras config compatibility.

    Raises:
        ValueError: if ``decay_steps <= 0``.

    Example:
        >>> schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.01)
        >>> [round(schedule(step), 4) for step in (0, 5, 10, 20)]
        [0.1, 0.055, 0.01, 0.01]
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        if decay_steps <= 0:
            raise _invalid("PolynomialDecay", "decay_steps", "a number > 0", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        """The learning rate at ``step`` (an int, float or scalar tensor), as a Python float."""
        step = _step(step)
        decay_steps = self.decay_steps
        if self.cycle:
            decay_steps = decay_steps * (1.0 if step == 0 else math.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        span = self.initial_learning_rate - self.end_learning_rate
        return float(span * (1.0 - p) ** self.power + self.end_learning_rate)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


@_registry.register()
class InverseTimeDecay(StepDecay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    Args:
        initial_learning_rate: float, the rate at step 0.
        decay_steps: positive number, how often ``decay_rate`` is applied.
        decay_rate: float, the decay rate.
        staircase: bool, decay in discrete intervals (``floor(step / decay_steps)``). Defaults to False.
        name: str, kept for Keras config compatibility.

    Raises:
        ValueError: if ``decay_steps <= 0``.

    Example:
        >>> schedule = InverseTimeDecay(0.1, decay_steps=10, decay_rate=1.0, staircase=True)
        >>> schedule(9), schedule(10), schedule(30)
        (0.1, 0.05, 0.025)
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _decay(self, p):
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)


@_registry.register()
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter).

    The first period lasts ``first_decay_steps``; each following one is ``t_mul`` times longer
    and starts ``m_mul`` times lower. Within a period, with ``f`` the fraction of it done and
    ``i`` the number of restarts so far:
    ``lr * ((1 - alpha) * 0.5 * m_mul**i * (1 + cos(pi * f)) + alpha)``.

    Args:
        initial_learning_rate: float, the rate at step 0.
        first_decay_steps: positive number, the length of the first period.
        t_mul: float, the factor on the length of each next period. Defaults to 2.0.
        m_mul: float, the factor on the starting rate of each next period. Defaults to 1.0.
        alpha: float, the floor of the decay as a fraction of ``initial_learning_rate``. Defaults to 0.0.
        name: str, kept for Keras config compatibility.

    Raises:
        ValueError: if ``first_decay_steps <= 0``.

    Example:
        >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=1.0)
        >>> [round(schedule(step), 4) for step in (0, 5, 10, 15)]
        [0.1, 0.05, 0.1, 0.05]
    """

    def __init__(
        self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"
    ):
        if first_decay_steps <= 0:
            raise _invalid("CosineDecayRestarts", "first_decay_steps", "a number > 0", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self.t_mul = t_mul
        self.m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        """The learning rate at ``step`` (an int, float or scalar tensor), as a Python float."""
        fraction = _step(step) / self.first_decay_steps
        if self.t_mul == 1.0:
            restarts = math.floor(fraction)
            fraction -= restarts
        else:
            restarts = math.floor(math.log(1.0 - fraction * (1.0 - self.t_mul)) / math.log(self.t_mul))
            done = (1.0 - self.t_mul**restarts) / (1.0 - self.t_mul)
            fraction = (fraction - done) / self.t_mul**restarts
        cosine = 0.5 * self.m_mul**restarts * (1.0 + math.cos(math.pi * fraction))
        return float(self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha))

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self.t_mul,
            "m_mul": self.m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
