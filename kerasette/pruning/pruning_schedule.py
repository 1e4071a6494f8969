"""Pruning schedules: at each training step, whether to update the masks and the sparsity to reach.

``ConstantSparsity`` and ``PolynomialDecay`` follow TF Model Optimization's
``tfmot.sparsity.keras`` classes: the same arguments, defaults, validation, formulas and config
layout. The arithmetic runs in float32, as TensorFlow's does, so the number of pruned weights
matches TF-MOT's for the same step.
"""

from __future__ import annotations

import numpy as np

from kerasette import registry


def _check_int(owner, name, value, minimum=None):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Invalid value for argument `{name}` of `{owner}`. Expected an int. "
                        f"Received: {name}={value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"Invalid value for argument `{name}` of `{owner}`. Expected an int >= {minimum}. "
                         f"Received: {name}={value!r}")
    return int(value)


class PruningSchedule:
    """Specifies when to prune a layer and the sparsity (fraction of zeros) at each training step.

    A schedule is called with the training step (the wrapper's ``pruning_step``, 1 at the first
    batch) and returns ``(should_prune, sparsity)``: whether the masks are recomputed at this step,
    and the fraction of weights to set to zero when they are. Subclass it (implementing
    ``__call__`` and ``get_config``) to write your own schedule; register the subclass with
    ``kerasette.saving.register_keras_serializable`` so saved models that use it load.
    """

    def _should_prune_in_step(self, step, begin_step, end_step, frequency):
        """Whether ``step`` lies in [``begin_step``, ``end_step``] on a multiple of ``frequency`` from the start.

        Args:
            step: the current training step.
            begin_step: the first step at which pruning happens.
            end_step: the last step at which pruning happens; negative: no end.
            frequency: prune every ``frequency`` steps, counted from ``begin_step``.

        Returns:
            A bool.
        """
        in_range = step >= begin_step and (step <= end_step or end_step < 0)
        return bool(in_range and (step - begin_step) % frequency == 0)

    def _validate_step(self, begin_step, end_step, frequency, allow_negative_1):
        owner = type(self).__name__
        _check_int(owner, "begin_step", begin_step, minimum=0)
        _check_int(owner, "end_step", end_step)
        _check_int(owner, "frequency", frequency, minimum=1)
        if end_step == -1 and not allow_negative_1:
            raise ValueError(f"Invalid value for argument `end_step` of `{owner}`. The decay needs an end: "
                             f"expected an int >= begin_step ({begin_step}). Received: end_step=-1")
        if end_step != -1 and end_step < begin_step:
            raise ValueError(f"Invalid value for argument `end_step` of `{owner}`. Expected -1 (no end) or an int "
                             f">= begin_step ({begin_step}). Received: end_step={end_step!r}")

    def _set_step_window(self, begin_step, end_step, frequency, allow_no_end):
        """Keep and validate the steps at which the schedule prunes (``allow_no_end``: ``end_step=-1`` allowed)."""
        self.begin_step = begin_step
        self.end_step = end_step
        self.frequency = frequency
        self._validate_step(begin_step, end_step, frequency, allow_no_end)

    def _validate_sparsity(self, sparsity, name):
        owner = type(self).__name__
        if isinstance(sparsity, bool) or not isinstance(sparsity, (int, float, np.integer, np.floating)) \
                or not 0.0 <= float(sparsity) < 1.0:
            raise ValueError(f"Invalid value for argument `{name}` of `{owner}`. Expected a float in [0, 1). "
                             f"Received: {name}={sparsity!r}")

    def __call__(self, step):
        """The decision and the sparsity for ``step``.

        Args:
            step: the current training step (an int, or a scalar tensor).

        Returns:
            ``(should_prune, sparsity)``: a bool and a float.

        Raises:
            NotImplementedError: always, in the base class.
        """
        raise NotImplementedError("PruningSchedule implementation must override __call__")

    def get_config(self):
        """The schedule as ``{"class_name": ..., "config": {constructor arguments}}`` (TF-MOT's layout).

        Returns:
            A JSON-serializable dict.

        Raises:
            NotImplementedError: always, in the base class.
        """
        raise NotImplementedError("PruningSchedule implementation must override get_config")

    @classmethod
    def from_config(cls, config):
        """Instantiate a schedule from the ``"config"`` part of ``get_config()``.

        Args:
            config: the constructor arguments, as a dict.

        Returns:
            A new schedule.
        """
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config()["config"].items())
        return f"{type(self).__name__}({arguments})"


class ConstantSparsity(PruningSchedule):
    """Pruning schedule with a constant sparsity throughout training.

    The masks are recomputed every ``frequency`` steps from ``begin_step`` (steps ``begin_step``,
    ``begin_step + frequency``...) up to ``end_step``, each time to ``target_sparsity``.

    Args:
        target_sparsity: float in [0, 1), the fraction of each pruned weight tensor set to zero.
        begin_step: int >= 0, the step at which pruning begins.
        end_step: int, the step at which pruning ends; -1 (the default) prunes until training ends.
        frequency: int >= 1, prune only every ``frequency`` steps. Defaults to 100.

    Example:
        >>> from kerasette import pruning
        >>> schedule = pruning.ConstantSparsity(0.5, begin_step=0, frequency=100)
        >>> schedule(100), schedule(150)
        ((True, 0.5), (False, 0.5))
    """

    def __init__(self, target_sparsity, begin_step, end_step=-1, frequency=100):
        self.target_sparsity = target_sparsity
        self._set_step_window(begin_step, end_step, frequency, allow_no_end=True)
        self._validate_sparsity(target_sparsity, "target_sparsity")

    def __call__(self, step):
        """``(should_prune, target_sparsity)`` for ``step``; see ``PruningSchedule.__call__``."""
        step = int(step)
        sparsity = float(np.float32(self.target_sparsity))
        return self._should_prune_in_step(step, self.begin_step, self.end_step, self.frequency), sparsity

    def get_config(self):
        """``{"class_name": "ConstantSparsity", "config": {...}}``; see ``PruningSchedule.get_config``."""
        return {"class_name": type(self).__name__, "config": {
            "target_sparsity": self.target_sparsity, "begin_step": self.begin_step,
            "end_step": self.end_step, "frequency": self.frequency}}


