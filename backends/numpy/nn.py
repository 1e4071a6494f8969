"""Numpy neural-network primitives: softmax, convolution, pooling, random.

Convolution follows the measured fast forms for numpy: one GEMM per kernel
tap on a strided view (no im2col buffer) when there are enough input
channels, and a single im2col GEMM when there are few (the first layer of a
network, where per-tap GEMMs would have an inner dimension of 1).
Depthwise convolution is one einsum over the same strided view of patches
(it has no GEMM to feed: each channel meets only its own kernel).
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

_IM2COL_MAX_CHANNELS = 8


def softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _pad_nhwc(x, padding, value=0.0):
    (top, bottom), (left, right) = padding
    if top == bottom == left == right == 0:
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def _output_size(size, window, stride, dilation):
    return (size - (window - 1) * dilation - 1) // stride + 1


def _taps(xp, window, strides, dilation, out_hw):
    """Yield (i, j, view) for every kernel tap: view[n, oh, ow, c] = xp[n, i*dh + oh*sh, ...]."""
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = window, strides, dilation, out_hw
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
            cols = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
            yield i, j, (slice(None), rows, cols, slice(None))


def _patches(xp, window, strides, dilation, out_hw):
    """Read-only view (N, OH, OW, kh, kw, C): view[n, y, x, i, j] = xp[n, y*sh + i*dh, x*sw + j*dw]."""
    n, _, _, c = xp.shape
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = window, strides, dilation, out_hw
    s = xp.strides
    return as_strided(
        xp,
        shape=(n, oh, ow, kh, kw, c),
        strides=(s[0], s[1] * sh, s[2] * sw, s[1] * dh, s[2] * dw, s[3]),
        writeable=False,
    )


def _im2col(xp, window, strides, dilation, out_hw):
    """(N*OH*OW, kh*kw*C) copy of the patches, built from one strided view."""
    view = _patches(xp, window, strides, dilation, out_hw)
    n, oh, ow, kh, kw, c = view.shape
    return view.reshape(n * oh * ow, kh * kw * c)


def _geometry(input_shape, kernel_shape, strides, padding, dilation):
    n, h, w, c = input_shape
    kh, kw = kernel_shape[:2]
    (top, bottom), (left, right) = padding
    oh = _output_size(h + top + bottom, kh, strides[0], dilation[0])
    ow = _output_size(w + left + right, kw, strides[1], dilation[1])
    return (kh, kw), (oh, ow)


def conv2d(x, kernel, strides, padding, dilation):
    window, out_hw = _geometry(x.shape, kernel.shape, strides, padding, dilation)
    xp = np.ascontiguousarray(_pad_nhwc(x, padding))
    n, c, k = x.shape[0], x.shape[3], kernel.shape[3]
    if c <= _IM2COL_MAX_CHANNELS:
        cols = _im2col(xp, window, strides, dilation, out_hw)
        out = cols @ kernel.reshape(-1, k)
    else:
        out = np.zeros((n * out_hw[0] * out_hw[1], k), dtype=np.result_type(x, kernel))
        for i, j, index in _taps(xp, window, strides, dilation, out_hw):
            out += xp[index].reshape(-1, c) @ kernel[i, j]
    return out.reshape(n, out_hw[0], out_hw[1], k)


def conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation):
    window, out_hw = _geometry(input_shape, kernel.shape, strides, padding, dilation)
    n, h, w, c = input_shape
    (top, bottom), (left, right) = padding
    k = kernel.shape[3]
    g = grad.reshape(-1, k)
    dxp = np.zeros((n, h + top + bottom, w + left + right, c), dtype=np.result_type(grad, kernel))
    for i, j, index in _taps(dxp, window, strides, dilation, out_hw):
        dxp[index] += (g @ kernel[i, j].T).reshape(n, out_hw[0], out_hw[1], c)
    return dxp[:, top : top + h, left : left + w, :]


def conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation):
    window, out_hw = _geometry(x.shape, kernel_shape, strides, padding, dilation)
    xp = np.ascontiguousarray(_pad_nhwc(x, padding))
    c, k = x.shape[3], kernel_shape[3]
    g = grad.reshape(-1, k)
    if c <= _IM2COL_MAX_CHANNELS:
        cols = _im2col(xp, window, strides, dilation, out_hw)
        return (cols.T @ g).reshape(kernel_shape)
    dk = np.empty(kernel_shape, dtype=np.result_type(x, grad))
    for i, j, index in _taps(xp, window, strides, dilation, out_hw):
        dk[i, j] = xp[index].reshape(-1, c).T @ g
    return dk


# ----- depthwise convolution ------------------------------------------------
# A (kh, kw, C, M) kernel acts as a (kh, kw, C*M) one on the input with each channel repeated M times
# (channel c*M + k holds x[..., c]), which is exactly Keras's output order: every case is "channelwise".
def _channelwise(xp, kernel, strides, dilation, out_hw, out=None):
    """out[n, y, x, c] = sum_ij xp[n, y*sh + i*dh, x*sw + j*dw, c] * kernel[i, j, c] (one einsum)."""
    patches = _patches(xp, kernel.shape[:2], strides, dilation, out_hw)
    return np.einsum("nhwijc,ijc->nhwc", patches, kernel, out=out)


def _repeat_channels(x, multiplier):
    return x if multiplier == 1 else np.repeat(x, multiplier, axis=3)


def depthwise_conv2d(x, kernel, strides, padding, dilation):
    kh, kw, c, m = kernel.shape
    _, out_hw = _geometry(x.shape, kernel.shape, strides, padding, dilation)
    xp = _repeat_channels(_pad_nhwc(x, padding), m)
    return _channelwise(xp, kernel.reshape(kh, kw, c * m), strides, dilation, out_hw)


def depthwise_conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation):
    """Place the gradient on its stride grid with (k-1)*d zeros around it; the input gradient is then the
    stride-1 correlation of that with the flipped kernel (one einsum, no per-tap scatter)."""
    n, h, w, c = input_shape
    kh, kw, _, m = kernel.shape
    (top, _), (left, _) = padding
    (sh, sw), (dh, dw) = strides, dilation
    _, oh, ow, cm = grad.shape
    eh, ew = (kh - 1) * dh, (kw - 1) * dw
    span_h, span_w = (oh - 1) * sh + 1, (ow - 1) * sw + 1
    placed = np.zeros((n, span_h + 2 * eh, span_w + 2 * ew, cm), dtype=grad.dtype)
    placed[:, eh : eh + span_h : sh, ew : ew + span_w : sw] = grad
    # Only input pixels some window reaches get a gradient; the rest (past the last window) stay 0.
    reached = (max(min(h, span_h + eh - top), 0), max(min(w, span_w + ew - left), 0))
    dx = np.zeros((n, h, w, cm), dtype=np.result_type(grad, kernel))
    flipped = kernel[::-1, ::-1].reshape(kh, kw, cm)
    _channelwise(placed[:, top:, left:], flipped, (1, 1), dilation, reached, out=dx[:, : reached[0], : reached[1]])
    if m == 1:
        return dx
    dx = dx.reshape(n, h, w, c, m)
    total = dx[..., 0].copy()
    for k in range(1, m):  # strided adds: numpy's reduction over a short last axis is far slower
        total += dx[..., k]
    return total


def depthwise_conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation):
    window, out_hw = _geometry(x.shape, kernel_shape, strides, padding, dilation)
    xp = _repeat_channels(_pad_nhwc(x, padding), kernel_shape[3])
    patches = _patches(xp, window, strides, dilation, out_hw)
    return np.einsum("nhwijc,nhwc->ijc", patches, grad).reshape(kernel_shape)


# ----- gather ----------------------------------------------------------------
def take(x, indices, axis):
    return np.take(x, indices, axis=axis)


def scatter_add(shape, indices, updates, axis):
    """Move ``axis`` first, sum each update row into its index's row with np.add.at, move it back."""
    shape = tuple(shape)
    size, rest = shape[axis], shape[:axis] + shape[axis + 1 :]
    idx = np.asarray(indices).reshape(-1)
    rows = updates.reshape(shape[:axis] + (idx.size,) + shape[axis + 1 :])
    out = np.zeros((size,) + rest, dtype=updates.dtype)
    np.add.at(out, idx, np.moveaxis(rows, axis, 0))  # negative indices wrap, as in numpy indexing
    return np.moveaxis(out, 0, axis)


