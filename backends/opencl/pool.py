"""Pooling primitives: max and average pooling over NHWC images and their gradients, one direct kernel each.

The backward kernels gather (one work-item per input pixel, looping over the windows that hold it), so
overlapping windows need no atomics and the sums are deterministic. Padding pixels never win a max and
are not counted in an average, as in the numpy backend.
"""

import math

import numpy as np
from kerasette.backends.opencl import creation, launch, memory, runtime
from kerasette.backends.opencl.indexing import index_arg, index_type
from kerasette.backends.opencl.memory import cl_type
from kerasette.backends.sliding_window import conv_output_length

__all__ = ["max_pool2d", "max_pool2d_backward", "avg_pool2d", "avg_pool2d_backward"]

_FILE = "pool.cl"
_LOCAL = 128


def _geometry(input_shape, pool_size, strides, padding):
    """The int kernel arguments H, W, C, OH, OW, PH, PW, SH, SW, TOP, LEFT and the output shape."""
    n, h, w, c = (int(s) for s in input_shape)
    (ph, pw), (sh, sw) = (int(p) for p in pool_size), (int(s) for s in strides)
    (top, bottom), (left, right) = ((int(a), int(b)) for a, b in padding)
    oh = conv_output_length(h, ph, (top, bottom), sh)
    ow = conv_output_length(w, pw, (left, right), sw)
    args = [launch.i32(v) for v in (h, w, c, oh, ow, ph, pw, sh, sw, top, left)]
    return args, (n, oh, ow, c)


def _per_pixel():
    """Whether kernels take one pixel per work-item (CPUs) rather than one element (GPUs); see pool.cl."""
    return not runtime.get().is_gpu


def _run(name, dtype, grad_dtype, shapes, pixel_shape, arrays, geometry):
    """Launch ``name`` on ``arrays`` over the pixels of ``pixel_shape`` (N, H, W, C).

    One work-item per element on a GPU, per pixel on a CPU (``PER_PIXEL``; see pool.cl); the index type covers
    every shape of ``shapes``.
    """
    idx, _ = index_type(*(math.prod(s) for s in shapes))
    defines = {"T": cl_type(dtype), "TG": cl_type(grad_dtype), "IDX": idx}
    pixels = int(np.prod(pixel_shape[:3]))
    size = pixels
    if _per_pixel():
        defines["PER_PIXEL"] = 1
    else:
        size *= pixel_shape[3]
    launch.run(launch.kernel(_FILE, name, **defines), size, _LOCAL, *arrays, index_arg(pixels, idx), *geometry)


def _floating(x):
    """``x`` as a float array (integers average to float64, as numpy's division gives)."""
    return x if x.dtype.kind == "f" else creation.cast(x, np.float64)


def max_pool2d(x, pool_size, strides, padding):
    x = creation.asarray(x)
    args, out_shape = _geometry(x.shape, pool_size, strides, padding)
    out = memory.empty(out_shape, x.dtype)
    _run("max_pool", x.dtype, x.dtype, (x.shape, out_shape), out_shape, (x, out), args)
    return out


def max_pool2d_backward(x, y, grad, pool_size, strides, padding):
    """Each window's gradient goes to the window's first (row-major) maximum."""
    x, y, grad = creation.asarray(x), creation.asarray(y), creation.asarray(grad)
    if y.dtype != x.dtype:
        y = creation.cast(y, x.dtype)
    args, out_shape = _geometry(x.shape, pool_size, strides, padding)
    dx = memory.empty(x.shape, grad.dtype)
    _run("max_pool_backward", x.dtype, grad.dtype, (x.shape, out_shape), x.shape, (x, y, grad, dx), args)
    return dx


def avg_pool2d(x, pool_size, strides, padding):
    x = _floating(creation.asarray(x))
    args, out_shape = _geometry(x.shape, pool_size, strides, padding)
    out = memory.empty(out_shape, x.dtype)
    _run("avg_pool", x.dtype, x.dtype, (x.shape, out_shape), out_shape, (x, out), args)
    return out


def avg_pool2d_backward(grad, input_shape, pool_size, strides, padding):
    grad = _floating(creation.asarray(grad))
    args, out_shape = _geometry(input_shape, pool_size, strides, padding)
    dx = memory.empty(tuple(int(s) for s in input_shape), grad.dtype)
    _run("avg_pool_backward", grad.dtype, grad.dtype, (dx.shape, out_shape), dx.shape, (grad, dx), args)
    return dx
