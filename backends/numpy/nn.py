"""Numpy neural-network primitives: softmax, convolution, pooling, random.

Convolution follows the measured fast forms for numpy. At stride 1 with more than a few input
channels it is kh GEMMs on shifted row blocks of an im2col taken along W only (kw copies of the
input instead of kh*kw); with few channels (the first layer), one im2col GEMM; other strides, one
GEMM per kernel tap. Every form runs on cache-sized chunks of images spread over the thread pool of
``core`` (BLAS single-threaded meanwhile), with temporaries in reused scratch buffers, and
``conv2d_bias_relu`` adds the bias and applies the ReLU to each chunk while it is in cache (its
backward masks the gradient once for the three gradients). Winograd F(2x2, 3x3) was measured and
left out: in numpy its input and output transforms cost more memory passes than the 2.25x fewer
multiplies save (CNN's second layer, batch 128: about 50 ms of transforms alone, against about
25 ms for the whole direct forward).
Depthwise convolution is one einsum over a strided view of patches (it has no GEMM to feed: each
channel meets only its own kernel).
"""

import math

import numpy as np
from kerasette.backends.numpy.core import _fresh, _gemm, _parallel, _scratch, _splits
from numpy.lib.stride_tricks import as_strided

_IM2COL_MAX_CHANNELS = 8


def softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


_PARALLEL_ELEMENTS = 1 << 17  # below this, an elementwise pass is not worth splitting over threads