def max_pool2d(x, pool_size, strides, padding):
    window, out_hw = _geometry(x.shape, pool_size + (0, 0), strides, padding, (1, 1))
    if tuple(pool_size) == tuple(strides) and padding == ((0, 0), (0, 0)):
        (ph, pw), (oh, ow) = pool_size, out_hw
        n, _, _, c = x.shape
        blocks = x[:, : oh * ph, : ow * pw, :].reshape(n, oh, ph, ow, pw, c)
        return blocks.max(axis=(2, 4))
    xp = _pad_nhwc(x, padding, -np.inf)
    out = None
    for _, _, index in _taps(xp, window, strides, (1, 1), out_hw):
        out = xp[index].copy() if out is None else np.maximum(out, xp[index])
    return out


def max_pool2d_backward(x, y, grad, pool_size, strides, padding):
    """Route each output gradient to the first maximum of its window (as TF and PyTorch do)."""
    window, out_hw = _geometry(x.shape, pool_size + (0, 0), strides, padding, (1, 1))
    if tuple(pool_size) == tuple(strides) and padding == ((0, 0), (0, 0)):
        # Non-overlapping windows: work on a (n, oh, ph, ow, pw, c) view, one tap at a time.
        (ph, pw), (oh, ow) = pool_size, out_hw
        n, _, _, c = x.shape
        blocks = x[:, : oh * ph, : ow * pw, :].reshape(n, oh, ph, ow, pw, c)
        dblocks = np.zeros(blocks.shape, dtype=grad.dtype)
        taken = np.zeros(y.shape, dtype=bool)
        for i in range(ph):
            for j in range(pw):
                hit = (blocks[:, :, i, :, j, :] == y) & ~taken
                taken |= hit
                dblocks[:, :, i, :, j, :] = np.where(hit, grad, 0)
        dx = np.zeros(x.shape, dtype=grad.dtype)
        dx[:, : oh * ph, : ow * pw, :] = dblocks.reshape(n, oh * ph, ow * pw, c)
        return dx
    xp = _pad_nhwc(x, padding, -np.inf)
    dxp = np.zeros(xp.shape, dtype=grad.dtype)
    taken = np.zeros(y.shape, dtype=bool)
    for _, _, index in _taps(xp, window, strides, (1, 1), out_hw):
        hit = (xp[index] == y) & ~taken
        taken |= hit
        dxp[index] += np.where(hit, grad, 0)
    (top, _), (left, _) = padding
    return dxp[:, top : top + x.shape[1], left : left + x.shape[2], :]


