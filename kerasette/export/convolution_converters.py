"""Convolutions (1-D to 3-D; plain, depthwise, separable and transposed) as ONNX Conv/ConvTranspose.

Keras tensors are channels-last and ONNX convolutions channels-first, so each convolution transposes its input
to channels-first and its output back; ``GraphBuilder.transpose`` cancels the pairs between consecutive
convolutions. Kernels are re-laid out once, here: Keras ``(k..., in, out)`` becomes ONNX ``(out, in, k...)``.
"""

import numpy as np

from kerasette import layers
from kerasette.export.activation_converters import apply_activation
from kerasette.export.registry import register_converter
from kerasette.ops.transposed import transpose_padding


def to_channels_first(rank):
    """The permutation from ``(batch, spatial..., channels)`` to ``(batch, channels, spatial...)``."""
    return [0, rank + 1, *range(1, rank + 1)]


def to_channels_last(rank):
    """The permutation from ``(batch, channels, spatial...)`` to ``(batch, spatial..., channels)``."""
    return [0, *range(2, rank + 2), 1]


def window_padding(sizes, window, strides, dilation, padding):
    """ONNX ``pads`` (all befores, then all afters) for Keras's ``"valid"``/``"same"``, or None if unknown.

    ``"same"`` pads ``max((out - 1) * stride + span - size, 0)`` in total, the extra pixel after, as Keras
    (TensorFlow) does. With an unknown spatial size the caller uses ``auto_pad="SAME_UPPER"`` instead.

    Args:
        sizes: the input's spatial sizes (None where unknown).
        window: the kernel or pool size per axis.
        strides: the stride per axis.
        dilation: the dilation per axis.
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (1-D: everything before).

    Returns:
        A list of ``2 * rank`` ints, or None.
    """
    rank = len(window)
    if padding == "valid":
        return [0] * (2 * rank)
    if padding == "causal":
        return [(window[0] - 1) * dilation[0], 0]
    if any(size is None for size in sizes):
        return None
    before, after = [], []
    for size, k, s, d in zip(sizes, window, strides, dilation):
        out = -(-size // s)
        total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
        before.append(total // 2)
        after.append(total - total // 2)
    return before + after


def channels_first_window(call, op_type, inputs, window, strides, dilation=None, padding="valid", **attributes):
    """Run ``op_type`` (Conv, MaxPool...) on channels-first data and return the channels-last result."""
    b, rank = call.builder, len(window)
    dilation = dilation or (1,) * rank
    pads = window_padding(call.input_shape[1:-1], window, strides, dilation, padding)
    x = b.transpose(inputs[0], to_channels_first(rank))
    if op_type == "Conv":
        attributes["dilations"] = list(dilation)
    y = b.op(op_type, [x, *inputs[1:]], kernel_shape=list(window), strides=list(strides), pads=pads,
             auto_pad="SAME_UPPER" if pads is None else None, **attributes)
    return b.transpose(y, to_channels_last(rank))


def _conv_weight(kernel):
    """Keras ``(k..., in, out)`` -> ONNX ``(out, in, k...)``."""
    rank = kernel.ndim - 2
    return np.transpose(kernel, (rank + 1, rank, *range(rank)))


def _depthwise_weight(kernel):
    """Keras ``(k..., in, multiplier)`` -> ONNX grouped ``(in * multiplier, 1, k...)`` (channel c*m + j)."""
    rank = kernel.ndim - 2
    flat = kernel.reshape(kernel.shape[:rank] + (-1,))
    return np.transpose(flat, (rank, *range(rank)))[:, None]


def _conv(call, weight, bias, group=1):
    b, layer = call.builder, call.layer
    inputs = [call.input, b.constant(weight, "kernel")]
    if bias is not None:
        inputs.append(b.constant(bias, "bias"))
    return channels_first_window(call, "Conv", inputs, layer.kernel_size, layer.strides, layer.dilation_rate,
                                 layer.padding, group=group)


@register_converter(layers.Conv1D, layers.Conv2D, layers.Conv3D)
def conv(call):
    """Conv1D/2D/3D (``"causal"`` padding included): ONNX Conv."""
    y = _conv(call, _conv_weight(call.weights["kernel"]), call.weights.get("bias"))
    return apply_activation(call, call.layer.activation, y)


@register_converter(layers.DepthwiseConv1D, layers.DepthwiseConv2D)
def depthwise_conv(call):
    """DepthwiseConv1D/2D: ONNX Conv with one group per input channel."""
    kernel = call.weights["kernel"]
    y = _conv(call, _depthwise_weight(kernel), call.weights.get("bias"), group=kernel.shape[-2])
    return apply_activation(call, call.layer.activation, y)


@register_converter(layers.SeparableConv1D, layers.SeparableConv2D)
def separable_conv(call):
    """SeparableConv1D/2D: the depthwise Conv, then a 1x1 Conv with the bias."""
    b, layer = call.builder, call.layer
    depthwise = call.weights["depthwise_kernel"]
    rank = depthwise.ndim - 2
    y = _conv(call, _depthwise_weight(depthwise), None, group=depthwise.shape[-2])
    pointwise = [b.transpose(y, to_channels_first(rank)), b.constant(_conv_weight(call.weights["pointwise_kernel"]),
                                                                      "pointwise_kernel")]
    if call.weights.get("bias") is not None:
        pointwise.append(b.constant(call.weights["bias"], "bias"))
    y = b.op("Conv", pointwise, kernel_shape=[1] * rank)
    return apply_activation(call, layer.activation, b.transpose(y, to_channels_last(rank)))


@register_converter(layers.Conv1DTranspose, layers.Conv2DTranspose, layers.Conv3DTranspose)
def conv_transpose(call):
    """Conv1D/2D/3DTranspose: ONNX ConvTranspose; the kernel ``(k..., out, in)`` becomes ``(in, out, k...)``.

    Keras's geometry pads the zero-dilated input by ``(left, right)`` before a stride-1 convolution; ONNX
    crops ``k - 1 - left`` and ``k - 1 - right`` from the full transposed convolution, and grows the end by
    ``output_padding`` where ``right`` exceeds ``k - 1``.
    """
    b, layer = call.builder, call.layer
    kernel = call.weights["kernel"]
    rank = kernel.ndim - 2
    begins, ends, extra = [], [], []
    for i in range(rank):
        out_pad = None if layer.output_padding is None else layer.output_padding[i]
        left, right, _ = transpose_padding(1, layer.kernel_size[i], layer.strides[i], layer.padding, out_pad,
                                           layer.dilation_rate[i])
        span = (layer.kernel_size[i] - 1) * layer.dilation_rate[i] + 1
        begins.append(span - 1 - left)
        ends.append(max(span - 1 - right, 0))
        extra.append(max(right - (span - 1), 0))
    inputs = [b.transpose(call.input, to_channels_first(rank)),
              b.constant(np.transpose(kernel, (rank + 1, rank, *range(rank))), "kernel")]
    if call.weights.get("bias") is not None:
        inputs.append(b.constant(call.weights["bias"], "bias"))
    y = b.op("ConvTranspose", inputs, kernel_shape=list(layer.kernel_size), strides=list(layer.strides),
             dilations=list(layer.dilation_rate), pads=begins + ends,
             output_padding=extra if any(extra) else None)
    return apply_activation(call, layer.activation, b.transpose(y, to_channels_last(rank)))