class PolynomialDecay(PruningSchedule):
    """Pruning schedule whose sparsity grows from ``initial_sparsity`` to ``final_sparsity`` polynomially.

    The sparsity rises quickly at first, then levels off (Zhu & Gupta, 2017,
    https://arxiv.org/abs/1710.01878)::

        p = clip((step - begin_step) / (end_step - begin_step), 0, 1)
        sparsity = final_sparsity + (initial_sparsity - final_sparsity) * (1 - p) ** power

    and the masks are recomputed every ``frequency`` steps from ``begin_step`` to ``end_step``
    (included). With ``end_step == begin_step`` the final sparsity applies at once.

    Args:
        initial_sparsity: float in [0, 1), the sparsity at ``begin_step``.
        final_sparsity: float in [0, 1), the sparsity from ``end_step`` on.
        begin_step: int >= 0, the step at which pruning begins.
        end_step: int >= ``begin_step``, the step at which pruning ends (-1 is not allowed).
        power: the exponent of the decay. Defaults to 3.
        frequency: int >= 1, prune only every ``frequency`` steps. Defaults to 100.

    Example:
        >>> from kerasette import pruning
        >>> schedule = pruning.PolynomialDecay(0.0, 0.8, begin_step=0, end_step=100, frequency=50)
        >>> [(prune, round(sparsity, 4)) for prune, sparsity in map(schedule, [0, 50, 100, 150])]
        [(True, 0.0), (True, 0.7), (True, 0.8), (False, 0.8)]
    """

    def __init__(self, initial_sparsity, final_sparsity, begin_step, end_step, power=3, frequency=100):
        self.initial_sparsity = initial_sparsity
        self.final_sparsity = final_sparsity
        self.power = power
        self._set_step_window(begin_step, end_step, frequency, allow_no_end=False)
        self._validate_sparsity(initial_sparsity, "initial_sparsity")
        self._validate_sparsity(final_sparsity, "final_sparsity")
        if isinstance(power, bool) or not isinstance(power, (int, float, np.integer, np.floating)):
            raise TypeError(f"Invalid value for argument `power` of `PolynomialDecay`. Expected a number. "
                            f"Received: power={power!r}")

    def __call__(self, step):
        """``(should_prune, sparsity)`` for ``step``; see ``PruningSchedule.__call__``."""
        step = int(step)
        f32 = np.float32
        span = self.end_step - self.begin_step
        if span == 0:
            progress = f32(1.0 if step >= self.begin_step else 0.0)
        else:
            progress = f32(min(f32(1.0), max(f32(0.0), f32(step - self.begin_step) / f32(span))))
        sparsity = f32(self.initial_sparsity - self.final_sparsity) * np.power(f32(1.0) - progress, f32(self.power)) \
            + f32(self.final_sparsity)
        return self._should_prune_in_step(step, self.begin_step, self.end_step, self.frequency), float(sparsity)

    def get_config(self):
        """``{"class_name": "PolynomialDecay", "config": {...}}``; see ``PruningSchedule.get_config``."""
        return {"class_name": type(self).__name__, "config": {
            "initial_sparsity": self.initial_sparsity, "final_sparsity": self.final_sparsity, "power": self.power,
            "begin_step": self.begin_step, "end_step": self.end_step, "frequency": self.frequency}}


_BUILT_IN = {"ConstantSparsity": ConstantSparsity, "PolynomialDecay": PolynomialDecay}


def deserialize(config, custom_objects=None):
    """A schedule from ``get_config()``'s output (a schedule instance passes through).

    Names resolve among the built-in schedules, ``custom_objects`` and the registered classes
    (``register_keras_serializable``), never by importing code a config names.

    Args:
        config: ``{"class_name": ..., "config": {...}}``, or a ``PruningSchedule``.
        custom_objects: optional ``{name: class}`` for custom schedules.

    Returns:
        A ``PruningSchedule``.

    Raises:
        ValueError: the config is malformed or names an unknown schedule.
    """
    if isinstance(config, PruningSchedule):
        return config
    if not isinstance(config, dict) or "class_name" not in config or not isinstance(config.get("config"), dict):
        raise ValueError(f"Invalid value for argument `pruning_schedule`. Expected a `PruningSchedule` or its config "
                         f"{{'class_name': ..., 'config': {{...}}}}. Received: pruning_schedule={config!r}")
    name = config["class_name"]
    cls = _BUILT_IN.get(name) or registry.get_registered_object(name, custom_objects)
    if not (isinstance(cls, type) and issubclass(cls, PruningSchedule)):
        raise ValueError(f"Unknown pruning schedule {name!r}. Expected one of {sorted(_BUILT_IN)} or a registered "
                         "`PruningSchedule` subclass (see `kerasette.saving.register_keras_serializable`).")
    return cls.from_config(config["config"])
