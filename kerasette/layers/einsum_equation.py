"""The shapes an EinsumDense equation implies (Keras's ``_analyze_einsum_string``, rewritten)."""

import re

from kerasette.layers import validation

_FORMS = (  # (pattern on the equation with "..." replaced by "0", where the elided axes go)
    (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", None),
    (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$", "left"),
    (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$", "right"),
)


def analyze_equation(layer, input_shape):
    """Kernel shape, bias shape (or None), full output shape and the kernel's input and output axes.

    Follows Keras's ``_analyze_einsum_string``: the equation is ``X,Y->Z``, ``...X,Y->...Z`` or ``X...,Y->Z...``;
    the kernel's sizes come from the input (axes shared with it) or from ``output_shape`` (the others); the
    bias covers the output axes from the first one in ``bias_axes`` to the last, with size 1 on axes not in
    ``bias_axes``.

    Args:
        layer: the EinsumDense layer (its ``equation``, ``partial_output_shape`` and ``bias_axes``).
        input_shape: the input's shape.

    Returns:
        ``(kernel_shape, bias_shape, output_shape, input_axes, output_axes)``.

    Raises:
        ValueError: for an unsupported equation or shapes that disagree with it.
    """
    replaced = layer.equation.replace("...", "0")
    found = next(((re.match(p, replaced), side) for p, side in _FORMS if re.match(p, replaced)), None)
    if found is None:
        raise validation.invalid(layer, "equation", "an equation of the form X,Y->Z, ...X,Y->...Z or X...,Y->Z...",
                                 layer.equation)
    match, elided_side = found
    in_spec, w_spec, out_spec = match.groups()
    elided = len(input_shape) - len(in_spec)
    inner = list(layer.partial_output_shape)
    if elided_side == "left":
        output_shape = [input_shape[0], *input_shape[1:elided], *inner]
        in_axis = {d: i + elided for i, d in enumerate(in_spec)}
        out_axis = {d: i + elided for i, d in enumerate(out_spec)}
    else:
        tail = list(input_shape[len(in_spec):]) if elided > 0 else []
        output_shape = [input_shape[0], *inner, *tail]
        in_axis = {d: i for i, d in enumerate(in_spec)}
        out_axis = {d: i for i, d in enumerate(out_spec)}
    if len(output_shape) != len(out_spec) + max(elided, 0):
        raise ValueError(f"Layer `{layer.name}`: output_shape={layer.partial_output_shape} does not match the "
                         f"equation {layer.equation!r} (output spec {out_spec!r}).")
    for d in in_spec:
        if d in out_axis and output_shape[out_axis[d]] is None:  # Keras leaves it None; the input knows it
            output_shape[out_axis[d]] = input_shape[in_axis[d]]
        if d in out_axis and output_shape[out_axis[d]] != input_shape[in_axis[d]]:
            raise ValueError(f"Layer `{layer.name}`: input shape and output shape do not match at shared dimension "
                             f"{d!r}: {input_shape[in_axis[d]]} != {output_shape[out_axis[d]]}.")
    for d in out_spec:
        if d not in in_spec and d not in w_spec:
            raise ValueError(f"Layer `{layer.name}`: output dimension {d!r} of {layer.equation!r} is in neither the "
                             "input nor the weight spec.")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, d in enumerate(w_spec):
        if d in out_axis:
            kernel_shape.append(output_shape[out_axis[d]])
            output_axes.append(i)
        elif d in in_axis:
            kernel_shape.append(input_shape[in_axis[d]])
            input_axes.append(i)
        else:
            raise ValueError(f"Layer `{layer.name}`: weight dimension {d!r} of {layer.equation!r} is in neither the "
                             "input nor the output spec.")
    bias_shape = None
    if layer.bias_axes is not None:
        missing = [c for c in layer.bias_axes if c not in out_spec]
        if missing:
            raise validation.invalid(layer, "bias_axes", f"output axes of {out_spec!r}", layer.bias_axes)
        first = min(out_spec.index(c) for c in layer.bias_axes)
        bias_shape = [output_shape[out_axis[c]] if c in layer.bias_axes else 1 for c in out_spec[first:]]
        if elided_side != "left":
            bias_shape += [1] * max(elided, 0)
    return kernel_shape, bias_shape, tuple(output_shape), input_axes, output_axes
