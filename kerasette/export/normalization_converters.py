"""Normalization layers: BatchNormalization (folded or as ONNX BatchNormalization), Layer/Group/RMS/Unit.

BatchNormalization in inference is an affine map per channel, so ``to_onnx`` folds it into the convolution or
Dense layer before it when it can (``fold_batch_norm``, see ``fold``); otherwise it is an ONNX
BatchNormalization on channels-first data. The other layers are written with the same arithmetic as their
``call`` (ONNX LayerNormalization from opset 17 when the axes are the trailing ones).
"""

import numpy as np

from kerasette import activations, layers
from kerasette.export.registry import register_converter

FOLDABLE = (layers.Dense, layers.Conv1D, layers.Conv2D, layers.Conv3D, layers.DepthwiseConv1D,
            layers.DepthwiseConv2D, layers.SeparableConv1D, layers.SeparableConv2D, layers.Conv1DTranspose,
            layers.Conv2DTranspose, layers.Conv3DTranspose)


def batch_norm_affine(layer):
    """``(scale, shift)`` per channel of a BatchNormalization layer in inference: ``y = x * scale + shift``."""
    weights = {v.name: v.numpy().astype(np.float64) for v in layer.weights}
    scale = 1.0 / np.sqrt(weights["moving_variance"] + layer.epsilon)
    if layer.scale:
        scale = scale * weights["gamma"]
    shift = -weights["moving_mean"] * scale
    if layer.center:
        shift = shift + weights["beta"]
    return scale, shift


def fold(layer, weights, batch_norm):
    """The weights of ``layer`` followed by ``batch_norm`` (on the last axis), as one layer's weights.

    Args:
        layer: a layer of a ``FOLDABLE`` class with a linear activation.
        weights: its ``{name: array}`` weights.
        batch_norm: the BatchNormalization layer applied to its output.

    Returns:
        New ``{name: array}`` weights (float32), with a bias even if the layer had none.
    """
    scale, shift = batch_norm_affine(batch_norm)
    weights = dict(weights)
    if isinstance(layer, (layers.SeparableConv1D, layers.SeparableConv2D)):
        name, kernel_scale = "pointwise_kernel", scale
    elif isinstance(layer, (layers.DepthwiseConv1D, layers.DepthwiseConv2D)):
        name, kernel_scale = "kernel", scale.reshape(weights["kernel"].shape[-2:])
    elif isinstance(layer, (layers.Conv1DTranspose, layers.Conv2DTranspose, layers.Conv3DTranspose)):
        name, kernel_scale = "kernel", scale[:, None]  # kernel (k..., out, in)
    else:
        name, kernel_scale = "kernel", scale
    weights[name] = (weights[name].astype(np.float64) * kernel_scale).astype(np.float32)
    bias = weights.get("bias")
    bias = np.zeros_like(scale) if bias is None else bias.astype(np.float64)
    weights["bias"] = (bias * scale + shift).astype(np.float32)
    return weights


def can_fold(layer, batch_norm, rank):
    """Whether ``batch_norm`` (on inputs of ``rank``) can be folded into the ``layer`` before it."""
    return (type(layer) in FOLDABLE and layer.activation is activations.linear
            and batch_norm.axis % rank == rank - 1)


@register_converter(layers.BatchNormalization)
def batch_normalization(call):
    """BatchNormalization (not folded): ONNX BatchNormalization with the channel axis moved to axis 1."""
    b, layer = call.builder, call.layer
    rank = len(call.input_shape)
    axis = layer.axis % rank
    scale, shift = batch_norm_affine(layer)
    size = scale.shape[0]
    gamma = call.weights["gamma"] if layer.scale else np.ones(size, np.float32)
    beta = call.weights["beta"] if layer.center else np.zeros(size, np.float32)
    perm = [0, axis, *(i for i in range(1, rank) if i != axis)]
    inverse = [perm.index(i) for i in range(rank)]
    x = b.transpose(call.input, perm)
    y = b.op("BatchNormalization", [x, b.constant(gamma, "gamma"), b.constant(beta, "beta"),
                                    b.constant(call.weights["moving_mean"], "moving_mean"),
                                    b.constant(call.weights["moving_variance"], "moving_variance")],
             epsilon=float(layer.epsilon))
    return b.transpose(y, inverse)


def _broadcast(weight, axes, shape):
    """A weight over ``axes`` (in the layer's axis order) reshaped to broadcast against ``shape``."""
    order = sorted(range(len(axes)), key=lambda i: axes[i])
    weight = np.transpose(weight, order)
    return weight.reshape([size if i in axes else 1 for i, size in enumerate(shape)])


