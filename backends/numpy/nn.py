"""Numpy neural-network primitives: softmax, convolution, pooling, random.

Each primitive reads as the plain numpy operation; the plain definitions every backend is tested
against are in ``tests/ops/op_specs.py``. Convolution calls its fast forms in ``_conv_rows`` (rows
form, im2col, per-tap GEMMs on cache-sized chunks of images); large elementwise passes and tiling
pooling split their work over the thread pool of ``_threads`` and write large outputs into recycled
arrays from ``_buffers``.
Depthwise convolution is one einsum over a strided view of patches (it has no GEMM to feed: each
channel meets only its own kernel).
"""

import math

import numpy as np
from kerasette.backends.numpy._buffers import fresh as _fresh
from kerasette.backends.numpy._buffers import scratch as _scratch
from kerasette.backends.numpy._conv_rows import Conv as _Conv
from kerasette.backends.numpy._conv_rows import conv_backward as _conv_backward
from kerasette.backends.numpy._conv_rows import conv_forward as _conv_forward
from kerasette.backends.numpy._conv_rows import taps as _taps
from kerasette.backends.numpy._threads import by_images as _by_images
from kerasette.backends.numpy._threads import by_rows as _by_rows
from kerasette.backends.numpy._threads import parallel as _parallel
from kerasette.backends.numpy._threads import split_if_large as _split_if_large
from kerasette.backends.sliding_window import conv_output_length
from numpy.lib.stride_tricks import as_strided


def softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def relu_backward(grad, y):
    """``grad`` where the ReLU output ``y`` is positive, else 0."""
    grad, y = np.asarray(grad), np.asarray(y)
    out = _fresh(np.broadcast_shapes(grad.shape, y.shape), np.result_type(grad, y))
    if grad.shape != out.shape or y.shape != out.shape or not out.ndim:
        np.multiply(np.greater(y, 0), grad, out=out)
        return out

    def part(start, stop):
        mask = np.greater(y[start:stop], 0, out=_scratch("relu_mask", out[start:stop].shape, np.bool_))
        np.multiply(mask, grad[start:stop], out=out[start:stop])

    _by_rows(out.shape, part)
    return out


def bias_add_relu(x, bias):
    """``maximum(x + bias, 0)`` in one fresh array (``x`` may be a strided view, e.g. a convolution's)."""
    x, bias = np.asarray(x), np.asarray(bias)
    if bias.ndim == 1 and x.ndim and x.shape[-1] == bias.shape[0]:  # a layer's bias: no broadcasting to work out
        out = _fresh(x.shape, np.result_type(x, bias))
    else:
        out = _fresh(np.broadcast_shapes(x.shape, bias.shape), np.result_type(x, bias))
    if x.shape != out.shape or not out.ndim:
        np.add(x, bias, out=out)
        return np.maximum(out, 0, out=out)

    def part(start, stop):
        np.add(x[start:stop], bias, out=out[start:stop])
        np.maximum(out[start:stop], 0, out=out[start:stop])

    _by_rows(out.shape, part)
    return out


def _pad_nhwc(x, padding, value=0.0):
    (top, bottom), (left, right) = padding
    if top == bottom == left == right == 0:
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


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


def _geometry(input_shape, kernel_shape, strides, padding, dilation):
    n, h, w, c = input_shape
    kh, kw = kernel_shape[:2]
    oh = conv_output_length(h, kh, padding[0], strides[0], dilation[0])
    ow = conv_output_length(w, kw, padding[1], strides[1], dilation[1])
    return (kh, kw), (oh, ow)


def _conv(x_shape, kernel_shape, strides, padding, dilation):
    """This convolution's fast forms (``_conv_rows.Conv``), with its output size from ``_geometry``."""
    _, out_hw = _geometry(x_shape, kernel_shape, strides, padding, dilation)
    return _Conv(x_shape, kernel_shape, strides, padding, dilation, out_hw)


