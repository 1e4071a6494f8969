"""Differentiable neural-network ops: activations, softmax, convolutions, pooling.

The fused ops (softmax, log_softmax, conv, depthwise_conv, pooling) have hand-written
gradients that call the backend's backward primitives; the rest are
composites whose gradients come from the tape.
"""

import math as _math

from kerasette import ops as m
from kerasette.backends import current as _backend
from kerasette.backends.sliding_window import conv_output_length as _conv_output_length
from kerasette.ops._helpers import _data, _shape, _unary_using_output
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.tensor import Tensor

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def relu(x):
    B = _backend()
    y = B.maximum(_data(x), 0.0)  # the rule captures the array, not the output Tensor (no reference cycle)
    return make_tensor(y, (x,), [lambda g: Tensor(B.relu_backward(g.data, y))])


def bias_add_relu(x, bias):
    """``relu(x + bias)`` with ``bias`` along the last axis, in one fused pass (``ops.fusion`` picks it for Dense).

    The gradient masks ``g`` once with the output and shares it: ``x`` gets the masked gradient,
    ``bias`` its sum over every axis but the last.

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


def relu6(x):
    return m.clip(x, 0.0, 6.0)


def leaky_relu(x, negative_slope=0.2):
    return m.where(m.greater(x, 0.0), x, m.multiply(x, negative_slope))


def elu(x, alpha=1.0):
    negative_part = m.multiply(m.subtract(m.exp(m.minimum(x, 0.0)), 1.0), alpha)
    return m.where(m.greater(x, 0.0), x, negative_part)


def selu(x):
    return m.multiply(elu(x, _SELU_ALPHA), _SELU_SCALE)


def softplus(x):
    """``log(1 + e^x)`` without overflow; the ``where`` form keeps the exact gradient (1/2) at 0."""
    positive = m.add(x, m.log1p(m.exp(m.negative(m.maximum(x, 0.0)))))
    return m.where(m.greater(x, 0.0), positive, m.log1p(m.exp(m.minimum(x, 0.0))))


def silu(x):
    return m.multiply(x, m.sigmoid(x))


swish = silu


def gelu(x, approximate=True):
    if approximate:
        inner = m.multiply(m.add(x, m.multiply(m.power(x, 3.0), 0.044715)), _math.sqrt(2.0 / _math.pi))
        return m.multiply(m.multiply(x, 0.5), m.add(m.tanh(inner), 1.0))
    return m.multiply(m.multiply(x, 0.5), m.add(m.erf(m.divide(x, _math.sqrt(2.0))), 1.0))


def softmax(x, axis=-1):
    def grad(g, y):
        inner = m.sum(m.multiply(g, y), axis=axis, keepdims=True)
        return m.multiply(y, m.subtract(g, inner))

    out = _unary_using_output("softmax", x, grad, axis)
    if axis in (-1, len(_shape(x)) - 1):
        out.logits, out.logits_from = x, "softmax"
    return out


def log_softmax(x, axis=-1):
    def grad(g, y):
        return m.subtract(g, m.multiply(m.exp(y), m.sum(g, axis=axis, keepdims=True)))

    return _unary_using_output("log_softmax", x, grad, axis)


# ----- convolution and pooling --------------------------------------------
def _pair(value, name):
    if isinstance(value, int):
        return (value, value)
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"Expected `{name}` to be an int or a pair of ints. Received: {name}={value}")
    return value


def explicit_padding(padding, input_hw, window, strides, dilation=(1, 1)):
    """((top, bottom), (left, right)) for Keras's "valid" or "same" padding."""
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
        raise ValueError(f"`{op}` expects NHWC inputs of rank 4. Received inputs of shape {tuple(x_shape)}.")
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


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """2-D cross-correlation of NHWC ``inputs`` with an (kh, kw, in, out) kernel."""
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


def conv_bias_relu(inputs, kernel, bias, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """``relu(conv(inputs, kernel, ...) + bias)`` as one fused op (``ops.fusion`` picks it for Conv2D).

    The backend adds the bias and applies the ReLU while each block of the output is still in cache,
    and computes every gradient from one pass over the masked output gradient.
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


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise 2-D cross-correlation: input channel ``c`` meets only ``kernel[:, :, c, :]``.

    ``kernel`` is (kh, kw, in, multiplier); output channel ``c * multiplier + k`` is input channel
    ``c`` correlated with ``kernel[:, :, c, k]`` (Keras's and TensorFlow's order).
    """
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


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """``depthwise_conv`` with a (kh, kw, in, multiplier) kernel, then a 1x1 ``conv`` with a
    (1, 1, in * multiplier, out) kernel."""
    p_shape, d_shape = tuple(_shape(pointwise_kernel)), tuple(_shape(depthwise_kernel))
    if len(p_shape) != 4 or p_shape[:2] != (1, 1) or len(d_shape) != 4 or p_shape[2] != d_shape[2] * d_shape[3]:
        raise ValueError(
            "`separable_conv` expects a (kh, kw, in, multiplier) depthwise kernel and a (1, 1, in * multiplier, "
            f"out) pointwise kernel. Received kernels of shapes {d_shape} and {p_shape}."
        )
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    pool_size = _pair(pool_size, "pool_size")
    strides = pool_size if strides is None else _pair(strides, "strides")
    x_shape = _shape(inputs)
    pads = _padding(padding, x_shape, pool_size, strides, (1, 1), "max_pool")
    B = _backend()

    y = B.max_pool2d(_data(inputs), pool_size, strides, pads)

    def grad(g):  # captures the output array, not the output Tensor (no reference cycle)
        return Tensor(B.max_pool2d_backward(_data(inputs), y, g.data, pool_size, strides, pads))

    return make_tensor(y, (inputs,), [grad])


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    pool_size = _pair(pool_size, "pool_size")
    strides = pool_size if strides is None else _pair(strides, "strides")
    x_shape = _shape(inputs)
    pads = _padding(padding, x_shape, pool_size, strides, (1, 1), "average_pool")
    B = _backend()

    def grad(g):
        return Tensor(B.avg_pool2d_backward(g.data, x_shape, pool_size, strides, pads))

    return make_tensor(B.avg_pool2d(_data(inputs), pool_size, strides, pads), (inputs,), [grad])
