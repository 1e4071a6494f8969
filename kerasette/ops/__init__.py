"""Differentiable ops, named as in ``keras.ops``.

Layers and models compute only through these functions; each dispatches to
the active backend and records itself for autodiff when a tape is open, with
gradient rules written in these same ops. The ops live in modules by concept
(``elementwise``, ``reductions``, ``shapes``, ``linalg``, ``creation``,
``nn``); the fused in-place optimizer steps, which are not differentiable,
live in ``kerasette.ops.updates`` and are not exported here.
"""

from kerasette.ops._helpers import (
    cast,
    convert_to_numpy,
    convert_to_tensor,
    floatx,
)
from kerasette.ops.autodiff import GradientTape, gradient, is_recording, make_tensor, stop_recording
from kerasette.ops.creation import full, one_hot, ones, ones_like, zeros, zeros_like
from kerasette.ops.elementwise import (
    abs,
    add,
    clip,
    divide,
    equal,
    erf,
    exp,
    greater,
    greater_equal,
    isfinite,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    power,
    sigmoid,
    sign,
    sqrt,
    square,
    stop_gradient,
    subtract,
    tanh,
    true_divide,
    where,
)
from kerasette.ops.linalg import dot, matmul
from kerasette.ops.nn import (
    average_pool,
    bias_add_relu,
    conv,
    conv_bias_relu,
    depthwise_conv,
    elu,
    explicit_padding,
    gelu,
    leaky_relu,
    log_softmax,
    max_pool,
    relu,
    relu6,
    selu,
    separable_conv,
    silu,
    softmax,
    softplus,
    swish,
)
from kerasette.ops.random import SeedGenerator
from kerasette.ops.reductions import argmax, max, mean, min, std, sum, var
from kerasette.ops.shapes import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten_batch,
    getitem,
    pad,
    reshape,
    shape,
    slice,
    squeeze,
    stack,
    take,
    transpose,
)
from kerasette.ops.tensor import Tensor, Variable, is_tensor

__all__ = [
    # _helpers
    "cast", "convert_to_numpy", "convert_to_tensor", "floatx",
    # autodiff
    "GradientTape", "gradient", "is_recording", "make_tensor", "stop_recording",
    # creation
    "full", "one_hot", "ones", "ones_like", "zeros", "zeros_like",
    # elementwise
    "abs", "add", "clip", "divide", "equal", "erf", "exp", "greater", "greater_equal", "isfinite", "less",
    "less_equal", "log", "log1p", "logical_and", "logical_not", "maximum", "minimum", "multiply", "negative",
    "not_equal", "power", "sigmoid", "sign", "sqrt", "square", "stop_gradient", "subtract", "tanh", "true_divide",
    "where",
    # linalg
    "dot", "matmul",
    # nn
    "average_pool", "bias_add_relu", "conv", "conv_bias_relu", "depthwise_conv", "elu", "explicit_padding", "gelu",
    "leaky_relu", "log_softmax", "max_pool", "relu", "relu6", "selu", "separable_conv", "silu", "softmax",
    "softplus", "swish",
    # random
    "SeedGenerator",
    # reductions
    "argmax", "max", "mean", "min", "std", "sum", "var",
    # shapes
    "broadcast_to", "concatenate", "expand_dims", "flatten_batch", "getitem", "pad", "reshape", "shape", "slice",
    "squeeze", "stack", "take", "transpose",
    # tensor
    "Tensor", "Variable", "is_tensor",
]