def conv2d(x, kernel, strides, padding, dilation):
    return _conv_forward(_conv(x.shape, kernel.shape, strides, padding, dilation), x, kernel)


def conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation):
    conv = _conv(tuple(input_shape), kernel.shape, strides, padding, dilation)
    dx, _, _ = _conv_backward(conv, None, grad, kernel, input_grad=True, kernel_grad=False)
    return dx


def conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation):
    conv = _conv(x.shape, tuple(kernel_shape), strides, padding, dilation)
    _, dk, _ = _conv_backward(conv, x, grad, None, input_grad=False, kernel_grad=True)
    return dk


def conv2d_bias_relu(x, kernel, bias, strides, padding, dilation):
    return _conv_forward(_conv(x.shape, kernel.shape, strides, padding, dilation), x, kernel, bias=bias)


def conv2d_bias_relu_backward(x, y, grad, kernel, strides, padding, dilation, input_grad):
    conv = _conv(x.shape, kernel.shape, strides, padding, dilation)
    return _conv_backward(conv, x, grad, kernel, input_grad=input_grad, kernel_grad=True, y=y, bias_grad=True)


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
    """Place the gradient on its stride grid with (k-1)*d zeros around it.

    The input gradient is then the stride-1 correlation of that with the flipped kernel (one einsum, no
    per-tap scatter).
    """
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


def _window_blocks(x, pool_size, out_hw):
    """(n, oh, ph, ow, pw, c) view of the windows when they tile the input (stride == pool, no padding)."""
    (ph, pw), (oh, ow) = pool_size, out_hw
    n, _, _, c = x.shape
    return x[:, : oh * ph, : ow * pw, :].reshape(n, oh, ph, ow, pw, c)


def _tiling(pool_size, strides, padding):
    return tuple(pool_size) == tuple(strides) and padding == ((0, 0), (0, 0))


def max_pool2d(x, pool_size, strides, padding):
    window, out_hw = _geometry(x.shape, pool_size + (0, 0), strides, padding, (1, 1))
    if _tiling(pool_size, strides, padding):
        # Running maximum over the taps: elementwise passes over strided views beat a two-axis reduce.
        out = _fresh((x.shape[0],) + out_hw + (x.shape[3],), x.dtype)

        def part(start, stop):
            blocks = _window_blocks(x[start:stop], pool_size, out_hw)
            taps = [blocks[:, :, i, :, j, :] for i in range(pool_size[0]) for j in range(pool_size[1])]
            out[start:stop] = taps[0]
            for tap in taps[1:]:
                np.maximum(out[start:stop], tap, out=out[start:stop])

        _by_images(x.shape[0], math.prod(x.shape[1:]) * x.itemsize, part)
        return out
    xp = _pad_nhwc(x, padding, -np.inf)
    out = None
    for _, _, index in _taps(xp, window, strides, (1, 1), out_hw):
        out = xp[index].copy() if out is None else np.maximum(out, xp[index], out=out)
    return out


def max_pool2d_backward(x, y, grad, pool_size, strides, padding):
    """Route each output gradient to the first maximum of its window (as TF and PyTorch do)."""
    window, out_hw = _geometry(x.shape, pool_size + (0, 0), strides, padding, (1, 1))
    if _tiling(pool_size, strides, padding):
        # Non-overlapping windows: each tap writes its own slice of dx, no accumulation.
        dx = _fresh(x.shape, grad.dtype)
        if dx.shape[1] > out_hw[0] * pool_size[0] or dx.shape[2] > out_hw[1] * pool_size[1]:
            dx[...] = 0  # rows and columns no window covers

        def part(start, stop):
            blocks = _window_blocks(x[start:stop], pool_size, out_hw)
            dblocks = _window_blocks(dx[start:stop], pool_size, out_hw)
            ys, gs = y[start:stop], grad[start:stop]
            hit = _scratch("pool_hit", ys.shape, np.bool_)
            taken = _scratch("pool_taken", ys.shape, np.bool_)
            for tap in range(pool_size[0] * pool_size[1]):
                i, j = divmod(tap, pool_size[1])
                np.equal(blocks[:, :, i, :, j, :], ys, out=hit)
                if tap == 0:
                    taken[...] = hit
                else:
                    np.greater(hit, taken, out=hit)  # a hit not already routed (hit and not taken)
                    np.logical_or(taken, hit, out=taken)
                np.multiply(gs, hit, out=dblocks[:, :, i, :, j, :])

        _by_images(x.shape[0], math.prod(x.shape[1:]) * x.itemsize, part)
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


