"""Differentiable neural-network ops: activations, softmax, convolutions, pooling.

The fused ops (softmax, log_softmax, conv, depthwise_conv, pooling) have hand-written
gradients that call the backend's backward primitives; the rest are
composites whose gradients come from the tape.
"""

from __future__ import annotations

import math as _math
from typing import Optional, Sequence, Tuple

from kerasette import ops as m
from kerasette.backends import current as _backend
from kerasette.backends.sliding_window import conv_output_length as _conv_output_length
from kerasette.ops._helpers import _data, _shape, _unary_using_output
from kerasette.ops._types import IntOrPair, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.tensor import Tensor

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def relu(x: TensorLike) -> Tensor:
    """Rectified linear unit, ``max(x, 0)`` elementwise.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.relu(ops.convert_to_tensor([-1.0, 0.0, 2.5])).numpy().tolist()
        [0.0, 0.0, 2.5]
    """
    B = _backend()
    y = B.maximum(_data(x), 0.0)  # the rule captures the array, not the output Tensor (no reference cycle)
    return make_tensor(y, (x,), [lambda g: Tensor(B.relu_backward(g.data, y))])


def bias_add_relu(x: TensorLike, bias: TensorLike) -> Tensor:
    """``relu(x + bias)`` with ``bias`` along the last axis, in one fused pass (``ops.fusion`` picks it for Dense).

    The gradient masks ``g`` once with the output and shares it: ``x`` gets the masked gradient,
    ``bias`` its sum over every axis but the last. Not a Keras op.

    Args:
        x: a tensor of rank >= 1.
        bias: a vector as long as the last axis of ``x``.

    Returns:
        A Tensor shaped like ``x``.

    Raises:
        ValueError: when ``bias`` is not a vector as long as the last axis of ``x``.
    """
    x_shape, b_shape = tuple(_shape(x)), tuple(_shape(bias))
    if not x_shape or b_shape != x_shape[-1:]:
        raise ValueError(
            f"`bias_add_relu` expects a bias of shape (x.shape[-1],). Received x of shape {x_shape} and a bias "
            f"of shape {b_shape}."
        )
    B = _backend()
    y = B.bias_add_relu(_data(x), _data(bias))
    masked = {}

    def grad_x(g):
        if masked.get("g") is not g:  # computed once for both parents
            masked["g"], masked["dx"] = g, Tensor(B.relu_backward(g.data, y))
        return masked["dx"]

    def grad_bias(g):
        return m.sum(m.reshape(grad_x(g), (-1, b_shape[0])), axis=0)

    return make_tensor(y, (x, bias), [grad_x, grad_bias])


def relu6(x: TensorLike) -> Tensor:
    """ReLU capped at 6: ``min(max(x, 0), 6)`` elementwise.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return m.clip(x, 0.0, 6.0)


def leaky_relu(x: TensorLike, negative_slope: float = 0.2) -> Tensor:
    """Leaky ReLU: ``x`` where ``x > 0``, else ``negative_slope * x``.

    Args:
        x: the input tensor.
        negative_slope: the slope for negative inputs.

    Returns:
        A Tensor of the same shape.
    """
    return m.where(m.greater(x, 0.0), x, m.multiply(x, negative_slope))


def elu(x: TensorLike, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        x: the input tensor.
        alpha: the scale of the negative part.

    Returns:
        A Tensor of the same shape.
    """
    negative_part = m.multiply(m.subtract(m.exp(m.minimum(x, 0.0)), 1.0), alpha)
    return m.where(m.greater(x, 0.0), x, negative_part)


def selu(x: TensorLike) -> Tensor:
    """Scaled ELU, ``scale * elu(x, alpha)`` with ``alpha ~ 1.6733`` and ``scale ~ 1.0507`` (Klambauer et al., 2017).

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return m.multiply(elu(x, _SELU_ALPHA), _SELU_SCALE)


def softplus(x: TensorLike) -> Tensor:
    """``log(1 + e^x)`` elementwise, without overflow.

    The ``where`` form keeps the exact gradient (1/2) at 0.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    positive = m.add(x, m.log1p(m.exp(m.negative(m.maximum(x, 0.0)))))
    return m.where(m.greater(x, 0.0), positive, m.log1p(m.exp(m.minimum(x, 0.0))))


