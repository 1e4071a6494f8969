"""Checks of the `TensorBoard` callback's arguments, with Keras's error wording."""

from __future__ import annotations

from typing import Any, Union

import numpy as np

_OWNER = "callback `TensorBoard`"


def _invalid(name: str, expected: str, value: Any) -> ValueError:
    return ValueError(
        f"Invalid value for argument `{name}` of {_OWNER}. Expected {expected}. Received: {name}={value!r}"
    )


def non_negative_int(name: str, value: Any) -> int:
    """Returns `value` if it is an int >= 0 (a frequency in epochs).

    Args:
        name: the argument's name, for the message.
        value: the value received.

    Raises:
        ValueError: otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _invalid(name, "an integer >= 0 (0 turns it off)", value)
    return value


def flag(name: str, value: Any) -> bool:
    """Returns `value` as a bool: True, False, a numpy bool, or the integers 0 and 1.

    Args:
        name: the argument's name, for the message.
        value: the value received.

    Raises:
        TypeError: otherwise (a string such as "False" is refused rather than read as True).
    """
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer)) and value in (0, 1)):
        return bool(value)
    raise TypeError(f"Invalid value for argument `{name}` of {_OWNER}. Expected a bool. Received: {name}={value!r}")


def update_freq(value: Any) -> Union[str, int]:
    """Returns "epoch" or a positive int (`"batch"` is 1, as in Keras).

    Args:
        value: the `update_freq` received.

    Raises:
        ValueError: for anything else.
    """
    if value == "batch":
        return 1
    if value == "epoch":
        return "epoch"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _invalid("update_freq", '"epoch", "batch" or an integer >= 1 (a number of batches)', value)
    return value


def profile_batch(value: Any) -> None:
    """Accepts only a `profile_batch` that turns profiling off (0, "0", (0, 0)).

    Keras profiles through TensorFlow's or JAX's profiler; kerasette has neither, and Keras
    itself refuses a non-zero `profile_batch` on its numpy and torch backends.

    Args:
        value: the `profile_batch` received.

    Raises:
        ValueError: for a malformed value, or one that asks for profiling.
    """
    parts = value.split(",") if isinstance(value, str) else value
    parts = list(parts) if isinstance(parts, (tuple, list)) else [parts]
    numbers = [_batch_number(part) for part in parts]
    if len(parts) not in (1, 2) or None in numbers or numbers[-1] < numbers[0]:
        raise _invalid(
            "profile_batch", "a non-negative integer or a pair (start, stop) of positive integers", value
        )
    if any(numbers):
        raise ValueError(
            "Profiling is not available in kerasette (Keras profiles through TensorFlow's or JAX's "
            "profiler, and refuses it on its numpy and torch backends too). Received: "
            f"profile_batch={value!r} (must be 0)"
        )


def _batch_number(part: Any) -> Any:
    """An int >= 0 from an int or a string of digits; None for anything else."""
    if isinstance(part, str) and part.strip().isdigit():
        return int(part)
    if isinstance(part, (int, np.integer)) and not isinstance(part, bool) and part >= 0:
        return int(part)
    return None
