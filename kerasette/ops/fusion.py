"""Fusion decisions, in one place: which op computes ``activation(product + bias)`` for a layer.

Layers say what they compute (a matrix product or a convolution, an optional bias, an activation); the
functions here choose a fused op when one exists for that combination and otherwise apply the plain ops
in order (add the bias, then the activation). A new fused form changes this module only, never a layer.

Today the fused forms are ``bias_add_relu`` (Dense) and ``conv_bias_relu`` (Conv2D), both for a bias with
the ReLU activation. The depthwise and separable convolutions have no fused form yet.

Not part of ``kerasette.ops`` (Keras has no such names): layers import this module directly.
"""

from __future__ import annotations

from typing import Callable, Optional

from kerasette import activations, ops
from kerasette.ops._types import IntOrPair, TensorLike
from kerasette.ops.tensor import Tensor

Activation = Callable[[Tensor], Tensor]


def _add_bias_then_activate(x: Tensor, bias: Optional[TensorLike], activation: Activation) -> Tensor:
    """The unfused path: ``x + bias`` (when there is a bias), then ``activation``."""
    if bias is not None:
        x = ops.add(x, bias)
    return activation(x)


def _fuses_relu(bias: Optional[TensorLike], activation: Activation) -> bool:
    return bias is not None and activation is activations.relu


def bias_activation(x: TensorLike, bias: Optional[TensorLike], activation: Activation) -> Tensor:
    """``activation(x + bias)``, with ``bias`` along the last axis (None for no bias).

    Args:
        x: the tensor, e.g. a Dense layer's ``inputs @ kernel``.
        bias: a vector as long as the last axis of ``x``, or None.
        activation: a callable from ``kerasette.activations``; ``activations.relu`` with a bias is one
            fused op (``ops.bias_add_relu``).

    Returns:
        The activated tensor.
    """
    if _fuses_relu(bias, activation):
        return ops.bias_add_relu(x, bias)  # one fused pass instead of add, then relu
    return _add_bias_then_activate(x, bias, activation)


def conv_bias_activation(
    inputs: TensorLike,
    kernel: TensorLike,
    bias: Optional[TensorLike],
    activation: Activation,
    strides: IntOrPair,
    padding: str,
    dilation_rate: IntOrPair,
) -> Tensor:
    """``activation(ops.conv(inputs, kernel, strides, padding, dilation_rate=dilation_rate) + bias)``.

    Args:
        inputs: the input images.
        kernel: the convolution kernel, in ``ops.conv``'s layout.
        bias: a vector with one entry per output channel, or None.
        activation: a callable from ``kerasette.activations``; ``activations.relu`` with a bias is one
            fused op (``ops.conv_bias_relu``: bias and ReLU applied while each block of the output is in cache).
        strides: as for ``ops.conv``.
        padding: as for ``ops.conv``.
        dilation_rate: as for ``ops.conv``.

    Returns:
        The activated convolution.
    """
    if _fuses_relu(bias, activation):
        return ops.conv_bias_relu(inputs, kernel, bias, strides, padding, dilation_rate=dilation_rate)
    outputs = ops.conv(inputs, kernel, strides, padding, dilation_rate=dilation_rate)
    return _add_bias_then_activate(outputs, bias, activation)


def depthwise_conv_bias_activation(
    inputs: TensorLike,
    kernel: TensorLike,
    bias: Optional[TensorLike],
    activation: Activation,
    strides: IntOrPair,
    padding: str,
    dilation_rate: IntOrPair,
) -> Tensor:
    """``activation(ops.depthwise_conv(inputs, kernel, ...) + bias)``: no fused form yet, so the plain ops.

    Args:
        inputs: the input images.
        kernel: the depthwise kernel, in ``ops.depthwise_conv``'s layout.
        bias: a vector with one entry per output channel, or None.
        activation: a callable from ``kerasette.activations``.
        strides: as for ``ops.depthwise_conv``.
        padding: as for ``ops.depthwise_conv``.
        dilation_rate: as for ``ops.depthwise_conv``.

    Returns:
        The activated convolution.
    """
    outputs = ops.depthwise_conv(inputs, kernel, strides, padding, dilation_rate=dilation_rate)
    return _add_bias_then_activate(outputs, bias, activation)


def separable_conv_bias_activation(
    inputs: TensorLike,
    depthwise_kernel: TensorLike,
    pointwise_kernel: TensorLike,
    bias: Optional[TensorLike],
    activation: Activation,
    strides: IntOrPair,
    padding: str,
    dilation_rate: IntOrPair,
) -> Tensor:
    """``activation(ops.separable_conv(inputs, depthwise_kernel, pointwise_kernel, ...) + bias)``, unfused.

    There is no fused form yet, so the plain ops run in order.

    Args:
        inputs: the input images.
        depthwise_kernel: as for ``ops.separable_conv``.
        pointwise_kernel: as for ``ops.separable_conv``.
        bias: a vector with one entry per output channel, or None.
        activation: a callable from ``kerasette.activations``.
        strides: as for ``ops.separable_conv``.
        padding: as for ``ops.separable_conv``.
        dilation_rate: as for ``ops.separable_conv``.

    Returns:
        The activated convolution.
    """
    outputs = ops.separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides, padding,
                                 dilation_rate=dilation_rate)
    return _add_bias_then_activate(outputs, bias, activation)