def _valid_counts(input_shape, pool_size, strides, padding, dtype):
    ones = np.ones((1, input_shape[1], input_shape[2], 1), dtype=dtype)
    window, out_hw = _geometry(ones.shape, pool_size + (0, 0), strides, padding, (1, 1))
    onesp = _pad_nhwc(ones, padding)
    counts = np.zeros((1,) + out_hw + (1,), dtype=dtype)
    for _, _, index in _taps(onesp, window, strides, (1, 1), out_hw):
        counts += onesp[index]
    return counts


def avg_pool2d(x, pool_size, strides, padding):
    window, out_hw = _geometry(x.shape, pool_size + (0, 0), strides, padding, (1, 1))
    xp = _pad_nhwc(x, padding)
    total = np.zeros((x.shape[0],) + out_hw + (x.shape[3],), dtype=x.dtype)
    for _, _, index in _taps(xp, window, strides, (1, 1), out_hw):
        total += xp[index]
    return total / _valid_counts(x.shape, pool_size, strides, padding, x.dtype)


def avg_pool2d_backward(grad, input_shape, pool_size, strides, padding):
    window, out_hw = _geometry(input_shape, pool_size + (0, 0), strides, padding, (1, 1))
    (top, bottom), (left, right) = padding
    n, h, w, c = input_shape
    share = grad / _valid_counts(input_shape, pool_size, strides, padding, grad.dtype)
    dxp = np.zeros((n, h + top + bottom, w + left + right, c), dtype=grad.dtype)
    for _, _, index in _taps(dxp, window, strides, (1, 1), out_hw):
        dxp[index] += share
    return dxp[:, top : top + h, left : left + w, :]


def _generator(seed):
    s0, s1 = (int(v) & 0xFFFFFFFFFFFFFFFF for v in seed)
    return np.random.Generator(np.random.Philox(key=(s0 << 64) | s1))


def random_uniform(shape, low, high, dtype, seed):
    values = _generator(seed).random(shape, dtype=np.float64 if dtype == "float64" else np.float32)
    return (values * (high - low) + low).astype(dtype, copy=False)


def random_normal(shape, mean, stddev, dtype, seed):
    values = _generator(seed).standard_normal(
        shape, dtype=np.float64 if dtype == "float64" else np.float32
    )
    return (values * stddev + mean).astype(dtype, copy=False)


def random_permutation(n, seed):
    return _generator(seed).permutation(n)
