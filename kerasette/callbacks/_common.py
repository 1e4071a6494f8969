"""Helpers shared by the callbacks that watch a metric or touch the learning rate."""

from __future__ import annotations

import operator
import warnings
from typing import Any, Callable, Dict, Optional

_MAXIMIZED_MARKERS = ("acc", "auc")


def resolve_mode(mode: str, monitor: str, owner: str) -> str:
    """Returns "min" or "max" for `mode`, resolving "auto" from the monitor's name.

    In auto mode a name containing "acc" or "auc" (accuracy, val_auc, ...) is maximized;
    anything else (loss, mae, ...) is minimized.

    Args:
        mode: "auto", "min" or "max".
        monitor: the monitored log key.
        owner: the callback's class name, for the message.

    Raises:
        ValueError: if `mode` is not "auto", "min" or "max".
    """
    if mode not in ("auto", "min", "max"):
        raise ValueError(
            f"Invalid value for argument `mode` of callback `{owner}`. Expected one of "
            f"'auto', 'min', 'max'. Received: mode={mode!r}"
        )
    if mode != "auto":
        return mode
    name = monitor[4:] if monitor.startswith("val_") else monitor
    return "max" if any(marker in name for marker in _MAXIMIZED_MARKERS) else "min"


def improvement_op(mode: str, min_delta: float) -> Callable[[float, float], bool]:
    """Returns `op(current, reference)`: True when `current` beats `reference` by more than `min_delta`.

    Args:
        mode: "min" (lower is better) or "max".
        min_delta: the margin; its sign is ignored.
    """
    delta = abs(float(min_delta))
    if mode == "min":
        return lambda current, ref: operator.lt(current, ref - delta)
    return lambda current, ref: operator.gt(current, ref + delta)


def monitored_value(logs: Optional[Dict[str, Any]], monitor: str, what: str) -> Optional[float]:
    """Returns `logs[monitor]` as a float, or warns and returns None when it is missing.

    The warning lists the keys that the logs do have.

    Args:
        logs: the epoch's (or batch's) logs, or None.
        monitor: the key to read.
        what: the feature that needs it, for the warning ("Early stopping").
    """
    logs = logs or {}
    value = logs.get(monitor)
    if value is None:
        available = ", ".join(logs) or "(none)"
        warnings.warn(
            f"{what} is conditioned on metric `{monitor}` which is not available. "
            f"Available metrics are: {available}",
            UserWarning,
            stacklevel=3,
        )
        return None
    return float(value)


def check_non_negative(value: Any, name: str, owner: str) -> None:
    """Raises ValueError unless `value` is a number >= 0.

    Args:
        value: the value received.
        name: the argument's name, for the message.
        owner: the callback's class name, for the message.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(
            f"Invalid value for argument `{name}` of callback `{owner}`. Expected a "
            f"number >= 0. Received: {name}={value!r}"
        )


def get_learning_rate(model: Any, owner: str) -> float:
    """Reads `model.optimizer.learning_rate` as a Python float.

    Args:
        model: the compiled model.
        owner: the callback's class name, for the message.

    Raises:
        ValueError: if the model has no optimizer with a `learning_rate`.
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"`{owner}` needs a compiled model whose optimizer has a `learning_rate`. "
            f"Received: optimizer={optimizer!r}"
        )
    return float(optimizer.learning_rate)


def set_learning_rate(model: Any, value: float) -> None:
    """Sets `model.optimizer.learning_rate` (the optimizer raises TypeError if a schedule drives it).

    Args:
        model: the compiled model.
        value: the new learning rate.
    """
    model.optimizer.learning_rate = float(value)
