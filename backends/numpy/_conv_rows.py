"""The numpy backend's fast convolution: the rows form, one im2col GEMM, or one GEMM per kernel tap.

Why: in numpy the cost of a textbook im2col is the strided-to-contiguous copy of kh*kw shifted copies
of the input, not the GEMM (see ``performance-notes.md``). At stride 1 with more than a few input
channels the convolution is therefore kh GEMMs on shifted row blocks of an im2col taken along W only
(kw copies of the input instead of kh*kw): the "rows" form. With few channels (the first layer) one
im2col GEMM is faster; at other strides, one GEMM per kernel tap. ``conv2d_bias_relu`` adds the bias
and applies the ReLU to each chunk while it is in cache, and its backward masks the gradient once for
the three gradients. Winograd F(2x2, 3x3) was measured and left out: in numpy its input and output
transforms cost more memory passes than the 2.25x fewer multiplies save (CNN's second layer, batch 128:
about 50 ms of transforms alone, against about 25 ms for the whole direct forward).

What it assumes:
- NHWC inputs, (kh, kw, C, K) kernels, cross-correlation, explicit ``((top, bottom), (left, right))``
  padding, and the output size (OH, OW) computed by the caller (``nn._geometry``).
- Every form works on cache-sized chunks of images (``_threads.by_images``) spread over the thread
  pool, with temporaries in per-thread scratch buffers (``_buffers.scratch``), so a chunk must finish
  with a scratch buffer before asking for it again. The kernel and bias gradients are sums of the
  chunks' shares, added in chunk order: the chunks depend on the image size, not on the thread count,
  so results do not change with the number of threads.
The plain definitions these forms must match are the references in ``tests/ops/op_specs.py``.
"""

import numpy as np
from kerasette.backends.numpy._buffers import fresh, scratch
from kerasette.backends.numpy._threads import by_images, gemm

IM2COL_MAX_CHANNELS = 8


def taps(xp, window, strides, dilation, out_hw):
    """Yield (i, j, index) for every kernel tap: xp[index][n, oh, ow, c] = xp[n, i*dh + oh*sh, j*dw + ow*sw, c]."""
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = window, strides, dilation, out_hw
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
            cols = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
            yield i, j, (slice(None), rows, cols, slice(None))


def padded(x, padding):
    """``x`` zero-padded in H and W (a scratch copy), or ``x`` itself without padding."""
    (top, bottom), (left, right) = padding
    if top == bottom == left == right == 0:
        return x
    n, h, w, c = x.shape
    xp = scratch("conv_padded", (n, h + top + bottom, w + left + right, c), x.dtype)
    xp[:, :top], xp[:, top + h :], xp[:, :, :left], xp[:, :, left + w :] = 0, 0, 0, 0
    xp[:, top : top + h, left : left + w] = x
    return xp


def stride_one(x_shape, strides):
    """Whether the rows form applies: stride 1 and enough channels to feed a GEMM per kernel row."""
    return tuple(strides) == (1, 1) and x_shape[3] > IM2COL_MAX_CHANNELS


def sum_partials(partials):
    total = partials[0]
    for partial in partials[1:]:
        total = total + partial
    return total


def conv_forward(conv, x, kernel, bias=None):
    """The convolution ``conv`` of ``x`` with ``kernel`` (then + ``bias`` and ReLU when a bias is given)."""
    dtype = np.result_type(x, kernel) if bias is None else np.result_type(x, kernel, bias)
    out = fresh((conv.n, conv.oh, conv.ow, conv.k), dtype)

    def work(start, stop):
        conv.forward(x[start:stop], kernel, out[start:stop], bias)

    by_images(conv.n, conv.chunk_bytes(dtype.itemsize), work)
    return out


def conv_backward(conv, x, grad, kernel, input_grad, kernel_grad, y=None, bias_grad=False):
    """(input gradient or None, kernel gradient or None, bias gradient or None) of ``conv`` for ``grad``.

    ``grad`` is masked by ``y > 0`` when ``y`` (the fused ReLU's output) is given.
    """
    dtype = np.result_type(grad, *[a for a in (x, kernel) if a is not None])
    dx = fresh(conv.x_shape, dtype) if input_grad else None

    def work(start, stop):
        return conv.backward(None if x is None else x[start:stop], grad[start:stop], kernel,
                             None if dx is None else dx[start:stop], None if y is None else y[start:stop],
                             kernel_grad, bias_grad)

    shares = by_images(conv.n, conv.chunk_bytes(dtype.itemsize), work)
    dk = sum_partials([s[0] for s in shares]) if kernel_grad else None
    db = sum_partials([s[1] for s in shares]) if bias_grad else None
    return dx, dk, db