def _row_ranges(shape):
    """Ranges of the first axis to split an elementwise pass over the pool (one range when small)."""
    if not shape:
        return [(0, 1)]
    size = int(np.prod(shape))
    per_row = max(1, size // max(shape[0], 1))
    return _splits(shape[0], -(-_PARALLEL_ELEMENTS // per_row)) if size >= 2 * _PARALLEL_ELEMENTS else [(0, shape[0])]


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

    _parallel([lambda a=a, b=b: part(a, b) for a, b in _row_ranges(out.shape)])
    return out


def bias_add_relu(x, bias):
    """``maximum(x + bias, 0)`` in one fresh array (``x`` may be a strided view, e.g. a convolution's)."""
    x, bias = np.asarray(x), np.asarray(bias)
    out = _fresh(np.broadcast_shapes(x.shape, bias.shape), np.result_type(x, bias))
    if x.shape != out.shape or not out.ndim:
        np.add(x, bias, out=out)
        return np.maximum(out, 0, out=out)

    def part(start, stop):
        np.add(x[start:stop], bias, out=out[start:stop])
        np.maximum(out[start:stop], 0, out=out[start:stop])

    _parallel([lambda a=a, b=b: part(a, b) for a, b in _row_ranges(out.shape)])
    return out


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


def _geometry(input_shape, kernel_shape, strides, padding, dilation):
    n, h, w, c = input_shape
    kh, kw = kernel_shape[:2]
    (top, bottom), (left, right) = padding
    oh = _output_size(h + top + bottom, kh, strides[0], dilation[0])
    ow = _output_size(w + left + right, kw, strides[1], dilation[1])
    return (kh, kw), (oh, ow)


def _stride_one(x_shape, strides):
    """Whether the row-GEMM forms below apply: stride 1 and enough channels to feed a GEMM per kernel row."""
    return tuple(strides) == (1, 1) and x_shape[3] > _IM2COL_MAX_CHANNELS


# Convolutions work on a few images at a time, so that their temporaries (the im2col block, GEMM
# partial sums, the gradient rows) stay in the CPU cache instead of making round trips to memory:
# each chunk's largest temporary is kept near this size. The chunks are spread over the thread pool.
_CHUNK_BYTES = 1 << 20


def _image_chunks(n, bytes_per_image):
    step = max(1, min(n, _CHUNK_BYTES // max(bytes_per_image, 1)))
    return [(start, min(start + step, n)) for start in range(0, n, step)]


def _by_images(n, bytes_per_image, work):
    """Run ``work(start, stop)`` over cache-sized chunks of images, the chunks spread over the thread pool."""
    return _parallel([lambda a=a, b=b: work(a, b) for a, b in _image_chunks(n, bytes_per_image)])


def _padded(x, padding):
    """``x`` zero-padded in H and W (a scratch copy), or ``x`` itself without padding."""
    (top, bottom), (left, right) = padding
    if top == bottom == left == right == 0:
        return x
    n, h, w, c = x.shape
    xp = _scratch("conv_padded", (n, h + top + bottom, w + left + right, c), x.dtype)
    xp[:, :top], xp[:, top + h :], xp[:, :, :left], xp[:, :, left + w :] = 0, 0, 0, 0
    xp[:, top : top + h, left : left + w] = x
    return xp


def _sum_partials(partials):
    total = partials[0]
    for partial in partials[1:]:
        total = total + partial
    return total


class _Conv:
    """The geometry of one convolution and the chunk-level forms of its three products.

    Stride 1 with more than a few channels ("rows" form): im2col along W only, so that kernel row ``i``
    reads the contiguous row block starting at ``i*dh*OW`` of that (N*Hp*OW, kw*C) matrix: kh GEMMs
    and kw copies of the input instead of a kh*kw im2col. Outputs are computed on the (N, Hp, OW)
    grid; rows y >= OH are discarded (the last (kh-1)*dh rows of every image are never valid, so no
    chunk reads past its own images). Other strides: im2col for few channels, else one GEMM per tap.
    """

    def __init__(self, x_shape, kernel_shape, strides, padding, dilation):
        self.n, self.h, self.w, self.c = x_shape
        self.kh, self.kw, _, self.k = kernel_shape
        self.strides, self.padding, self.dilation = tuple(strides), padding, tuple(dilation)
        (top, bottom), (left, right) = padding
        self.hp, self.wp = self.h + top + bottom, self.w + left + right
        _, (self.oh, self.ow) = _geometry(x_shape, kernel_shape, strides, padding, dilation)
        self.rows_form = _stride_one(x_shape, strides)
        self.step = self.dilation[0] * self.ow

    def chunk_bytes(self, itemsize):
        if self.rows_form:
            return self.hp * self.ow * max(self.kw * self.c, self.k) * itemsize
        width = self.kh * self.kw * self.c if self.c <= _IM2COL_MAX_CHANNELS else max(self.c, self.k)
        return self.oh * self.ow * width * itemsize

    # ----- pieces of the rows form
    def width_cols(self, x):
        """im2col along W of the (padded) images ``x``: row (n, y, x) holds xp[n, y, x + j*dw, :] for j < kw."""
        xp = _padded(x, self.padding)
        n, hp, wp, c = xp.shape
        kw, dw, ow = self.kw, self.dilation[1], self.ow
        if kw == 1 and ow == wp:
            return np.ascontiguousarray(xp).reshape(n * hp * wp, c)
        cols = _scratch("conv_cols", (n, hp, ow, kw * c), xp.dtype)
        for j in range(kw):
            cols[..., j * c : (j + 1) * c] = xp[:, :, j * dw : j * dw + ow]
        return cols.reshape(n * hp * ow, kw * c)

    def grad_rows(self, grad, y=None):
        """``grad`` on the (N, Hp, OW) row grid, zero for y >= OH, masked by ``y > 0`` when given (scratch)."""
        n, oh = grad.shape[0], self.oh
        rows = _scratch("conv_grad", (n, self.hp, self.ow, self.k), grad.dtype)
        if y is None:
            rows[:, :oh] = grad
        else:
            mask = np.greater(y, 0, out=_scratch("conv_mask", y.shape, np.bool_))
            np.multiply(grad, mask, out=rows[:, :oh])
        rows[:, oh:] = 0
        return rows.reshape(-1, self.k)

    # ----- forward: one chunk of images into ``out`` (N, OH, OW, K)
    def forward(self, x, kernel, out, bias=None):
        """Write the convolution of the images ``x`` (+ ``bias``, then ReLU, when a bias is given) into ``out``."""
        k = self.k
        if self.rows_form:
            cols = self.width_cols(x)
            weights = [kernel[i].reshape(self.kw * self.c, k) for i in range(self.kh)]
            rows = cols.shape[0]
            valid = rows - (self.kh - 1) * self.step
            acc = _scratch("conv_acc", (rows, k), out.dtype)
            _gemm(cols[:valid], weights[0], out=acc[:valid])
            for i in range(1, self.kh):
                part = _scratch("conv_part", (valid, k), out.dtype)
                _gemm(cols[i * self.step : i * self.step + valid], weights[i], out=part)
                acc[:valid] += part
            result = acc.reshape(x.shape[0], self.hp, self.ow, k)[:, : self.oh]
        else:
            result = out
            self._general_forward(x, kernel, out.reshape(-1, k))
        if bias is None:
            if result is not out:
                out[...] = result
            return
        np.add(result, bias, out=out)
        np.maximum(out, 0, out=out)

    def _general_forward(self, x, kernel, flat):
        xp = _padded(x, self.padding)
        window, out_hw = (self.kh, self.kw), (self.oh, self.ow)
        if self.c <= _IM2COL_MAX_CHANNELS:
            _gemm(self._im2col(xp), kernel.reshape(-1, self.k), out=flat)
            return
        for t, (i, j, index) in enumerate(_taps(xp, window, self.strides, self.dilation, out_hw)):
            if t == 0:
                _gemm(self._tap(xp, index), kernel[i, j], out=flat)
            else:
                part = _scratch("conv_part", flat.shape, flat.dtype)
                _gemm(self._tap(xp, index), kernel[i, j], out=part)
                flat += part

    def _im2col(self, xp):
        """(N*OH*OW, kh*kw*C) patches, copied one tap at a time: each copy runs along whole output rows,
        where copying the 6-D patch view would loop over the kh*kw*C innermost entries (9 for a 3x3
        kernel on one channel) and run several times slower."""
        n, c = xp.shape[0], self.c
        cols = _scratch("conv_im2col", (n, self.oh, self.ow, self.kh * self.kw * c), xp.dtype)
        for t, (_, _, index) in enumerate(_taps(xp, (self.kh, self.kw), self.strides, self.dilation,
                                               (self.oh, self.ow))):
            cols[..., t * c : (t + 1) * c] = xp[index]
        return cols.reshape(-1, self.kh * self.kw * c)

    @staticmethod
    def _tap(xp, index):
        view = xp[index]
        tap = _scratch("conv_tap", view.shape, xp.dtype)
        tap[...] = view
        return tap.reshape(-1, xp.shape[3])

    # ----- backward: one chunk of images; returns its shares of the kernel and bias gradients
    def backward(self, x, grad, kernel, dx=None, y=None, kernel_grad=True, bias_grad=False):
        """For the images of ``grad`` (masked by ``y > 0`` when ``y`` is given, the fused ReLU): write the
        input gradient into ``dx`` when given; return (kernel gradient share or None, bias share or None)."""
        if self.rows_form:
            g = self.grad_rows(grad, y)
            dk = self._rows_kernel_grad(x, g) if kernel_grad else None
            db = np.add.reduce(g, axis=0) if bias_grad else None
            if dx is not None:
                self._rows_input_grad(g, kernel, dx)
            return dk, db
        if y is not None:
            mask = np.greater(y, 0, out=_scratch("conv_mask", y.shape, np.bool_))
            grad = np.multiply(grad, mask, out=_scratch("conv_gmask", grad.shape, grad.dtype))
        db = np.add.reduce(grad.reshape(-1, self.k), axis=0) if bias_grad else None
        dk = self._general_kernel_grad(x, grad) if kernel_grad else None
        if dx is not None:
            self._general_input_grad(grad, kernel, dx)
        return dk, db

    def _rows_kernel_grad(self, x, g):
        cols = self.width_cols(x)
        valid = g.shape[0] - (self.kh - 1) * self.step
        dk = np.empty((self.kh, self.kw * self.c, self.k), dtype=np.result_type(cols, g))
        for i in range(self.kh):
            _gemm(cols[i * self.step : i * self.step + valid].T, g[:valid], out=dk[i])
        return dk.reshape(self.kh, self.kw, self.c, self.k)

    def _rows_input_grad(self, g, kernel, dx):
        """Adjoint of the rows forward: kh GEMMs into W-im2col space, then kw shifted adds (col2im along W)."""
        n, c, kw, dw, ow = dx.shape[0], self.c, self.kw, self.dilation[1], self.ow
        rows = g.shape[0]
        valid = rows - (self.kh - 1) * self.step
        dcols = _scratch("conv_dcols", (rows, kw * c), dx.dtype)
        dcols[valid:] = 0
        for i in range(self.kh):
            weights_t = kernel[i].reshape(kw * c, self.k).T
            if i == 0:
                _gemm(g[:valid], weights_t, out=dcols[:valid])
            else:
                part = _scratch("conv_dpart", (valid, kw * c), dx.dtype)
                _gemm(g[:valid], weights_t, out=part)
                dcols[i * self.step : i * self.step + valid] += part
        dcols = dcols.reshape(n, self.hp, ow, kw * c)
        dxp = _scratch("conv_dpadded", (n, self.hp, self.wp, c), dx.dtype)
        dxp[:, :, :ow] = dcols[..., :c]
        dxp[:, :, ow:] = 0
        for j in range(1, kw):
            dxp[:, :, j * dw : j * dw + ow] += dcols[..., j * c : (j + 1) * c]
        (top, _), (left, _) = self.padding
        dx[...] = dxp[:, top : top + self.h, left : left + self.w]

    def _general_kernel_grad(self, x, grad):
        xp = _padded(x, self.padding)
        g = grad.reshape(-1, self.k)
        shape = (self.kh, self.kw, self.c, self.k)
        if self.c <= _IM2COL_MAX_CHANNELS:
            return _gemm(self._im2col(xp).T, g).reshape(shape)
        dk = np.empty(shape, dtype=np.result_type(x, grad))
        for i, j, index in _taps(xp, (self.kh, self.kw), self.strides, self.dilation, (self.oh, self.ow)):
            _gemm(self._tap(xp, index).T, g, out=dk[i, j])
        return dk

    def _general_input_grad(self, grad, kernel, dx):
        n, c = dx.shape[0], self.c
        g = grad.reshape(-1, self.k)
        dxp = _scratch("conv_dpadded", (n, self.hp, self.wp, c), dx.dtype)
        dxp[...] = 0
        part = _scratch("conv_dpart", (g.shape[0], c), dx.dtype)
        for i, j, index in _taps(dxp, (self.kh, self.kw), self.strides, self.dilation, (self.oh, self.ow)):
            _gemm(g, kernel[i, j].T, out=part)
            dxp[index] += part.reshape(n, self.oh, self.ow, c)
        (top, _), (left, _) = self.padding
        dx[...] = dxp[:, top : top + self.h, left : left + self.w, :]


def _conv_forward(x, kernel, strides, padding, dilation, bias=None):
    conv = _Conv(x.shape, kernel.shape, strides, padding, dilation)
    dtype = np.result_type(x, kernel) if bias is None else np.result_type(x, kernel, bias)
    out = _fresh((conv.n, conv.oh, conv.ow, conv.k), dtype)

    def work(start, stop):
        conv.forward(x[start:stop], kernel, out[start:stop], bias)

    _by_images(conv.n, conv.chunk_bytes(dtype.itemsize), work)
    return out


def _conv_backward(x_shape, x, grad, kernel, kernel_shape, strides, padding, dilation, input_grad, kernel_grad,
                   y=None, bias_grad=False):
    conv = _Conv(x_shape, kernel_shape, strides, padding, dilation)
    dtype = np.result_type(grad, *[a for a in (x, kernel) if a is not None])
    dx = _fresh(x_shape, dtype) if input_grad else None

    def work(start, stop):
        return conv.backward(None if x is None else x[start:stop], grad[start:stop], kernel,
                             None if dx is None else dx[start:stop], None if y is None else y[start:stop],
                             kernel_grad, bias_grad)

    shares = _by_images(conv.n, conv.chunk_bytes(dtype.itemsize), work)
    dk = _sum_partials([s[0] for s in shares]) if kernel_grad else None
    db = _sum_partials([s[1] for s in shares]) if bias_grad else None
    return dx, dk, db


def conv2d(x, kernel, strides, padding, dilation):
    return _conv_forward(x, kernel, strides, padding, dilation)


def conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation):
    dx, _, _ = _conv_backward(tuple(input_shape), None, grad, kernel, kernel.shape, strides, padding, dilation,
                              input_grad=True, kernel_grad=False)
    return dx


def conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation):
    _, dk, _ = _conv_backward(x.shape, x, grad, None, tuple(kernel_shape), strides, padding, dilation,
                              input_grad=False, kernel_grad=True)
    return dk


def conv2d_bias_relu(x, kernel, bias, strides, padding, dilation):
    return _conv_forward(x, kernel, strides, padding, dilation, bias=bias)


def conv2d_bias_relu_backward(x, y, grad, kernel, strides, padding, dilation, input_grad):
    return _conv_backward(x.shape, x, grad, kernel, kernel.shape, strides, padding, dilation, input_grad=input_grad,
                          kernel_grad=True, y=y, bias_grad=True)


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

        _by_images(x.shape[0], int(np.prod(x.shape[1:])) * x.itemsize, part)
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

        _by_images(x.shape[0], int(np.prod(x.shape[1:])) * x.itemsize, part)
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


def dropout_mask(shape, rate, dtype, seed):
    """``1 / (1 - rate)`` with probability ``1 - rate``, else 0: one 32-bit Philox draw per entry.

    Philox is counter-based, so each pool thread draws its own block of the stream (``advance`` to its
    first counter) and the mask is the same whatever the number of threads.
    """
    size = math.prod(shape)
    words = (size + 1) // 2  # 64-bit draws, two entries each
    out = _fresh((size,), dtype)
    threshold = np.uint32(min(int(round(rate * 2.0**32)), 2**32 - 1))
    scale = 1.0 / (1.0 - rate)
    key = _philox_key(seed)

    def part(first, last):  # 64-bit words [first, last); first is a multiple of 4 (one Philox counter step)
        bits = np.random.Philox(key=key)
        bits.advance(first // 4)
        draws = bits.random_raw(last - first).view(np.uint32)
        start, stop = 2 * first, min(2 * last, size)
        keep = np.greater_equal(draws[: stop - start], threshold, out=_scratch("dropout_keep", (stop - start,), bool))
        np.copyto(out[start:stop], keep)  # bool to float: much faster than multiplying the bools directly
        np.multiply(out[start:stop], scale, out=out[start:stop])

    blocks = -(-words // 4)
    ranges = _splits(blocks, 1 << 14) if size >= 2 * _PARALLEL_ELEMENTS else [(0, blocks)]
    _parallel([lambda a=a, b=b: part(4 * a, min(4 * b, words)) for a, b in ranges])
    return out.reshape(shape)


def random_permutation(n, seed):
    return _generator(seed).permutation(n)
