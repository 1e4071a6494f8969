"""Activation functions as ONNX nodes, and the activation layers (Activation, ReLU, LeakyReLU, ELU, PReLU, Softmax).

``apply_activation`` serves every layer with an ``activation`` argument (Dense, the convolutions...). Each
function's ONNX form follows kerasette's definition in ``kerasette.activations``, constants included (SELU's
alpha and scale, hard sigmoid's slope 1/6).
"""

import math

from kerasette import activations, layers
from kerasette.export.registry import register_converter

_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805  # kerasette.ops.selu's constants


def _relu6(b, x):
    return b.unary("Clip", x, [b.scalar(0.0), b.scalar(6.0)])


def _gelu(b, x):
    def build(v):
        erf = b.op("Erf", [b.op("Div", [v, b.scalar(math.sqrt(2.0))])])
        return b.op("Mul", [b.op("Mul", [v, b.scalar(0.5)]), b.op("Add", [erf, b.scalar(1.0)])])

    return b.elementwise(x, build)


def _silu(b, x):
    return b.elementwise(x, lambda v: b.op("Mul", [v, b.op("Sigmoid", [v])]))


def _hard_silu(b, x):
    return b.elementwise(x, lambda v: b.op("Mul", [v, b.op("HardSigmoid", [v], alpha=1.0 / 6.0, beta=0.5)]))


def _log_sigmoid(b, x):
    return b.elementwise(x, lambda v: b.op("Neg", [b.op("Softplus", [b.op("Neg", [v])])]))


def _mish(b, x):
    return b.elementwise(x, lambda v: b.op("Mul", [v, b.op("Tanh", [b.op("Softplus", [v])])]))


def _sparse_plus(b, x):
    def build(v):
        middle = b.op("Mul", [b.op("Pow", [b.op("Add", [v, b.scalar(1.0)]), b.scalar(2.0)]), b.scalar(0.25)])
        upper = b.op("Where", [b.op("Less", [v, b.scalar(1.0)]), middle, v])
        return b.op("Where", [b.op("LessOrEqual", [v, b.scalar(-1.0)]), b.scalar(0.0), upper])

    return b.elementwise(x, build)


def _sparse_sigmoid(b, x):
    def build(v):
        half = b.op("Mul", [b.op("Add", [v, b.scalar(1.0)]), b.scalar(0.5)])
        return b.op("Clip", [half, b.scalar(0.0), b.scalar(1.0)])

    return b.elementwise(x, build)


def _squareplus(b, x):
    def build(v):
        root = b.op("Sqrt", [b.op("Add", [b.op("Mul", [v, v]), b.scalar(4.0)])])
        return b.op("Mul", [b.op("Add", [v, root]), b.scalar(0.5)])

    return b.elementwise(x, build)


def _tanh_shrink(b, x):
    return b.elementwise(x, lambda v: b.op("Sub", [v, b.op("Tanh", [v])]))


def _glu(b, x):
    halves = {"num_outputs": 2} if b.opset >= 18 else {}  # from opset 18, Split says how many parts
    first, second = b.op("Split", [x], outputs=2, axis=-1, **halves)
    return b.op("Mul", [first, b.op("Sigmoid", [second])])


def _sparsemax(b, x):
    """Sparsemax over the last axis as kerasette computes it: the support by pairwise comparison, then tau."""
    others = b.unsqueeze(x, [-1])  # x_j along axis -2
    mine = b.unsqueeze(x, [-2])  # x_i along axis -1
    at_least = b.op("Cast", [b.op("GreaterOrEqual", [others, mine])], to=1)  # [x_j >= x_i]
    count = b.reduce("ReduceSum", at_least, [-2], keepdims=False)
    total = b.reduce("ReduceSum", b.op("Mul", [at_least, others]), [-2], keepdims=False)
    bound = b.op("Add", [b.op("Mul", [count, x]), b.scalar(1.0)])
    support = b.op("Cast", [b.op("Greater", [bound, total])], to=1)
    size = b.reduce("ReduceSum", support, [-1])
    tau = b.op("Div", [b.op("Sub", [b.reduce("ReduceSum", b.op("Mul", [x, support]), [-1]), b.scalar(1.0)]),
                       size])
    return b.op("Max", [b.op("Sub", [x, tau]), b.scalar(0.0)])


