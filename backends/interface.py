"""The primitives every kerasette backend must provide.

A backend is a module that defines each name in ``PRIMITIVES`` and nothing
kerasette relies on beyond them. Arrays are native to the backend (numpy
arrays, OpenCL buffers, ...); layers never see them directly, only through
``kerasette.ops``. ``tests/backends/test_backend_interface.py`` checks that every
registered backend defines every name.

Conventions shared by all primitives:
- ``axis`` is an int, a tuple of ints or None; ``keepdims`` a bool.
- Binary elementwise primitives broadcast like numpy and accept Python
  scalars on either side; the result takes the array operand's dtype.
- Shapes are tuples of Python ints. Dtypes are numpy dtype names
  ("float32", "float64", "int32", "int64", "bool").
- Images are NHWC; convolution kernels are (kh, kw, in, out); ``padding``
  arguments are ((top, bottom), (left, right)) in pixels.
- Random primitives are stateless: the same ``seed`` (a pair of ints) gives
  the same numbers, so a device can generate them from a counter.
"""

PRIMITIVES = {
    # creation and transfer
    "asarray": "asarray(value, dtype=None) -> array on this backend",
    "to_numpy": "to_numpy(x) -> numpy.ndarray copy on the host",
    "zeros": "zeros(shape, dtype)",
    "ones": "ones(shape, dtype)",
    "full": "full(shape, value, dtype)",
    "arange": "arange(start, stop, step, dtype)",
    "shape": "shape(x) -> tuple of ints",
    "dtype": "dtype(x) -> dtype name",
    "cast": "cast(x, dtype)",
    "copy": "copy(x)",
    # elementwise, binary (broadcasting)
    "add": "add(a, b)",
    "subtract": "subtract(a, b)",
    "multiply": "multiply(a, b)",
    "divide": "divide(a, b)",
    "power": "power(a, b)",
    "maximum": "maximum(a, b)",
    "minimum": "minimum(a, b)",
    "equal": "equal(a, b) -> bool array",
    "not_equal": "not_equal(a, b) -> bool array",
    "greater": "greater(a, b) -> bool array",
    "greater_equal": "greater_equal(a, b) -> bool array",
    "less": "less(a, b) -> bool array",
    "less_equal": "less_equal(a, b) -> bool array",
    "logical_and": "logical_and(a, b) -> bool array",
    "where": "where(condition, a, b)",
    # elementwise, unary
    "negative": "negative(x)",
    "abs": "abs(x)",
    "sign": "sign(x)",
    "square": "square(x)",
    "sqrt": "sqrt(x)",
    "exp": "exp(x)",
    "log": "log(x)",
    "log1p": "log1p(x)",
    "tanh": "tanh(x)",
    "sigmoid": "sigmoid(x)",
    "erf": "erf(x)",
    "clip": "clip(x, low, high)",
    "isfinite": "isfinite(x) -> bool array",
    # reductions
    "sum": "sum(x, axis=None, keepdims=False)",
    "mean": "mean(x, axis=None, keepdims=False)",
    "max": "max(x, axis=None, keepdims=False)",
    "min": "min(x, axis=None, keepdims=False)",
    "argmax": "argmax(x, axis) -> int64 array",
    "all": "all(x, axis=None, keepdims=False) -> bool array",
    # shape
    "reshape": "reshape(x, shape)",
    "transpose": "transpose(x, axes)",
    "broadcast_to": "broadcast_to(x, shape)",
    "concatenate": "concatenate(arrays, axis)",
    "slice": "slice(x, starts, stops) -> contiguous copy of x[starts:stops] per axis",
    "pad": "pad(x, pad_width, value) -> pad_width is ((before, after), ...) per axis",
    "one_hot": "one_hot(indices, depth, dtype)",
    # linear algebra
    "matmul": "matmul(a, b) -> batched over leading axes",
    # fused neural-network ops
    "softmax": "softmax(x, axis)",
    "relu_backward": "relu_backward(grad, y) -> grad where y > 0, else 0 (y is the ReLU output)",
    "bias_add_relu": "bias_add_relu(x, bias) -> maximum(x + bias, 0), bias broadcast along the last axis",
    "log_softmax": "log_softmax(x, axis)",
    "conv2d": "conv2d(x, kernel, strides, padding, dilation)",
    "conv2d_backward_input": "conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation)",
    "conv2d_backward_kernel": "conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation)",
    "conv2d_bias_relu": "conv2d_bias_relu(x, kernel, bias, strides, padding, dilation) -> maximum(conv2d(x, kernel, "
    "...) + bias, 0), fused (Conv2D with a bias and ReLU)",
    "conv2d_bias_relu_backward": "conv2d_bias_relu_backward(x, y, grad, kernel, strides, padding, dilation, "
    "input_grad) -> (dx or None, dkernel, dbias) for g = grad where y > 0 (y is the forward's output): "
    "conv2d_backward_input(g, ...) when input_grad, conv2d_backward_kernel(x, g, ...), g summed over N, H, W",
    "max_pool2d": "max_pool2d(x, pool_size, strides, padding)",
    "max_pool2d_backward": "max_pool2d_backward(x, y, grad, pool_size, strides, padding) -> to each window's first max",
    "avg_pool2d": "avg_pool2d(x, pool_size, strides, padding) -> mean over the valid pixels",
    "avg_pool2d_backward": "avg_pool2d_backward(grad, input_shape, pool_size, strides, padding)",
    "depthwise_conv2d": "depthwise_conv2d(x, kernel, strides, padding, dilation) -> kernel (kh, kw, in, mult), "
    "output channel c * mult + k",
    "depthwise_conv2d_backward_input": "depthwise_conv2d_backward_input(grad, kernel, input_shape, strides, padding, "
    "dilation)",
    "depthwise_conv2d_backward_kernel": "depthwise_conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, "
    "dilation)",
    # gather and its gradient
    "take": "take(x, indices, axis) -> numpy.take along an int axis; indices in [-n, n) (negatives count from "
    "the end), others raise IndexError",
    "scatter_add": "scatter_add(shape, indices, updates, axis) -> zeros(shape) plus updates summed in at indices "
    "along axis (repeated indices accumulate; the gradient of take)",
    # random streams (stateless, seeded by a pair of ints)
    "random_uniform": "random_uniform(shape, low, high, dtype, seed)",
    "random_normal": "random_normal(shape, mean, stddev, dtype, seed)",
    "random_permutation": "random_permutation(n, seed) -> int64 array",
    "dropout_mask": "dropout_mask(shape, rate, dtype, seed) -> 1 / (1 - rate) with probability 1 - rate, else 0",
    # in-place updates (optimizer slots and weights)
    "assign": "assign(target, value) -> writes value into target in place",
    "adam_update": "adam_update(variable, gradient, momentum, velocity, alpha, beta_1, beta_2, epsilon) -> in place: "
    "momentum += (gradient - momentum) * (1 - beta_1); velocity += (gradient**2 - velocity) * (1 - beta_2); "
    "variable -= momentum * alpha / (sqrt(velocity) + epsilon)",
    "rmsprop_update": "rmsprop_update(variable, gradient, velocity, learning_rate, rho, epsilon) -> in place: "
    "velocity = velocity * rho + gradient**2 * (1 - rho); "
    "variable -= gradient * learning_rate / sqrt(velocity + epsilon)",
}

__all__ = ["PRIMITIVES"]
