"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate and Dot.

Keras broadcasts merge inputs of different ranks by inserting size-1 axes after the batch axis, not before it
(numpy's and ONNX's rule), so lower-rank inputs get an Unsqueeze first.
"""

import string

from kerasette import layers
from kerasette.export.registry import register_converter

_ELEMENTWISE = {layers.Add: "Add", layers.Subtract: "Sub", layers.Multiply: "Mul", layers.Average: "Add",
                layers.Maximum: "Max", layers.Minimum: "Min"}


def _same_rank(call):
    """The inputs, each with size-1 axes inserted after the batch axis up to the highest rank."""
    rank = max(len(s) for s in call.input_shapes)
    return [x if len(s) == rank else call.builder.unsqueeze(x, list(range(1, 1 + rank - len(s))))
            for x, s in zip(call.inputs, call.input_shapes)]


@register_converter(*_ELEMENTWISE)
def elementwise_merge(call):
    """Add/Subtract/Multiply/Maximum/Minimum chain one binary op per input; Average divides the sum."""
    b = call.builder
    op_type = _ELEMENTWISE[type(call.layer)]
    values = _same_rank(call)
    y = values[0]
    for x in values[1:]:
        y = b.binary(op_type, y, x)
    if isinstance(call.layer, layers.Average):
        y = b.unary("Div", y, [b.scalar(float(len(values)))])
    return y


@register_converter(layers.Concatenate)
def concatenate(call):
    """Concatenate: ONNX Concat (on the channels-first data when every input is pending a transpose)."""
    return call.builder.concat(call.inputs, call.layer.axis, len(call.input_shapes[0]))


def _l2_normalize(b, x, axis):
    square_sum = b.reduce("ReduceSum", b.op("Mul", [x, x]), [axis])
    return b.op("Div", [x, b.op("Sqrt", [b.op("Max", [square_sum, b.scalar(1e-14)])])])


@register_converter(layers.Dot)
def dot(call):
    """Dot: a batched contraction of one axis of each input, as ONNX Einsum (``normalize``: L2 first)."""
    b, layer = call.builder, call.layer
    x_shape, y_shape = call.input_shapes
    pair = layer.axes if isinstance(layer.axes, list) else [layer.axes, layer.axes]
    ax, ay = pair[0] % len(x_shape), pair[1] % len(y_shape)
    x, y = call.inputs
    if layer.normalize:
        x, y = _l2_normalize(b, x, ax), _l2_normalize(b, y, ay)
    letters = iter(string.ascii_lowercase[1:])
    x_spec = ["a"] + [next(letters) for _ in x_shape[1:]]
    y_spec = ["a"] + [x_spec[ax] if i == ay else next(letters) for i in range(1, len(y_shape))]
    out_spec = [c for i, c in enumerate(x_spec) if i != ax] + [c for i, c in enumerate(y_spec) if i not in (0, ay)]
    equation = f"{''.join(x_spec)},{''.join(y_spec)}->{''.join(out_spec)}"
    out = b.op("Einsum", [x, y], equation=equation)
    return b.unsqueeze(out, [1]) if len(out_spec) == 1 else out