_FUNCTIONS = {
    activations.relu: lambda b, x: b.unary("Relu", x),
    activations.sigmoid: lambda b, x: b.unary("Sigmoid", x),
    activations.tanh: lambda b, x: b.unary("Tanh", x),
    activations.softmax: lambda b, x: b.op("Softmax", [x], axis=-1),
    activations.log_softmax: lambda b, x: b.op("LogSoftmax", [x], axis=-1),
    activations.elu: lambda b, x: b.unary("Elu", x, alpha=1.0),
    activations.selu: lambda b, x: b.unary("Selu", x, alpha=_SELU_ALPHA, gamma=_SELU_SCALE),
    activations.gelu: _gelu,
    activations.silu: _silu,
    activations.leaky_relu: lambda b, x: b.unary("LeakyRelu", x, alpha=0.2),
    activations.relu6: _relu6,
    activations.softplus: lambda b, x: b.unary("Softplus", x),
    activations.softsign: lambda b, x: b.unary("Softsign", x),
    activations.hard_sigmoid: lambda b, x: b.unary("HardSigmoid", x, alpha=1.0 / 6.0, beta=0.5),
    activations.exponential: lambda b, x: b.unary("Exp", x),
    activations.celu: lambda b, x: b.unary("Celu", x, alpha=1.0),
    activations.glu: _glu,
    activations.hard_shrink: lambda b, x: b.unary("Shrink", x, lambd=0.5, bias=0.0),
    activations.soft_shrink: lambda b, x: b.unary("Shrink", x, lambd=0.5, bias=0.5),
    activations.hard_silu: _hard_silu,
    activations.hard_tanh: lambda b, x: b.unary("Clip", x, [b.scalar(-1.0), b.scalar(1.0)]),
    activations.log_sigmoid: _log_sigmoid,
    activations.mish: _mish,
    activations.sparse_plus: _sparse_plus,
    activations.sparse_sigmoid: _sparse_sigmoid,
    activations.sparsemax: _sparsemax,
    activations.squareplus: _squareplus,
    activations.tanh_shrink: _tanh_shrink,
}


def exportable_activations():
    """The activation functions ``apply_activation`` can write (``linear`` included)."""
    return [activations.linear, *_FUNCTIONS]


def apply_activation(call, function, x):
    """``function(x)`` as ONNX nodes (nothing for ``linear``).

    Args:
        call: the ``LayerCall`` being converted (its layer is named in errors).
        function: an activation function from ``kerasette.activations``.
        x: the input value name.

    Returns:
        The output value name.

    Raises:
        ValueError: a function with no ONNX form here (a custom callable, ``threshold``).
    """
    if function is activations.linear:
        return x
    build = _FUNCTIONS.get(function)
    if build is None:
        name = getattr(function, "__name__", repr(function))
        raise call.error(f"its activation `{name}` has no ONNX form here (the built-in activations of "
                         "kerasette.activations do, except `threshold`)")
    return build(call.builder, x)


@register_converter(layers.Activation)
def activation_layer(call):
    """Activation: the function's ONNX form."""
    return apply_activation(call, call.layer.activation, call.input)


@register_converter(layers.ReLU)
def relu_layer(call):
    """ReLU with its leak, threshold and ceiling, as ``kerasette.layers.ReLU`` computes them."""
    b, layer = call.builder, call.layer
    slope, threshold, ceiling = layer.negative_slope, layer.threshold, layer.max_value
    if threshold == 0 and slope == 0:
        if ceiling is not None:
            return b.unary("Clip", call.input, [b.scalar(0.0), b.scalar(ceiling)])
        return b.unary("Relu", call.input)

    def build(v):
        if threshold == 0:
            out = b.op("LeakyRelu", [v], alpha=slope)
        else:
            below = b.op("Mul", [b.op("Sub", [v, b.scalar(threshold)]), b.scalar(slope)])
            out = b.op("Where", [b.op("GreaterOrEqual", [v, b.scalar(threshold)]), v, below])
        return out if ceiling is None else b.op("Min", [out, b.scalar(ceiling)])

    return b.elementwise(call.input, build)


@register_converter(layers.LeakyReLU)
def leaky_relu_layer(call):
    """LeakyReLU: ONNX LeakyRelu."""
    return call.builder.unary("LeakyRelu", call.input, alpha=call.layer.negative_slope)


@register_converter(layers.ELU)
def elu_layer(call):
    """ELU: ONNX Elu."""
    return call.builder.unary("Elu", call.input, alpha=call.layer.alpha)


@register_converter(layers.PReLU)
def prelu_layer(call):
    """PReLU: ONNX PRelu with the learned slopes (shape ``input_shape[1:]``, 1 on shared axes)."""
    return call.builder.op("PRelu", [call.input, call.builder.constant(call.weights["alpha"], "alpha")])


@register_converter(layers.Softmax)
def softmax_layer(call):
    """Softmax over one axis (ONNX Softmax) or several (``exp(x - logsumexp(x))``)."""
    b, axis = call.builder, call.layer.axis
    if isinstance(axis, int):
        return b.op("Softmax", [call.input], axis=axis)
    peak = b.reduce("ReduceMax", call.input, axis)
    shifted = b.op("Sub", [call.input, peak])
    total = b.reduce("ReduceSum", b.op("Exp", [shifted]), axis)
    return b.op("Exp", [b.op("Sub", [shifted, b.op("Log", [total])])])
