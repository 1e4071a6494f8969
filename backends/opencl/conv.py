"""Convolution primitives: conv2d, its gradients and fused bias + ReLU form; the depthwise convolution.

conv2d runs as im2col + GEMM; the depthwise convolution has direct kernels.

conv2d writes im2col rows (N*OH*OW, KH*KW*C) and multiplies them by the kernel seen as (KH*KW*C, O): the
product is the NHWC output. The input gradient is the product of the output gradient with the kernel
transposed, folded back by a gathering col2im (each input pixel sums the entries that read it, so no
atomics); the kernel gradient is the im2col rows transposed times the output gradient, split over row slices
(split-K, as a batched GEMM whose slices are then summed in order). Batches whose im2col rows would pass
``_COLS_BYTES`` run in chunks of images. A 1x1 kernel at stride 1 without
padding needs no im2col: the images are the rows.
"""

import math

import numpy as np
import pyopencl as cl
from kerasette.backends.opencl import creation, debug, gemm, launch, memory, runtime
from kerasette.backends.opencl.indexing import index_arg, index_type
from kerasette.backends.opencl.memory import cl_type
from kerasette.backends.sliding_window import conv_output_length

__all__ = [
    "conv2d", "conv2d_backward_input", "conv2d_backward_kernel", "conv2d_bias_relu", "conv2d_bias_relu_backward",
    "depthwise_conv2d", "depthwise_conv2d_backward_input", "depthwise_conv2d_backward_kernel",
]

_FILE = "conv.cl"
_LOCAL = 128
_COLS_BYTES = 256 << 20  # the largest im2col buffer of one chunk of images
_BLOCK_ROWS = 64  # rows each work-item sums in the first stage of a column reduction
_MAX_BLOCKS = 1024
_MAX_SLICES = 64  # split-K of the kernel gradient's GEMM: at most this many slices,
_MIN_SLICE_ROWS = 1024  # of at least this many rows,
_PARTIAL_BYTES = 64 << 20  # with partial products of at most this size together
_VECTOR_MULTIPLE = 8  # the input gradient writes W^T out first when KH*KW*C is a multiple of this