def silu(x: TensorLike) -> Tensor:
    """Sigmoid linear unit ``x * sigmoid(x)`` (alias ``swish``).

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return m.multiply(x, m.sigmoid(x))


swish = silu


def gelu(x: TensorLike, approximate: bool = True) -> Tensor:
    """Gaussian error linear unit, ``x * P(X <= x)`` for a standard normal ``X``.

    Args:
        x: the input tensor.
        approximate: use the tanh approximation
            ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))``; False uses the exact
            ``0.5 * x * (1 + erf(x / sqrt(2)))``.

    Returns:
        A Tensor of the same shape.
    """
    if approximate:
        inner = m.multiply(m.add(x, m.multiply(m.power(x, 3.0), 0.044715)), _math.sqrt(2.0 / _math.pi))
        return m.multiply(m.multiply(x, 0.5), m.add(m.tanh(inner), 1.0))
    return m.multiply(m.multiply(x, 0.5), m.add(m.erf(m.divide(x, _math.sqrt(2.0))), 1.0))


def softmax(x: TensorLike, axis: int = -1) -> Tensor:
    """Softmax along ``axis``: ``exp(x - max(x)) / sum(exp(x - max(x)))``.

    A softmax over the last axis remembers ``x`` as its logits, so the cross-entropy losses
    can use the stable log-softmax form on it.

    Args:
        x: the input tensor (logits).
        axis: the axis normalised to sum to 1.

    Returns:
        A Tensor of the same shape, with values in [0, 1].

    Example:
        >>> from kerasette import ops
        >>> y = ops.softmax(ops.convert_to_tensor([1.0, 2.0, 3.0]))
        >>> [round(v, 4) for v in y.numpy().tolist()]
        [0.09, 0.2447, 0.6652]
    """

    def grad(g, y):
        inner = m.sum(m.multiply(g, y), axis=axis, keepdims=True)
        return m.multiply(y, m.subtract(g, inner))

    out = _unary_using_output("softmax", x, grad, axis)
    if axis in (-1, len(_shape(x)) - 1):
        out.logits, out.logits_from = x, "softmax"
    return out


def log_softmax(x: TensorLike, axis: int = -1) -> Tensor:
    """Logarithm of the softmax along ``axis``, computed stably as ``x - logsumexp(x)``.

    Args:
        x: the input tensor (logits).
        axis: the axis the softmax normalises.

    Returns:
        A Tensor of the same shape, with values <= 0.
    """

    def grad(g, y):
        return m.subtract(g, m.multiply(m.exp(y), m.sum(g, axis=axis, keepdims=True)))

    return _unary_using_output("log_softmax", x, grad, axis)


# ----- convolution and pooling --------------------------------------------
def _pair(value: IntOrPair, name: str) -> Tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    if type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int:
        return value  # the layers' own form, on every call
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"Expected `{name}` to be an int or a pair of ints. Received: {name}={value}")
    return value


def explicit_padding(
    padding: str,
    input_hw: Sequence[int],
    window: Sequence[int],
    strides: Sequence[int],
    dilation: Sequence[int] = (1, 1),
) -> Tuple[Tuple[int, int], ...]:
    """``((top, bottom), (left, right))`` for Keras's "valid" or "same" padding.

    "same" pads so that the output has ``ceil(size / stride)`` pixels per side, putting the odd
    pixel (if any) at the bottom and right, as TensorFlow does. Not a Keras op.

    Args:
        padding: ``"valid"`` or ``"same"``.
        input_hw: the input's height and width.
        window: the window's (kernel's) height and width.
        strides: the strides along height and width.
        dilation: the dilation along height and width.

    Returns:
        One ``(before, after)`` pair per spatial axis.

    Raises:
        ValueError: for another ``padding``.

    Example:
        >>> from kerasette import ops
        >>> ops.explicit_padding("same", (5, 5), (3, 3), (1, 1))
        ((1, 1), (1, 1))
        >>> ops.explicit_padding("same", (4, 4), (2, 2), (1, 1))
        ((0, 1), (0, 1))
    """
    if padding == "valid":
        return ((0, 0), (0, 0))
    if padding != "same":
        raise ValueError(f'Expected `padding` to be "valid" or "same". Received: padding={padding!r}')
    pads = []
    for size, k, s, d in zip(input_hw, window, strides, dilation):
        out = _conv_output_length(size, k, "same", s, d)
        total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def _padding(padding, x_shape, window, strides, dilation, op):
    """explicit_padding, refusing input too small to give an output pixel."""
    if len(x_shape) != 4:
        raise ValueError(f"`{op}` expects channels-last inputs of rank 3, 4 or 5 (batch, spatial axes, channels). "
                         f"Received inputs of shape {tuple(x_shape)}.")
    if isinstance(padding, str):
        padding = padding.lower()
    pads = explicit_padding(padding, x_shape[1:3], window, strides, dilation)
    for size, (before, after), k, d in zip(x_shape[1:3], pads, window, dilation):
        if size + before + after < (k - 1) * d + 1:
            raise ValueError(
                f"`{op}` with padding={padding!r} needs inputs of at least {(k - 1) * d + 1} pixels per side "
                f"(window {tuple(window)}, dilation {tuple(dilation)}). Received input shape {tuple(x_shape)}."
            )
    return pads


def _conv_arguments(op, inputs, kernel, strides, padding, data_format, dilation_rate, layout):
    """Checked (x_shape, k_shape, strides, explicit padding, dilation) for the convolution ops."""
    if data_format not in (None, "channels_last"):
        raise ValueError(f'Only data_format="channels_last" is supported. Received: {data_format!r}')
    strides, dilation = _pair(strides, "strides"), _pair(dilation_rate, "dilation_rate")
    x_shape, k_shape = tuple(_shape(inputs)), tuple(_shape(kernel))
    if len(x_shape) != 4 or len(k_shape) != 4 or x_shape[3] != k_shape[2]:
        raise ValueError(
            f"`{op}` expects NHWC inputs and a {layout} kernel with matching `in`. "
            f"Received inputs of shape {x_shape} and a kernel of shape {k_shape}."
        )
    pads = _padding(padding, x_shape, k_shape[:2], strides, dilation, op)
    return x_shape, k_shape, strides, pads, dilation


def conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: IntOrPair = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
    dilation_rate: IntOrPair = 1,
) -> Tensor:
    """2-D convolution (cross-correlation, as in Keras) of NHWC ``inputs`` with an (kh, kw, in, out) kernel.

    1-D inputs ``(batch, width, in)`` with a ``(k, in, out)`` kernel and 3-D inputs ``(batch, depth, height,
    width, in)`` with a ``(kd, kh, kw, in, out)`` kernel are accepted too (``kerasette.ops.convolution`` runs
    them on the 2-D primitives).

    Args:
        inputs: an NHWC tensor ``(batch, height, width, in)``.
        kernel: a tensor ``(kh, kw, in, out)``.
        strides: an int or a pair ``(sh, sw)``: the step of the window along height and width.
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that, with stride 1, the output has
            the input's height and width); case-insensitive.
        data_format: None or ``"channels_last"``, the only layout supported (NHWC).
        dilation_rate: an int or a pair: the spacing between the kernel's taps (atrous convolution).

    Returns:
        An NHWC Tensor ``(batch, out_height, out_width, out)``.

    Raises:
        ValueError: for shapes that do not match, another ``data_format``, or inputs smaller than the
            (dilated) kernel with "valid" padding.

    Example:
        >>> from kerasette import ops
        >>> y = ops.conv(ops.ones((1, 3, 3, 1)), ops.ones((2, 2, 1, 1)))
        >>> y.shape, y.numpy().ravel().tolist()
        ((1, 2, 2, 1), [4.0, 4.0, 4.0, 4.0])
        >>> ops.conv(ops.ones((1, 3, 3, 1)), ops.ones((2, 2, 1, 1)), padding="same").shape
        (1, 3, 3, 1)
    """
    if len(_shape(inputs)) != len(_shape(kernel)):
        raise ValueError(f"`conv` expects a kernel with as many axes as the inputs (spatial axes, then in and out "
                         f"channels). Received inputs of shape {tuple(_shape(inputs))} and a kernel of shape "
                         f"{tuple(_shape(kernel))}.")
    if len(_shape(inputs)) in (3, 5):
        from kerasette.ops import convolution

        convolution.check_format(data_format)
        return convolution.conv_nd(inputs, kernel, strides, padding, dilation_rate)
    x_shape, k_shape, strides, pads, dilation = _conv_arguments(
        "conv", inputs, kernel, strides, padding, data_format, dilation_rate, "(kh, kw, in, out)"
    )
    B = _backend()

    def grad_inputs(g):
        return Tensor(B.conv2d_backward_input(g.data, _data(kernel), x_shape, strides, pads, dilation))

    def grad_kernel(g):
        return Tensor(B.conv2d_backward_kernel(_data(inputs), g.data, k_shape, strides, pads, dilation))

    out = B.conv2d(_data(inputs), _data(kernel), strides, pads, dilation)
    return make_tensor(out, (inputs, kernel), [grad_inputs, grad_kernel])


def conv_bias_relu(
    inputs: TensorLike,
    kernel: TensorLike,
    bias: TensorLike,
    strides: IntOrPair = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
    dilation_rate: IntOrPair = 1,
) -> Tensor:
    """``relu(conv(inputs, kernel, ...) + bias)`` as one fused op (``ops.fusion`` picks it for Conv2D).

    The backend adds the bias and applies the ReLU while each block of the output is still in cache,
    and computes every gradient from one pass over the masked output gradient. Not a Keras op.

    Args:
        inputs: an NHWC tensor ``(batch, height, width, in)``.
        kernel: a tensor ``(kh, kw, in, out)``.
        bias: a vector of length ``out``.
        strides: an int or a pair ``(sh, sw)``: the step of the window along height and width.
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that, with stride 1, the output has
            the input's height and width); case-insensitive.
        data_format: None or ``"channels_last"``, the only layout supported (NHWC).
        dilation_rate: an int or a pair: the spacing between the kernel's taps (atrous convolution).

    Returns:
        An NHWC Tensor ``(batch, out_height, out_width, out)``.

    Raises:
        ValueError: as ``conv``, or for a bias of the wrong shape.
    """
    x_shape, k_shape, strides, pads, dilation = _conv_arguments(
        "conv_bias_relu", inputs, kernel, strides, padding, data_format, dilation_rate, "(kh, kw, in, out)"
    )
    if tuple(_shape(bias)) != k_shape[3:]:
        raise ValueError(f"`conv_bias_relu` expects a bias of shape ({k_shape[3]},). Received a bias of shape "
                         f"{tuple(_shape(bias))}.")
    B = _backend()
    x, k = _data(inputs), _data(kernel)
    y = B.conv2d_bias_relu(x, k, _data(bias), strides, pads, dilation)
    done = {}

    def gradients(g):
        if done.get("g") is not g:  # one backend call serves the three parents
            need_dx = isinstance(inputs, Tensor) and inputs.tracked
            done["g"] = g
            done["dx"], done["dk"], done["db"] = B.conv2d_bias_relu_backward(x, y, g.data, k, strides, pads, dilation,
                                                                             need_dx)
        return done

    return make_tensor(y, (inputs, kernel, bias), [lambda g: Tensor(gradients(g)["dx"]),
                                                   lambda g: Tensor(gradients(g)["dk"]),
                                                   lambda g: Tensor(gradients(g)["db"])])


def depthwise_conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: IntOrPair = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
    dilation_rate: IntOrPair = 1,
) -> Tensor:
    """Depthwise 2-D cross-correlation: input channel ``c`` meets only ``kernel[:, :, c, :]``.

    ``kernel`` is (kh, kw, in, multiplier); output channel ``c * multiplier + k`` is input channel
    ``c`` correlated with ``kernel[:, :, c, k]`` (Keras's and TensorFlow's order).

    Args:
        inputs: an NHWC tensor ``(batch, height, width, in)``.
        kernel: a tensor ``(kh, kw, in, multiplier)``.
        strides: an int or a pair ``(sh, sw)``: the step of the window along height and width.
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that, with stride 1, the output has
            the input's height and width); case-insensitive.
        data_format: None or ``"channels_last"``, the only layout supported (NHWC).
        dilation_rate: an int or a pair: the spacing between the kernel's taps (atrous convolution).

    Returns:
        An NHWC Tensor ``(batch, out_height, out_width, in * multiplier)``.

    Raises:
        ValueError: as ``conv``.
    """
    if len(_shape(inputs)) == 3:  # 1-D: (batch, width, in) with a (k, in, multiplier) kernel
        from kerasette.ops import convolution

        convolution.check_format(data_format)
        return convolution.depthwise_conv_1d(inputs, kernel, strides, padding, dilation_rate)
    x_shape, k_shape, strides, pads, dilation = _conv_arguments(
        "depthwise_conv", inputs, kernel, strides, padding, data_format, dilation_rate, "(kh, kw, in, multiplier)"
    )
    B = _backend()

    def grad_inputs(g):
        return Tensor(B.depthwise_conv2d_backward_input(g.data, _data(kernel), x_shape, strides, pads, dilation))

    def grad_kernel(g):
        return Tensor(B.depthwise_conv2d_backward_kernel(_data(inputs), g.data, k_shape, strides, pads, dilation))

    out = B.depthwise_conv2d(_data(inputs), _data(kernel), strides, pads, dilation)
    return make_tensor(out, (inputs, kernel), [grad_inputs, grad_kernel])


def separable_conv(
    inputs: TensorLike,
    depthwise_kernel: TensorLike,
    pointwise_kernel: TensorLike,
    strides: IntOrPair = 1,
    padding: str = "valid",
    data_format: Optional[str] = None,
    dilation_rate: IntOrPair = 1,
) -> Tensor:
    """Separable 2-D convolution: ``depthwise_conv``, then a 1x1 ``conv`` mixing the channels.

    ``strides``, ``padding`` and ``dilation_rate`` apply to the depthwise step; the pointwise step has
    stride 1 and no padding.

    Args:
        inputs: an NHWC tensor ``(batch, height, width, in)``.
        depthwise_kernel: a tensor ``(kh, kw, in, multiplier)``.
        pointwise_kernel: a tensor ``(1, 1, in * multiplier, out)``.
        strides: an int or a pair ``(sh, sw)``: the step of the window along height and width.
        padding: ``"valid"`` (no padding) or ``"same"`` (zero padding so that, with stride 1, the output has
            the input's height and width); case-insensitive.
        data_format: None or ``"channels_last"``, the only layout supported (NHWC).
        dilation_rate: an int or a pair: the spacing between the kernel's taps (atrous convolution).

    Returns:
        An NHWC Tensor ``(batch, out_height, out_width, out)``.

    Raises:
        ValueError: for kernels of the wrong shapes, or as ``conv``.
    """
    if len(_shape(inputs)) == 3:  # 1-D: (k, in, multiplier) and (1, in * multiplier, out) kernels
        from kerasette.ops import convolution

        convolution.check_format(data_format)
        return convolution.separable_conv_1d(inputs, depthwise_kernel, pointwise_kernel, strides, padding,
                                             dilation_rate)
    p_shape, d_shape = tuple(_shape(pointwise_kernel)), tuple(_shape(depthwise_kernel))
    if len(p_shape) != 4 or p_shape[:2] != (1, 1) or len(d_shape) != 4 or p_shape[2] != d_shape[2] * d_shape[3]:
        raise ValueError(
            "`separable_conv` expects a (kh, kw, in, multiplier) depthwise kernel and a (1, 1, in * multiplier, "
            f"out) pointwise kernel. Received kernels of shapes {d_shape} and {p_shape}."
        )
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format)


def max_pool(
    inputs: TensorLike,
    pool_size: IntOrPair,
    strides: Optional[IntOrPair] = None,
    padding: str = "valid",
    data_format: Optional[str] = None,
) -> Tensor:
    """2-D max pooling: the largest value of each window, per channel.

    The gradient goes to the window's maximum. 1-D ``(batch, width, channels)`` and 3-D ``(batch, depth,
    height, width, channels)`` inputs are accepted too (``kerasette.ops.convolution``).

    Args:
        inputs: an NHWC tensor ``(batch, height, width, channels)``.
        pool_size: an int or a pair ``(ph, pw)``: the size of the window.
        strides: an int or a pair: the step of the window (None: ``pool_size``).
        padding: ``"valid"`` (no padding) or ``"same"`` (padding so that the output has
            ``ceil(size / stride)`` pixels per side); case-insensitive.
        data_format: accepted for Keras compatibility and not read: inputs are always NHWC.

    Returns:
        An NHWC Tensor ``(batch, out_height, out_width, channels)``.

    Raises:
        ValueError: for inputs that are not rank 4, an unknown ``padding``, or inputs smaller than the
            window with "valid" padding.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.convert_to_tensor([float(i) for i in range(16)]), (1, 4, 4, 1))
        >>> ops.max_pool(x, 2).numpy().reshape(2, 2).tolist()
        [[5.0, 7.0], [13.0, 15.0]]
    """
    if len(_shape(inputs)) in (3, 5):
        return _pool_other_rank(max_pool, inputs, pool_size, strides, padding)
    pool_size, strides, pads = _pool_window(inputs, pool_size, strides, padding, "max_pool")
    B = _backend()

    y = B.max_pool2d(_data(inputs), pool_size, strides, pads)

    def grad(g):  # captures the output array, not the output Tensor (no reference cycle)
        return Tensor(B.max_pool2d_backward(_data(inputs), y, g.data, pool_size, strides, pads))

    return make_tensor(y, (inputs,), [grad])


def _pool_other_rank(pool, inputs, pool_size, strides, padding):
    """1-D and 3-D pooling, run on the 2-D primitives (``kerasette.ops.convolution``)."""
    from kerasette.ops import convolution

    return convolution.pool_nd(pool, inputs, pool_size, strides, padding)


def _pool_window(inputs, pool_size, strides, padding, op):
    """``(pool_size, strides, pads)`` of a 2-D pooling: pairs, ``strides`` defaulting to ``pool_size``."""
    pool_size = _pair(pool_size, "pool_size")
    strides = pool_size if strides is None else _pair(strides, "strides")
    return pool_size, strides, _padding(padding, _shape(inputs), pool_size, strides, (1, 1), op)


def average_pool(
    inputs: TensorLike,
    pool_size: IntOrPair,
    strides: Optional[IntOrPair] = None,
    padding: str = "valid",
    data_format: Optional[str] = None,
) -> Tensor:
    """2-D average pooling: the mean of each window, per channel.

    1-D ``(batch, width, channels)`` and 3-D ``(batch, depth, height, width, channels)`` inputs are accepted
    too (``kerasette.ops.convolution``).

    Args:
        inputs: an NHWC tensor ``(batch, height, width, channels)``.
        pool_size: an int or a pair ``(ph, pw)``: the size of the window.
        strides: an int or a pair: the step of the window (None: ``pool_size``).
        padding: ``"valid"`` (no padding) or ``"same"`` (padding so that the output has
            ``ceil(size / stride)`` pixels per side); case-insensitive.
        data_format: accepted for Keras compatibility and not read: inputs are always NHWC.

    Returns:
        An NHWC Tensor ``(batch, out_height, out_width, channels)``.

    Raises:
        ValueError: for inputs that are not rank 4, an unknown ``padding``, or inputs smaller than the
            window with "valid" padding.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.convert_to_tensor([float(i) for i in range(16)]), (1, 4, 4, 1))
        >>> ops.average_pool(x, 2).numpy().reshape(2, 2).tolist()
        [[2.5, 4.5], [10.5, 12.5]]
    """
    if len(_shape(inputs)) in (3, 5):
        return _pool_other_rank(average_pool, inputs, pool_size, strides, padding)
    pool_size, strides, pads = _pool_window(inputs, pool_size, strides, padding, "average_pool")
    x_shape = _shape(inputs)
    B = _backend()

    def grad(g):
        return Tensor(B.avg_pool2d_backward(g.data, x_shape, pool_size, strides, pads))

    return make_tensor(B.avg_pool2d(_data(inputs), pool_size, strides, pads), (inputs,), [grad])
