"""Argument checks shared by layers, all raising the same message shape.

"Invalid value for argument `rate` of layer `dropout_1`. Expected a float in
[0, 1). Received: rate=1.5"
"""

import math
import numbers


def invalid(layer, argument, expected, value):
    """Build (not raise) the ValueError for an invalid constructor argument.

    Args:
        layer: the layer being constructed (its ``name`` goes into the message).
        argument: the argument's name.
        expected: what was expected, as a phrase ("a positive int").
        value: the value received.

    Returns:
        The ValueError, for the caller to raise.
    """
    return ValueError(
        f"Invalid value for argument `{argument}` of layer `{layer.name}`. "
        f"Expected {expected}. Received: {argument}={value!r}"
    )


def positive_int(layer, argument, value):
    """Check that ``value`` is a positive int (not a bool).

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.

    Returns:
        ``value`` as an int.

    Raises:
        ValueError: if ``value`` is not a positive int.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise invalid(layer, argument, "a positive int", value)
    return int(value)


def int_tuple(layer, argument, value, length=2):
    """Check an int or a tuple of ``length`` positive ints (a window size, strides...).

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: a positive int (used for every axis) or a tuple/list of ``length`` positive ints.
        length: the number of axes.

    Returns:
        A tuple of ``length`` ints.

    Raises:
        ValueError: for anything else.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,) * length
    if (
        not isinstance(value, (tuple, list))
        or len(value) != length
        or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise invalid(layer, argument, f"a positive int or a tuple of {length} positive ints", value)
    return tuple(int(v) for v in value)


def padding(layer, value):
    """Check a ``padding`` argument: ``"valid"`` or ``"same"``, case-insensitive.

    Args:
        layer: the layer being constructed.
        value: the value received.

    Returns:
        The padding in lower case.

    Raises:
        ValueError: for any other value.
    """
    if not isinstance(value, str) or value.lower() not in ("valid", "same"):
        raise invalid(layer, "padding", 'one of "valid", "same"', value)
    return value.lower()


def data_format(layer, value):
    """Check a ``data_format`` argument: ``"channels_last"`` or None, the only layout kerasette supports.

    Args:
        layer: the layer being constructed.
        value: the value received.

    Returns:
        ``"channels_last"``.

    Raises:
        ValueError: for any other value (``"channels_first"`` included).
    """
    if value not in (None, "channels_last"):
        raise invalid(layer, "data_format", '"channels_last" (the only layout kerasette supports)', value)
    return "channels_last"


def rate(layer, value):
    """Check a dropout ``rate``: a float in [0, 1).

    Args:
        layer: the layer being constructed.
        value: the value received.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: if ``value`` is not a number in [0, 1).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise invalid(layer, "rate", "a float in [0, 1)", value)
    return float(value)


def number(layer, argument, value, expected, low=None, high=None, high_open=False):
    """Check that ``value`` is a real number (not a bool) in ``[low, high]`` (``[low, high)`` if ``high_open``).

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.
        expected: what was expected, as a phrase (``"a float in [0, 1]"``).
        low: the smallest accepted value, or None.
        high: the largest accepted value (excluded if ``high_open``), or None.
        high_open: whether ``high`` itself is refused.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: for anything else (NaN included).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise invalid(layer, argument, expected, value)
    if (low is not None and value < low) or (high is not None and (value >= high if high_open else value > high)):
        raise invalid(layer, argument, expected, value)
    return float(value)


def axis(layer, argument, value, rank, allow_batch=False):
    """An axis argument checked against the rank of the layer's input, as a non-negative index.

    Args:
        layer: the layer being built.
        argument: the argument's name (``"axis"``).
        value: the axis, negative counting from the end.
        rank: the input's rank (the batch axis included).
        allow_batch: whether axis 0 (the batch axis) is allowed.

    Returns:
        ``value`` as an index in ``[0, rank)``.

    Raises:
        ValueError: the axis is outside ``[-rank, rank)``, or the batch axis when that is not allowed.
    """
    if not -rank <= value < rank or (not allow_batch and value % rank == 0):
        expected = f"an axis in [{-rank}, {rank})" + ("" if allow_batch else ", not the batch axis 0")
        raise ValueError(f"Invalid value for argument `{argument}` of layer `{layer.name}`. Expected {expected} "
                         f"for inputs of rank {rank}. Received: {argument}={value}")
    return value % rank


def input_rank(layer, input_shape, rank):
    """Check that an input has ``rank`` axes (the batch axis included).

    Args:
        layer: the layer being called or built.
        input_shape: the input's shape tuple.
        rank: the rank the layer expects.

    Raises:
        ValueError: if the input's rank differs, in Keras's wording.
    """
    if len(input_shape) != rank:
        raise ValueError(
            f"Input 0 of layer `{layer.name}` is incompatible with the layer: expected ndim={rank}, "
            f"found ndim={len(input_shape)}. Full shape received: {tuple(input_shape)}"
        )


def real(layer, argument, value, expected, low=None, high=None, low_open=False):
    """Check a finite real number (not a bool, NaN or infinity) in ``[low, high]`` (``(low, high]`` if ``low_open``).

    Args:
        layer: the layer being constructed.
        argument: the argument's name.
        value: the value received.
        expected: what was expected, as a phrase ("a positive float").
        low: the lower bound, or None for none.
        high: the upper bound, or None for none.
        low_open: exclude ``low`` itself.

    Returns:
        ``value`` as a float.

    Raises:
        ValueError: for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise invalid(layer, argument, expected, value)
    if (low is not None and (value <= low if low_open else value < low)) or (high is not None and value > high):
        raise invalid(layer, argument, expected, value)
    return float(value)


def noise_shape(layer, value):
    """Check a dropout ``noise_shape``: None, or a list/tuple of positive ints and Nones.

    Args:
        layer: the layer being constructed.
        value: the value received.

    Returns:
        None or a tuple.

    Raises:
        ValueError: for anything else.
    """
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or not value or not all(
            n is None or (isinstance(n, numbers.Integral) and not isinstance(n, bool) and n > 0) for n in value):
        raise invalid(layer, "noise_shape", "None or a tuple of positive ints and Nones", value)
    return tuple(None if n is None else int(n) for n in value)


def not_supported(layer, **arguments):
    """Refuse features kerasette does not implement yet instead of silently ignoring them.

    Args:
        layer: the layer being constructed.
        **arguments: the unsupported arguments, by name, as received.

    Raises:
        ValueError: naming the first argument that is not None.
    """
    for argument, value in arguments.items():
        if value is not None:
            raise ValueError(
                f"Layer `{layer.name}` does not support `{argument}` yet. Received: {argument}={value!r}. "
                f"Leave it as None."
            )
