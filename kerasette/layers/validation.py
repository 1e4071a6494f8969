"""Argument checks shared by layers, all raising the same message shape:

"Invalid value for argument `rate` of layer `dropout_1`. Expected a float in
[0, 1). Received: rate=1.5"
"""

import numbers


def invalid(layer, argument, expected, value):
    return ValueError(
        f"Invalid value for argument `{argument}` of layer `{layer.name}`. "
        f"Expected {expected}. Received: {argument}={value!r}"
    )


def positive_int(layer, argument, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise invalid(layer, argument, "a positive int", value)
    return int(value)


def int_tuple(layer, argument, value, length=2):
    """An int or a tuple of ``length`` positive ints, returned as a tuple."""
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
    if not isinstance(value, str) or value.lower() not in ("valid", "same"):
        raise invalid(layer, "padding", 'one of "valid", "same"', value)
    return value.lower()


def data_format(layer, value):
    if value not in (None, "channels_last"):
        raise invalid(layer, "data_format", '"channels_last" (the only layout kerasette supports)', value)
    return "channels_last"


def rate(layer, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise invalid(layer, "rate", "a float in [0, 1)", value)
    return float(value)


def input_rank(layer, input_shape, rank):
    if len(input_shape) != rank:
        raise ValueError(
            f"Input 0 of layer `{layer.name}` is incompatible with the layer: expected ndim={rank}, "
            f"found ndim={len(input_shape)}. Full shape received: {tuple(input_shape)}"
        )


def not_supported(layer, **arguments):
    """Refuse features kerasette does not implement yet instead of silently ignoring them."""
    for argument, value in arguments.items():
        if value is not None:
            raise ValueError(
                f"Layer `{layer.name}` does not support `{argument}` yet. Received: {argument}={value!r}. "
                f"Leave it as None."
            )