class Conv:
    """The geometry of one convolution and the chunk-level forms of its three products.

    Stride 1 with more than a few channels ("rows" form): im2col along W only, so that kernel row ``i``
    reads the contiguous row block starting at ``i*dh*OW`` of that (N*Hp*OW, kw*C) matrix: kh GEMMs
    and kw copies of the input instead of a kh*kw im2col. Outputs are computed on the (N, Hp, OW)
    grid; rows y >= OH are discarded (the last (kh-1)*dh rows of every image are never valid, so no
    chunk reads past its own images). Other strides: im2col for few channels, else one GEMM per tap.
    """

    def __init__(self, x_shape, kernel_shape, strides, padding, dilation, out_hw):
        self.x_shape = tuple(x_shape)
        self.n, self.h, self.w, self.c = x_shape
        self.kh, self.kw, _, self.k = kernel_shape
        self.strides, self.padding, self.dilation = tuple(strides), padding, tuple(dilation)
        (top, bottom), (left, right) = padding
        self.hp, self.wp = self.h + top + bottom, self.w + left + right
        self.oh, self.ow = out_hw
        self.rows_form = stride_one(x_shape, strides)
        self.step = self.dilation[0] * self.ow

    def chunk_bytes(self, itemsize):
        if self.rows_form:
            return self.hp * self.ow * max(self.kw * self.c, self.k) * itemsize
        width = self.kh * self.kw * self.c if self.c <= IM2COL_MAX_CHANNELS else max(self.c, self.k)
        return self.oh * self.ow * width * itemsize

    # ----- pieces of the rows form
    def width_cols(self, x):
        """im2col along W of the (padded) images ``x``: row (n, y, x) holds xp[n, y, x + j*dw, :] for j < kw."""
        xp = padded(x, self.padding)
        n, hp, wp, c = xp.shape
        kw, dw, ow = self.kw, self.dilation[1], self.ow
        if kw == 1 and ow == wp:
            return np.ascontiguousarray(xp).reshape(n * hp * wp, c)
        cols = scratch("conv_cols", (n, hp, ow, kw * c), xp.dtype)
        for j in range(kw):
            cols[..., j * c : (j + 1) * c] = xp[:, :, j * dw : j * dw + ow]
        return cols.reshape(n * hp * ow, kw * c)

    def grad_rows(self, grad, y=None):
        """``grad`` on the (N, Hp, OW) row grid, zero for y >= OH, masked by ``y > 0`` when given (scratch)."""
        n, oh = grad.shape[0], self.oh
        rows = scratch("conv_grad", (n, self.hp, self.ow, self.k), grad.dtype)
        if y is None:
            rows[:, :oh] = grad
        else:
            mask = np.greater(y, 0, out=scratch("conv_mask", y.shape, np.bool_))
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
            acc = scratch("conv_acc", (rows, k), out.dtype)
            gemm(cols[:valid], weights[0], out=acc[:valid])
            for i in range(1, self.kh):
                part = scratch("conv_part", (valid, k), out.dtype)
                gemm(cols[i * self.step : i * self.step + valid], weights[i], out=part)
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
        xp = padded(x, self.padding)
        window, out_hw = (self.kh, self.kw), (self.oh, self.ow)
        if self.c <= IM2COL_MAX_CHANNELS:
            gemm(self._im2col(xp), kernel.reshape(-1, self.k), out=flat)
            return
        for t, (i, j, index) in enumerate(taps(xp, window, self.strides, self.dilation, out_hw)):
            if t == 0:
                gemm(self._tap(xp, index), kernel[i, j], out=flat)
            else:
                part = scratch("conv_part", flat.shape, flat.dtype)
                gemm(self._tap(xp, index), kernel[i, j], out=part)
                flat += part

    def _im2col(self, xp):
        """(N*OH*OW, kh*kw*C) patches, copied one tap at a time.

        Each copy runs along whole output rows, where copying the 6-D patch view would loop over the
        kh*kw*C innermost entries (9 for a 3x3 kernel on one channel) and run several times slower.
        """
        n, c = xp.shape[0], self.c
        cols = scratch("conv_im2col", (n, self.oh, self.ow, self.kh * self.kw * c), xp.dtype)
        for t, (_, _, index) in enumerate(taps(xp, (self.kh, self.kw), self.strides, self.dilation,
                                              (self.oh, self.ow))):
            cols[..., t * c : (t + 1) * c] = xp[index]
        return cols.reshape(-1, self.kh * self.kw * c)

    @staticmethod
    def _tap(xp, index):
        view = xp[index]
        tap = scratch("conv_tap", view.shape, xp.dtype)
        tap[...] = view
        return tap.reshape(-1, xp.shape[3])

    # ----- backward: one chunk of images; returns its shares of the kernel and bias gradients
    def backward(self, x, grad, kernel, dx=None, y=None, kernel_grad=True, bias_grad=False):
        """Gradients for the images of ``grad`` (masked by ``y > 0`` when ``y``, the fused ReLU's output, is given).

        Writes the input gradient into ``dx`` when given; returns (kernel gradient share or None, bias share or
        None).
        """
        if self.rows_form:
            g = self.grad_rows(grad, y)
            dk = self._rows_kernel_grad(x, g) if kernel_grad else None
            db = np.add.reduce(g, axis=0) if bias_grad else None
            if dx is not None:
                self._rows_input_grad(g, kernel, dx)
            return dk, db
        if y is not None:
            mask = np.greater(y, 0, out=scratch("conv_mask", y.shape, np.bool_))
            grad = np.multiply(grad, mask, out=scratch("conv_gmask", grad.shape, grad.dtype))
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
            gemm(cols[i * self.step : i * self.step + valid].T, g[:valid], out=dk[i])
        return dk.reshape(self.kh, self.kw, self.c, self.k)

    def _rows_input_grad(self, g, kernel, dx):
        """Adjoint of the rows forward: kh GEMMs into W-im2col space, then kw shifted adds (col2im along W)."""
        n, c, kw, dw, ow = dx.shape[0], self.c, self.kw, self.dilation[1], self.ow
        rows = g.shape[0]
        valid = rows - (self.kh - 1) * self.step
        dcols = scratch("conv_dcols", (rows, kw * c), dx.dtype)
        dcols[valid:] = 0
        for i in range(self.kh):
            weights_t = kernel[i].reshape(kw * c, self.k).T
            if i == 0:
                gemm(g[:valid], weights_t, out=dcols[:valid])
            else:
                part = scratch("conv_dpart", (valid, kw * c), dx.dtype)
                gemm(g[:valid], weights_t, out=part)
                dcols[i * self.step : i * self.step + valid] += part
        dcols = dcols.reshape(n, self.hp, ow, kw * c)
        dxp = scratch("conv_dpadded", (n, self.hp, self.wp, c), dx.dtype)
        dxp[:, :, :ow] = dcols[..., :c]
        dxp[:, :, ow:] = 0
        for j in range(1, kw):
            dxp[:, :, j * dw : j * dw + ow] += dcols[..., j * c : (j + 1) * c]
        (top, _), (left, _) = self.padding
        dx[...] = dxp[:, top : top + self.h, left : left + self.w]

    def _general_kernel_grad(self, x, grad):
        xp = padded(x, self.padding)
        g = grad.reshape(-1, self.k)
        shape = (self.kh, self.kw, self.c, self.k)
        if self.c <= IM2COL_MAX_CHANNELS:
            return gemm(self._im2col(xp).T, g).reshape(shape)
        dk = np.empty(shape, dtype=np.result_type(x, grad))
        for i, j, index in taps(xp, (self.kh, self.kw), self.strides, self.dilation, (self.oh, self.ow)):
            gemm(self._tap(xp, index).T, g, out=dk[i, j])
        return dk

    def _general_input_grad(self, grad, kernel, dx):
        n, c = dx.shape[0], self.c
        g = grad.reshape(-1, self.k)
        dxp = scratch("conv_dpadded", (n, self.hp, self.wp, c), dx.dtype)
        dxp[...] = 0
        part = scratch("conv_dpart", (g.shape[0], c), dx.dtype)
        for i, j, index in taps(dxp, (self.kh, self.kw), self.strides, self.dilation, (self.oh, self.ow)):
            gemm(g, kernel[i, j].T, out=part)
            dxp[index] += part.reshape(n, self.oh, self.ow, c)
        (top, _), (left, _) = self.padding
        dx[...] = dxp[:, top : top + self.h, left : left + self.w, :]