def _philox_key(seed):
    s0, s1 = (int(v) & 0xFFFFFFFFFFFFFFFF for v in seed)
    return (s0 << 64) | s1


def _generator(seed):
    return np.random.Generator(np.random.Philox(key=_philox_key(seed)))


def random_uniform(shape, low, high, dtype, seed):
    values = _generator(seed).random(shape, dtype=np.float64 if dtype == "float64" else np.float32)
    return (values * (high - low) + low).astype(dtype, copy=False)


def random_normal(shape, mean, stddev, dtype, seed):
    values = _generator(seed).standard_normal(
        shape, dtype=np.float64 if dtype == "float64" else np.float32
    )
    return (values * stddev + mean).astype(dtype, copy=False)


# Dropout draws 16 bits per entry, half the Philox output of 32-bit draws (Philox is most of a mask's cost),
# for rates where the 2**-16 grid is close enough: within 1/256 of 0 or 1 the rounding (at most 2**-17)
# would be a large part of the rate, so those rates draw 32 bits.
DROPOUT_16_BIT_RATES = (1 / 256, 255 / 256)


def dropout_bits(rate):
    """The bits drawn per entry of a dropout mask of ``rate``: 16, or 32 for rates near 0 or 1."""
    low, high = DROPOUT_16_BIT_RATES
    return 16 if low <= rate <= high else 32


def dropout_mask(shape, rate, dtype, seed):
    """``1 / (1 - rate)`` with probability ``1 - rate``, else 0, from one Philox draw per entry.

    An entry is dropped when its draw is below ``round(rate * 2**bits)``, with ``bits = dropout_bits(rate)``:
    16 for rates in [1/256, 255/256] (the rate rounded to a multiple of 2**-16, at most 7.6e-6 off), else 32.
    Philox is counter-based, so each pool thread draws its own block of the stream (``advance`` to its
    first counter) and the mask is the same whatever the number of threads.
    """
    size = math.prod(shape)
    bits = dropout_bits(rate)
    draw_type = np.uint16 if bits == 16 else np.uint32
    per_word = 64 // bits
    words = -(-size // per_word)  # 64-bit Philox outputs
    out = _fresh((size,), dtype)
    threshold = draw_type(min(int(round(rate * 2.0**bits)), 2**bits - 1))
    scale = 1.0 / (1.0 - rate)
    key = _philox_key(seed)

    def part(first, last):  # 64-bit words [first, last); first is a multiple of 4 (one Philox counter step)
        generator = np.random.Philox(key=key)
        generator.advance(first // 4)
        draws = generator.random_raw(last - first).view(draw_type)
        start, stop = per_word * first, min(per_word * last, size)
        keep = np.greater_equal(draws[: stop - start], threshold, out=_scratch("dropout_keep", (stop - start,), bool))
        np.copyto(out[start:stop], keep)  # bool to float: much faster than multiplying the bools directly
        np.multiply(out[start:stop], scale, out=out[start:stop])

    blocks = -(-words // 4)
    ranges = _split_if_large(blocks, size, 1 << 14)
    _parallel([lambda a=a, b=b: part(4 * a, min(4 * b, words)) for a, b in ranges])
    return out.reshape(shape)


def random_permutation(n, seed):
    return _generator(seed).permutation(n)