class _Geometry:
    """One convolution's sizes.

    ``args`` are the int kernel arguments H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, TOP, LEFT (the depthwise
    kernels take M after C).
    """

    def __init__(self, input_shape, kernel_shape, strides, padding, dilation):
        self.n, self.h, self.w, self.c = (int(s) for s in input_shape)
        self.kh, self.kw = int(kernel_shape[0]), int(kernel_shape[1])
        self.o = int(kernel_shape[3])
        self.sh, self.sw = (int(s) for s in strides)
        self.dh, self.dw = (int(d) for d in dilation)
        (self.top, bottom), (self.left, right) = ((int(a), int(b)) for a, b in padding)
        self.oh = conv_output_length(self.h, self.kh, (self.top, bottom), self.sh, self.dh)
        self.ow = conv_output_length(self.w, self.kw, (self.left, right), self.sw, self.dw)
        self.width = self.kh * self.kw * self.c  # im2col row length
        self.pixels = self.oh * self.ow  # output pixels per image
        self.identity = (self.kh == self.kw == 1 and (self.sh, self.sw) == (1, 1) and self.top == bottom == 0
                         and self.left == right == 0)

    @property
    def out_shape(self):
        return (self.n, self.oh, self.ow, self.o)

    def args(self, multiplier=None):
        sizes = (self.h, self.w, self.c) + (() if multiplier is None else (multiplier,))
        rest = (self.oh, self.ow, self.kh, self.kw, self.sh, self.sw, self.dh, self.dw, self.top, self.left)
        return [launch.i32(v) for v in sizes + rest]

    def chunks(self, itemsize):
        """(first image, image count) pairs whose im2col rows stay within ``_COLS_BYTES``."""
        per_image = max(self.pixels * self.width * itemsize, 1)
        step = max(1, min(self.n, _COLS_BYTES // per_image))
        return [(start, min(step, self.n - start)) for start in range(0, self.n, step)]


def _kernel(name, dtype, idx):
    return launch.kernel(_FILE, name, T=cl_type(dtype), IDX=idx)


def _per_pixel():
    """Whether kernels take one pixel per work-item (CPUs) rather than one element (GPUs); see conv.cl."""
    return not runtime.get().is_gpu


def _pixel_kernel(name, dtype, idx, pixels, channels):
    """(kernel, global size) for a kernel over ``pixels`` pixels of ``channels`` channels."""
    if _per_pixel():
        return launch.kernel(_FILE, name, T=cl_type(dtype), IDX=idx, PER_PIXEL=1), pixels
    return _kernel(name, dtype, idx), pixels * channels


def _operands(*arrays):
    """Device arrays of one float dtype (numpy's result type of the inputs)."""
    arrays = [creation.asarray(a) for a in arrays]
    dtype = np.result_type(*[a.dtype for a in arrays])
    return [a if a.dtype == dtype else creation.cast(a, dtype) for a in arrays], dtype


def _rows(array, start, count):
    """Rows ``start .. start + count`` of a 2-D array: the array itself when that is all of it, else a copy."""
    if start == 0 and count == array.shape[0]:
        return array
    out = memory.empty((count,) + array.shape[1:], array.dtype)
    row_bytes = math.prod(array.shape[1:]) * array.dtype.itemsize
    _copy(array, out, start * row_bytes, 0, count * row_bytes)
    return out


def _copy(source, target, source_offset, target_offset, nbytes):
    if nbytes:
        cl.enqueue_copy(runtime.get().queue, target.buffer, source.buffer, byte_count=nbytes,
                        src_offset=source_offset, dst_offset=target_offset)
        debug.count("kernel_launches")


def _im2col(x, geo, start, count):
    """The im2col rows (count*OH*OW, KH*KW*C) of images ``start .. start + count``."""
    if geo.identity:
        return _rows(creation.reshape(x, (geo.n * geo.pixels, geo.c)), start * geo.pixels, count * geo.pixels)
    cols = memory.empty((count * geo.pixels, geo.width), x.dtype)
    idx, _ = index_type(x.size, cols.size)
    kernel, size = _pixel_kernel("im2col", x.dtype, idx, cols.shape[0], geo.width)
    launch.run(kernel, size, _LOCAL, x, cols, index_arg(cols.shape[0], idx), launch.i32(start), *geo.args())
    return cols


def _col2im(dcols, dx, geo, start, count):
    """Fold the rows ``dcols`` of images ``start .. start + count`` into those images of ``dx``."""
    pixels = count * geo.h * geo.w
    idx, _ = index_type(dx.size, dcols.size)
    kernel, size = _pixel_kernel("col2im", dx.dtype, idx, pixels, geo.c)
    launch.run(kernel, size, _LOCAL, dcols, dx, index_arg(pixels, idx), launch.i32(start), *geo.args())


def _forward(x, kernel, geo, dtype):
    """The convolution as an (N*OH*OW, O) device array (the NHWC output's rows)."""
    weights = creation.reshape(kernel, (geo.width, geo.o))
    chunks = geo.chunks(dtype.itemsize)
    if len(chunks) == 1:
        return gemm.gemm(_im2col(x, geo, 0, geo.n), weights)
    out = memory.empty((geo.n * geo.pixels, geo.o), dtype)
    row_bytes = geo.o * dtype.itemsize
    for start, count in chunks:
        part = gemm.gemm(_im2col(x, geo, start, count), weights)
        _copy(part, out, 0, start * geo.pixels * row_bytes, part.nbytes)
    return out


def _input_grad(g, kernel, geo, dtype):
    """The input gradient dx from the output gradient rows ``g`` (N*OH*OW, O)."""
    weights = creation.reshape(kernel, (geo.width, geo.o))
    # With a row length that vector loads divide, g @ W^T ran 1.5-4x faster on PoCL with W^T written out
    # first (it is small) than as a transposed product; with other lengths, 2-4x slower.
    pretranspose = geo.width % _VECTOR_MULTIPLE == 0
    if pretranspose:
        weights = _transpose(weights)

    def product(rows):
        return gemm.gemm(rows, weights, transpose_b=not pretranspose)

    if geo.identity:
        return creation.reshape(product(g), (geo.n, geo.h, geo.w, geo.c))
    dx = memory.empty((geo.n, geo.h, geo.w, geo.c), dtype)
    for start, count in geo.chunks(dtype.itemsize):
        _col2im(product(_rows(g, start * geo.pixels, count * geo.pixels)), dx, geo, start, count)
    return dx


def _transpose(a):
    out = memory.empty((a.shape[1], a.shape[0]), a.dtype)
    idx, _ = index_type(a.size)
    launch.run(_kernel("transpose", a.dtype, idx), a.size, _LOCAL, a, out, launch.i32(a.shape[0]),
               launch.i32(a.shape[1]))
    return out


def _split_count(rows, cols, itemsize):
    """How many slices of the rows a transposed product (cols, rows) @ (rows, .) is split into.

    The product has few outputs and a long inner axis, so one GEMM has little parallel work (split-K ran
    3-5x faster on PoCL). A divisor of ``rows``, each slice at least ``_MIN_SLICE_ROWS`` rows, the partials
    bounded.
    """
    limit = min(_MAX_SLICES, rows // _MIN_SLICE_ROWS, _PARTIAL_BYTES // max(cols * itemsize, 1))
    return next((s for s in range(limit, 1, -1) if rows % s == 0), 1)


def _transposed_product(a, b):
    """``a^T @ b`` for (rows, M) and (rows, N) arrays as a flat (M*N,) array.

    Split over the rows when that gives more parallel work: a batched GEMM of the slices, then their sums
    in slice order (deterministic).
    """
    rows, m, n = a.shape[0], a.shape[1], b.shape[1]
    slices = _split_count(rows, m * n, a.dtype.itemsize)
    if slices == 1:
        return creation.reshape(gemm.gemm(a, b, transpose_a=True), (m * n,))
    parts = gemm.batched_gemm(creation.reshape(a, (slices, rows // slices, m)),
                              creation.reshape(b, (slices, rows // slices, n)), transpose_a=True)
    return _column_sums(creation.reshape(parts, (slices, m * n)))


def _kernel_grad(x, g, geo, dtype):
    """The kernel gradient dkernel (KH, KW, C, O) from the images ``x`` and the output gradient rows ``g``."""
    total = None
    for start, count in geo.chunks(dtype.itemsize):
        part = _transposed_product(_im2col(x, geo, start, count), _rows(g, start * geo.pixels, count * geo.pixels))
        if total is None:
            total = part
        else:
            idx, _ = index_type(total.size)
            launch.run(_kernel("accumulate", dtype, idx), total.size, _LOCAL, total, part, index_arg(total.size, idx))
    return creation.reshape(total, (geo.kh, geo.kw, geo.c, geo.o))


def _empty_case(geo):
    """Whether some axis of the products is empty (then the results are zeros of the right shapes)."""
    return geo.n * geo.pixels == 0 or geo.width == 0 or geo.o == 0


def conv2d(x, kernel, strides, padding, dilation):
    (x, kernel), dtype = _operands(x, kernel)
    geo = _Geometry(x.shape, kernel.shape, strides, padding, dilation)
    if _empty_case(geo):
        return creation.zeros(geo.out_shape, dtype)
    return creation.reshape(_forward(x, kernel, geo, dtype), geo.out_shape)


def conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation):
    (grad, kernel), dtype = _operands(grad, kernel)
    geo = _Geometry(input_shape, kernel.shape, strides, padding, dilation)
    if _empty_case(geo):
        return creation.zeros(tuple(input_shape), dtype)
    return _input_grad(creation.reshape(grad, (-1, geo.o)), kernel, geo, dtype)


def conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation):
    (x, grad), dtype = _operands(x, grad)
    geo = _Geometry(x.shape, kernel_shape, strides, padding, dilation)
    if _empty_case(geo):
        return creation.zeros(tuple(kernel_shape), dtype)
    return _kernel_grad(x, creation.reshape(grad, (-1, geo.o)), geo, dtype)


def conv2d_bias_relu(x, kernel, bias, strides, padding, dilation):
    """``maximum(conv2d(x, kernel) + bias, 0)``: the convolution, then one epilogue kernel in place."""
    (x, kernel, bias), dtype = _operands(x, kernel, bias)
    geo = _Geometry(x.shape, kernel.shape, strides, padding, dilation)
    # An empty product leaves relu(bias) on zeros (e.g. a kernel with no input channels).
    y = creation.zeros(geo.out_shape, dtype) if _empty_case(geo) else _forward(x, kernel, geo, dtype)
    idx, _ = index_type(y.size)
    rows = y.size // max(geo.o, 1)
    epilogue, size = _pixel_kernel("bias_relu", dtype, idx, rows, geo.o)
    launch.run(epilogue, size, _LOCAL, y, bias, index_arg(rows, idx), launch.i32(geo.o))
    return creation.reshape(y, geo.out_shape)


def _masked_with_bias_grad(grad, y, geo, dtype):
    """(g where y > 0 as (rows, O), its column sums).

    One kernel for the mask and the block partial sums, one for the sums of the blocks.
    """
    rows = geo.n * geo.pixels
    blocks = max(1, min(_MAX_BLOCKS, -(-rows // _BLOCK_ROWS)))
    per = -(-rows // blocks)
    masked = memory.empty((rows, geo.o), dtype)
    partial = memory.empty((blocks, geo.o), dtype)
    idx, _ = index_type(masked.size)
    kernel, size = _pixel_kernel("relu_mask_partials", dtype, idx, blocks, geo.o)
    launch.run(kernel, size, _LOCAL, grad, y, masked, partial, index_arg(rows, idx), launch.i32(geo.o),
               launch.i32(blocks), index_arg(per, idx))
    return masked, _column_sums(partial)


def _column_sums(a):
    out = memory.empty((a.shape[1],), a.dtype)
    idx, _ = index_type(a.size)
    launch.run(_kernel("column_sums", a.dtype, idx), a.shape[1], _LOCAL, a, out, launch.i32(a.shape[0]),
               launch.i32(a.shape[1]))
    return out


def conv2d_bias_relu_backward(x, y, grad, kernel, strides, padding, dilation, input_grad):
    """(dx or None, dkernel, dbias) for g = grad where y > 0."""
    (x, y, grad, kernel), dtype = _operands(x, y, grad, kernel)
    geo = _Geometry(x.shape, kernel.shape, strides, padding, dilation)
    if geo.n * geo.pixels == 0 or geo.o == 0:
        dx = creation.zeros(x.shape, dtype) if input_grad else None
        return dx, creation.zeros(kernel.shape, dtype), creation.zeros((geo.o,), dtype)
    g, dbias = _masked_with_bias_grad(grad, y, geo, dtype)
    if geo.width == 0:
        return creation.zeros(x.shape, dtype) if input_grad else None, creation.zeros(kernel.shape, dtype), dbias
    dx = _input_grad(g, kernel, geo, dtype) if input_grad else None
    return dx, _kernel_grad(x, g, geo, dtype), dbias


# ----- depthwise convolution: kernel (KH, KW, C, M), output channel c*M + k -----------------------------------------
def _depthwise_geometry(input_shape, kernel_shape, strides, padding, dilation):
    kh, kw, c, m = (int(s) for s in kernel_shape)
    return _Geometry(input_shape, (kh, kw, c, c * m), strides, padding, dilation), m


def depthwise_conv2d(x, kernel, strides, padding, dilation):
    (x, kernel), dtype = _operands(x, kernel)
    geo, m = _depthwise_geometry(x.shape, kernel.shape, strides, padding, dilation)
    out = memory.empty(geo.out_shape, dtype)
    idx, _ = index_type(x.size, out.size)
    pixels = geo.n * geo.pixels
    k, size = _pixel_kernel("depthwise_forward", dtype, idx, pixels, geo.o)
    launch.run(k, size, _LOCAL, x, kernel, out, index_arg(pixels, idx), *geo.args(m))
    return out


def depthwise_conv2d_backward_input(grad, kernel, input_shape, strides, padding, dilation):
    (grad, kernel), dtype = _operands(grad, kernel)
    geo, m = _depthwise_geometry(input_shape, kernel.shape, strides, padding, dilation)
    dx = memory.empty(tuple(int(s) for s in input_shape), dtype)
    idx, _ = index_type(dx.size, grad.size)
    pixels = geo.n * geo.h * geo.w
    k, size = _pixel_kernel("depthwise_backward_input", dtype, idx, pixels, geo.c)
    launch.run(k, size, _LOCAL, grad, kernel, dx, index_arg(pixels, idx), *geo.args(m))
    return dx


def depthwise_conv2d_backward_kernel(x, grad, kernel_shape, strides, padding, dilation):
    """Each work-item sums x * g over one block of output pixels for one kernel tap (and channel, on a GPU).

    The blocks (enough of them to fill the device) are then added in order.
    """
    (x, grad), dtype = _operands(x, grad)
    geo, m = _depthwise_geometry(x.shape, kernel_shape, strides, padding, dilation)
    elements = math.prod(int(s) for s in kernel_shape)
    pixels = geo.n * geo.pixels
    blocks = max(1, min(_MAX_BLOCKS, -(-pixels // _BLOCK_ROWS), -(-(1 << 16) // max(elements, 1))))
    per = -(-pixels // blocks)
    partial = memory.empty((blocks, elements), dtype)
    idx, _ = index_type(x.size, grad.size, partial.size)
    k, size = _pixel_kernel("depthwise_kernel_partials", dtype, idx, blocks * geo.kh * geo.kw, geo.o)
    launch.run(k, size, _LOCAL, x, grad, partial, index_arg(pixels, idx), launch.i32(blocks), index_arg(per, idx),
               *geo.args(m))
    return creation.reshape(_column_sums(partial), tuple(int(s) for s in kernel_shape))
