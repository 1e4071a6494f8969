"""Argument checks of the preprocessing layers: factors, value ranges and choices, in the layers' message shape."""

from __future__ import annotations

import numbers
from typing import Sequence, Tuple

from kerasette.layers.validation import invalid

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def factor_range(layer, argument: str, factor, low: float, high: float, symmetric: bool = True,
                 low_open: bool = False) -> Tuple[float, float]:
    """A ``factor`` argument as a ``(lower, upper)`` pair, each in ``[low, high]``, as Keras reads it.

    A number ``f`` means ``(-|f|, |f|)`` clipped at ``low`` (``symmetric``) or ``(low, f)`` (not
    symmetric); a pair is sorted.

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        factor: the value received.
        low: the smallest accepted value.
        high: the largest accepted value.
        symmetric: how a single number is read (see above).
        low_open: whether ``low`` itself is refused.

    Returns:
        ``(lower, upper)`` as floats.

    Raises:
        ValueError: for anything else.
    """
    bound = f"({low}, {high}]" if low_open else f"[{low}, {high}]"
    expected = f"a number or a pair of numbers in {bound}"

    def in_range(v):
        return _is_number(v) and (v > low if low_open else v >= low) and v <= high

    if isinstance(factor, (list, tuple)):
        if len(factor) != 2 or not all(in_range(v) for v in factor):
            raise invalid(layer, argument, expected, factor)
        lower, upper = sorted(float(v) for v in factor)
        return lower, upper
    if not in_range(factor):
        raise invalid(layer, argument, expected, factor)
    if symmetric:
        magnitude = abs(float(factor))
        return max(-magnitude, float(low)), magnitude
    return float(low), float(factor)


def value_range(layer, value) -> Sequence[float]:
    """A ``value_range`` argument: two numbers, returned sorted (as Keras stores it).

    Args:
        layer: the layer being constructed.
        value: the value received.

    Returns:
        ``[low, high]``.

    Raises:
        ValueError: for anything but two distinct numbers.
    """
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(_is_number(v) for v in value) \
            or value[0] == value[1]:
        raise invalid(layer, "value_range", "a pair of two different numbers (low, high)", value)
    return sorted(value)


def choice(layer, argument: str, value, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of ``choices``.

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.
        choices: the accepted strings.

    Returns:
        ``value``.

    Raises:
        ValueError: for anything else.
    """
    if value not in choices:
        raise invalid(layer, argument, "one of " + ", ".join(f'"{c}"' for c in choices), value)
    return value


def seed(layer, value):
    """Check a ``seed``: None or an int.

    Args:
        layer: the layer being constructed.
        value: the value received.

    Returns:
        ``value``.

    Raises:
        ValueError: for anything else.
    """
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise invalid(layer, "seed", "None or an int", value)
    return None if value is None else int(value)


def probability(layer, argument: str, value) -> float:
    """Check a number in [0, 1].

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: for anything else.
    """
    if not _is_number(value) or not 0 <= value <= 1:
        raise invalid(layer, argument, "a number in [0, 1]", value)
    return float(value)


def positive_int(layer, argument: str, value) -> int:
    """Check a positive int.

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.

    Returns:
        ``value`` as an int.

    Raises:
        ValueError: for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise invalid(layer, argument, "a positive int", value)
    return int(value)


def number(layer, argument: str, value) -> float:
    """Check a finite real number.

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: for anything else.
    """
    if not _is_number(value) or value in (float("inf"), float("-inf")):
        raise invalid(layer, argument, "a finite number", value)
    return float(value)


def as_config(value):
    """``value`` as JSON keeps it: tuples become lists (so a config compares equal after saving).

    Args:
        value: a config value as received (number, None, tuple, list...).

    Returns:
        The same value with tuples turned into lists, recursively.
    """
    if isinstance(value, (list, tuple)):
        return [as_config(v) for v in value]
    return value