def _axes(layer, rank):
    """The layer's ``axis`` (an int or a list) as non-negative ints, in the layer's order."""
    return [a % rank for a in (layer.axis if isinstance(layer.axis, list) else [layer.axis])]


def _inverse_sqrt(b, value, epsilon):
    return b.op("Div", [b.scalar(1.0), b.op("Sqrt", [b.op("Add", [value, b.scalar(epsilon)])])])


@register_converter(layers.LayerNormalization)
def layer_normalization(call):
    """LayerNormalization: ONNX LayerNormalization (opset >= 17, trailing axes) or its arithmetic."""
    b, layer, shape = call.builder, call.layer, call.input_shape
    rank = len(shape)
    axes = _axes(layer, rank)
    gamma, beta = call.weights.get("gamma"), call.weights.get("beta")
    trailing = sorted(axes) == list(range(rank - len(axes), rank))
    if b.opset >= 17 and trailing and not layer.rms_scaling:
        normalized = [shape[a] for a in sorted(axes)]
        scale = np.ones(normalized, np.float32) if gamma is None else _broadcast(gamma, axes, shape).reshape(normalized)
        inputs = [call.input, b.constant(scale, "gamma")]
        if beta is not None:
            inputs.append(b.constant(_broadcast(beta, axes, shape).reshape(normalized), "beta"))
        return b.op("LayerNormalization", inputs, axis=min(axes), epsilon=float(layer.epsilon))
    centered = b.op("Sub", [call.input, b.reduce("ReduceMean", call.input, axes)])
    inv = _inverse_sqrt(b, b.reduce("ReduceMean", b.op("Mul", [centered, centered]), axes), float(layer.epsilon))
    if gamma is not None:
        inv = b.op("Mul", [inv, b.constant(_broadcast(gamma, axes, shape), "gamma")])
    if layer.rms_scaling:
        return b.op("Mul", [call.input, inv])
    y = b.op("Mul", [centered, inv])
    if beta is not None:
        y = b.op("Add", [y, b.constant(_broadcast(beta, axes, shape), "beta")])
    return y


@register_converter(layers.GroupNormalization)
def group_normalization(call):
    """GroupNormalization: reshape the channel axis into (groups, channels / groups), normalize, reshape back."""
    b, layer, shape = call.builder, call.layer, call.input_shape
    rank = len(shape)
    axis = layer.axis % rank
    dims = b.op("Shape", [call.input])
    grouped_shape = b.op("Concat", [b.slice(dims, [0], [axis], [0]),
                                    b.int64s([layer.groups, shape[axis] // layer.groups], "groups"),
                                    b.slice(dims, [axis + 1], [rank], [0])], axis=0)
    grouped = b.op("Reshape", [call.input, grouped_shape])
    reduce = [i for i in range(1, rank + 1) if i != axis]
    centered = b.op("Sub", [grouped, b.reduce("ReduceMean", grouped, reduce)])
    variance = b.reduce("ReduceMean", b.op("Mul", [centered, centered]), reduce)
    normalized = b.op("Div", [centered, b.op("Sqrt", [b.op("Add", [variance, b.scalar(float(layer.epsilon))])])])
    y = b.op("Reshape", [normalized, dims])
    broadcast = [size if i == axis else 1 for i, size in enumerate(shape)]
    if call.weights.get("gamma") is not None:
        y = b.op("Mul", [y, b.constant(call.weights["gamma"].reshape(broadcast), "gamma")])
    if call.weights.get("beta") is not None:
        y = b.op("Add", [y, b.constant(call.weights["beta"].reshape(broadcast), "beta")])
    return y


@register_converter(layers.RMSNormalization)
def rms_normalization(call):
    """RMSNormalization: ``x / sqrt(mean(x ** 2) + epsilon) * scale``."""
    b, layer, shape = call.builder, call.layer, call.input_shape
    axes = sorted(_axes(layer, len(shape)))
    mean_square = b.reduce("ReduceMean", b.op("Mul", [call.input, call.input]), axes)
    y = b.op("Div", [call.input, b.op("Sqrt", [b.op("Add", [mean_square, b.scalar(float(layer.epsilon))])])])
    return b.op("Mul", [y, b.constant(_broadcast(call.weights["scale"], axes, shape), "scale")])


@register_converter(layers.UnitNormalization)
def unit_normalization(call):
    """UnitNormalization: ``x / sqrt(max(sum(x ** 2), 1e-24))`` over the layer's axes."""
    b, layer = call.builder, call.layer
    axes = _axes(layer, len(call.input_shape))
    square_sum = b.reduce("ReduceSum", b.op("Mul", [call.input, call.input]), axes)
    return b.op("Div", [call.input, b.op("Sqrt", [b.op("Max", [square_sum, b.scalar(1e-24)])])])
