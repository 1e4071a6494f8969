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
    "int8_matmul": "int8_matmul(a, b) -> int32: int8 a (..., M, K) times int8 b (..., K, N), leading axes broadcast, "
    "exact integer sums (int8 quantization)",
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
    # recurrent steps (time-major sequences; see kerasette/ops/recurrent.py and backends/numpy/recurrent.py):
    # xz[t] is step t's input projection, hz = h @ recurrent_kernel, mask[t] nonzero computes step t
    # (masked steps carry the state and repeat the previous output, or zero it with zero_output);
    # activations are names among tanh, sigmoid, hard_sigmoid, relu, linear
    "simple_rnn_step": "simple_rnn_step(xz, t, hz, h, out, mask, activation, zero_output) -> (h_t, out_t, cache): "
    "h' = act(xz[t] + hz)",
    "simple_rnn_step_backward": "simple_rnn_step_backward(dy, t, dhr, dh, dout, cache, mask, activation, "
    "zero_output) -> (dz, dh_pass, dout_pass): the gradient of h_t is dhr + dh, of out_t dy[t] + dout",
    "lstm_step": "lstm_step(xz, t, hz, h, c, out, mask, activation, recurrent_activation, zero_output) -> (h_t, c_t, "
    "out_t, cache): gates i, f, c, o of xz[t] + hz; cache (batch, 5 units) = activated gates and the new cell",
    "lstm_step_backward": "lstm_step_backward(dy, t, dhr, dh, dc, dout, cache, c_prev, mask, activation, "
    "recurrent_activation, zero_output) -> (dz, dh_pass, dc_prev, dout_pass)",
    "gru_step": "gru_step(xz, t, hz, rbias, h, out, mask, activation, recurrent_activation, zero_output) -> (h_t, "
    "out_t, cache): reset after, gates z, r, h; cache (batch, 4 units) = z, r, hh, hz_h + rbias_h",
    "gru_step_backward": "gru_step_backward(dy, t, dhr, dh, dout, cache, h_prev, mask, activation, "
    "recurrent_activation, zero_output) -> (dxz, dhz, dh_direct, dout_pass)",
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
    # more elementwise math, unary (numpy's ufunc of the same name; erfc, erfinv, i0, i1 as scipy.special's)
    **{name: f"{name}(x)" for name in (
        "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh", "arctanh", "expm1",
        "exp2", "log2", "log10", "cbrt", "floor", "ceil", "trunc", "erfc", "erfinv", "i0", "i1")},
    "rint": "rint(x) -> round half to even",
    "isnan": "isnan(x) -> bool array",
    "isinf": "isinf(x) -> bool array",
    "signbit": "signbit(x) -> bool array",
    "bitwise_invert": "bitwise_invert(x) -> numpy's invert (~x) of an integer or bool array",
    # more elementwise math, binary (broadcasting; numpy's ufunc of the same name)
    **{name: f"{name}(a, b)" for name in (
        "arctan2", "hypot", "fmod", "nextafter", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
        "right_shift", "gcd", "lcm")},
    "mod": "mod(a, b) -> numpy's remainder: the sign of b",
    "floor_divide": "floor_divide(a, b) -> numpy's floor_divide",
    "logical_or": "logical_or(a, b) -> bool array",
    "logical_xor": "logical_xor(a, b) -> bool array",
    # more reductions, and scans along one axis
    "prod": "prod(x, axis=None, keepdims=False)",
    "any": "any(x, axis=None, keepdims=False) -> bool array",
    "argmin": "argmin(x, axis) -> int64 array",
    "cumsum": "cumsum(x, axis) -> numpy's cumsum along an int axis",
    "cumprod": "cumprod(x, axis) -> numpy's cumprod along an int axis",
    # sorting (a device may compute these on the host)
    "sort": "sort(x, axis)",
    "argsort": "argsort(x, axis) -> int64 array, stable",
    # matrix decompositions over the last two axes (a device may compute these on the host)
    "cholesky": "cholesky(x) -> lower-triangular L with x = L L^T",
    "det": "det(x)",
    "slogdet": "slogdet(x) -> (sign, log|det|)",
    "inv": "inv(x)",
    "solve": "solve(a, b) -> numpy.linalg.solve",
    "solve_triangular": "solve_triangular(a, b, lower) -> solve reading only a's lower (or upper) triangle",
    "qr": "qr(x, mode) -> (q, r), mode 'reduced' or 'complete'",
    "svd": "svd(x, full_matrices, compute_uv) -> (u, s, vh), or s alone when not compute_uv",
    "eigh": "eigh(x) -> (eigenvalues ascending, eigenvectors as columns) of symmetric x",
    "lu_factor": "lu_factor(x) -> (lu, pivots) as LAPACK getrf, pivots 0-based int32",
    # discrete Fourier transforms; complex values travel as (real, imag) pairs (a device may use the host)
    "fft": "fft(real, imag, axes, inverse) -> (real, imag) of numpy.fft.fftn (ifftn when inverse) over axes",
    "rfft": "rfft(x, n) -> (real, imag) of numpy.fft.rfft along the last axis",
    "irfft": "irfft(real, imag, n) -> numpy.fft.irfft along the last axis",
    # image resampling (Keras's ops.image.affine_transform; the rules are in backends/numpy/image_ops.py)
    "affine_transform": "affine_transform(images, transforms, interpolation, fill_mode, fill_value) -> images "
    "(N, H, W, C) resampled: output (y, x) of image n reads the input at x' = (a0 x + a1 y + a2) / k, "
    "y' = (b0 x + b1 y + b2) / k, k = c0 x + c1 y + 1, transforms[n] = [a0, a1, a2, b0, b1, b2, c0, c1]; "
    "interpolation 'nearest' (halves to even) or 'bilinear'; taps outside read through fill_mode 'constant' "
    "(fill_value), 'nearest', 'wrap', 'mirror' or 'reflect'",
    "affine_transform_backward": "affine_transform_backward(grad, transforms, interpolation, fill_mode) -> the "
    "gradient with respect to images: each output's grad added into the input pixels it read, times their "
    "weights (a device may compute this on the host)",
}

__all__ = ["PRIMITIVES"]
