"""Convolutions and pooling of 1-D and 3-D inputs, built on the 2-D primitives.

1-D inputs ``(batch, width, channels)`` run as 2-D ones with an inserted height of 1. A 3-D convolution
gathers the ``kd`` depth taps of each output plane side by side in the channel axis and runs one 2-D
convolution over them (one GEMM-sized call, ``kd`` times the input in memory); 3-D pooling is separable,
a 2-D pooling over height and width, then one over depth. Gradients come from the tape. The transposed
convolution lives in ``kerasette.ops.transposed``.
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np

from kerasette.backends.sliding_window import conv_output_length
from kerasette.ops import nn, shapes
from kerasette.ops._helpers import _shape, convert_to_tensor
from kerasette.ops._types import TensorLike
from kerasette.ops.tensor import Tensor

IntOrTuple = Union[int, Sequence[int]]


def _tuple(value, rank, name):
    value = (value,) * rank if isinstance(value, (int, np.integer)) else tuple(int(v) for v in value)
    if len(value) != rank or min(value) < 1:
        raise ValueError(f"Expected `{name}` to be a positive int or {rank} positive ints. Received: {name}={value}")
    return value


def _rank(inputs, op):
    rank = len(_shape(inputs)) - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"`{op}` expects inputs of rank 3, 4 or 5 (batch, spatial..., channels). Received inputs "
                         f"of shape {tuple(_shape(inputs))}.")
    return rank


def check_format(data_format):
    """Refuse any layout but channels_last (None means channels_last).

    Args:
        data_format: the value received.

    Raises:
        ValueError: for another value.
    """
    if data_format not in (None, "channels_last"):
        raise ValueError(f'Only data_format="channels_last" is supported. Received: {data_format!r}')


# ----- 1-D as 2-D ---------------------------------------------------------------------------------------
def as_2d(fn, inputs, *kernels, window_args=(), **kwargs):
    """Run the 2-D op ``fn`` on 1-D ``inputs``: a height of 1 is inserted in the inputs and every kernel.

    Args:
        fn: a 2-D op taking ``(inputs, *kernels, *window_args, **kwargs)``.
        inputs: a ``(batch, width, channels)`` tensor.
        *kernels: kernels ``(k, ...)``, which become ``(1, k, ...)``.
        window_args: the window arguments (ints), each becoming ``(1, value)``.
        **kwargs: further keyword arguments of ``fn``.

    Returns:
        The result with the inserted axis removed.
    """
    kernels = [shapes.expand_dims(k, 0) for k in kernels]
    pairs = [(1, int(a if isinstance(a, (int, np.integer)) else a[0])) for a in window_args]
    return shapes.squeeze(fn(shapes.expand_dims(inputs, 1), *kernels, *pairs, **kwargs), 1)


def causal_pad(inputs, kernel_size, dilation):
    """Pad 1-D ``inputs`` on the left by ``(kernel_size - 1) * dilation`` (Keras's ``padding="causal"``).

    Args:
        inputs: a ``(batch, width, channels)`` tensor.
        kernel_size: the kernel's width.
        dilation: the dilation rate.

    Returns:
        The padded tensor; a "valid" convolution of it has the input's width with stride 1.
    """
    return shapes.pad(inputs, ((0, 0), ((kernel_size - 1) * dilation, 0), (0, 0)))


def conv_nd(inputs: TensorLike, kernel: TensorLike, strides: IntOrTuple = 1, padding: str = "valid",
            dilation_rate: IntOrTuple = 1) -> Tensor:
    """``ops.conv`` for 1-D and 3-D inputs (``ops.conv`` forwards them here).

    Args:
        inputs: a ``(batch, width, in)`` or ``(batch, depth, height, width, in)`` tensor.
        kernel: a ``(k, in, out)`` or ``(kd, kh, kw, in, out)`` kernel.
        strides: an int or one int per spatial axis.
        padding: ``"valid"`` or ``"same"``.
        dilation_rate: an int or one int per spatial axis.

    Returns:
        The convolution's output.
    """
    inputs = convert_to_tensor(inputs)
    if _rank(inputs, "conv") == 3:
        return conv3d(inputs, kernel, strides, padding, dilation_rate)
    return as_2d(nn.conv, inputs, kernel, window_args=(_tuple(strides, 1, "strides"),), padding=padding,
                 dilation_rate=(1, _tuple(dilation_rate, 1, "dilation_rate")[0]))


def depthwise_conv_1d(inputs: TensorLike, kernel: TensorLike, strides: IntOrTuple = 1, padding: str = "valid",
                      dilation_rate: IntOrTuple = 1) -> Tensor:
    """``ops.depthwise_conv`` for 1-D inputs ``(batch, width, in)`` with a ``(k, in, multiplier)`` kernel.

    Args:
        inputs: a rank-3 tensor.
        kernel: a ``(k, in, multiplier)`` kernel.
        strides: an int or one int.
        padding: ``"valid"`` or ``"same"``.
        dilation_rate: an int or one int.

    Returns:
        A ``(batch, out_width, in * multiplier)`` tensor.
    """
    return as_2d(nn.depthwise_conv, convert_to_tensor(inputs), kernel, window_args=(_tuple(strides, 1, "strides"),),
                 padding=padding,
                 dilation_rate=(1, _tuple(dilation_rate, 1, "dilation_rate")[0]))


def separable_conv_1d(inputs: TensorLike, depthwise_kernel: TensorLike, pointwise_kernel: TensorLike,
                      strides: IntOrTuple = 1, padding: str = "valid", dilation_rate: IntOrTuple = 1) -> Tensor:
    """``ops.separable_conv`` for 1-D inputs ``(batch, width, in)``.

    Args:
        inputs: a rank-3 tensor.
        depthwise_kernel: a ``(k, in, multiplier)`` kernel.
        pointwise_kernel: a ``(1, in * multiplier, out)`` kernel.
        strides: an int or one int.
        padding: ``"valid"`` or ``"same"``.
        dilation_rate: an int or one int.

    Returns:
        A ``(batch, out_width, out)`` tensor.
    """
    return as_2d(nn.separable_conv, convert_to_tensor(inputs), depthwise_kernel, pointwise_kernel,
                 window_args=(_tuple(strides, 1, "strides"),), padding=padding,
                 dilation_rate=(1, _tuple(dilation_rate, 1, "dilation_rate")[0]))


def pool_nd(pool_2d, inputs: TensorLike, pool_size: IntOrTuple, strides: Optional[IntOrTuple] = None,
            padding: str = "valid") -> Tensor:
    """``ops.max_pool`` / ``ops.average_pool`` for 1-D and 3-D inputs (they forward them here).

    Args:
        pool_2d: ``nn.max_pool`` or ``nn.average_pool``.
        inputs: a ``(batch, width, channels)`` or ``(batch, depth, height, width, channels)`` tensor.
        pool_size: an int or one int per spatial axis.
        strides: an int or one int per spatial axis (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"``.

    Returns:
        The pooled tensor.
    """
    inputs = convert_to_tensor(inputs)
    if _rank(inputs, "pool") == 3:
        return pool3d(pool_2d, inputs, pool_size, strides, padding)
    pool_size = _tuple(pool_size, 1, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, 1, "strides")
    return as_2d(pool_2d, inputs, window_args=(pool_size, strides), padding=padding)


# ----- 3-D ----------------------------------------------------------------------------------------------
def conv3d(inputs: TensorLike, kernel: TensorLike, strides: IntOrTuple = 1, padding: str = "valid",
           dilation_rate: IntOrTuple = 1) -> Tensor:
    """3-D cross-correlation of ``(batch, depth, height, width, in)`` inputs with a ``(kd, kh, kw, in, out)`` kernel.

    Args:
        inputs: a rank-5 channels_last tensor.
        kernel: a tensor ``(kd, kh, kw, in, out)``.
        strides: an int or 3 ints.
        padding: ``"valid"`` or ``"same"``.
        dilation_rate: an int or 3 ints.

    Returns:
        A tensor ``(batch, out_depth, out_height, out_width, out)``.

    Raises:
        ValueError: for mismatched shapes or an input too small for the kernel.
    """
    x_shape, k_shape = tuple(_shape(inputs)), tuple(_shape(kernel))
    if len(x_shape) != 5 or len(k_shape) != 5 or x_shape[4] != k_shape[3]:
        raise ValueError(f"`conv` expects (batch, d, h, w, in) inputs and a (kd, kh, kw, in, out) kernel. Received "
                         f"inputs of shape {x_shape} and a kernel of shape {k_shape}.")
    strides, dilation = _tuple(strides, 3, "strides"), _tuple(dilation_rate, 3, "dilation_rate")
    padding = padding.lower()
    before, after = nn.explicit_padding(padding, x_shape[1:2], k_shape[:1], strides[:1], dilation[:1])[0]
    depth = conv_output_length(x_shape[1], k_shape[0], (before, after), strides[0], dilation[0])
    if depth <= 0:
        raise ValueError(f"`conv` with padding={padding!r}: inputs of shape {x_shape} are too shallow for a kernel of "
                         f"depth {k_shape[0]} (dilation {dilation[0]}).")
    x = shapes.pad(inputs, ((0, 0), (before, after), (0, 0), (0, 0), (0, 0))) if before or after else inputs
    taps = [shapes.take(x, np.arange(depth) * strides[0] + t * dilation[0], axis=1) for t in range(k_shape[0])]
    stacked = taps[0] if len(taps) == 1 else shapes.concatenate(taps, axis=-1)  # (n, depth, h, w, kd * in)
    planes = shapes.reshape(stacked, (x_shape[0] * depth,) + x_shape[2:4] + (k_shape[0] * x_shape[4],))
    kernel_2d = shapes.reshape(shapes.transpose(kernel, (1, 2, 0, 3, 4)), k_shape[1:3] + (-1, k_shape[4]))
    out = nn.conv(planes, kernel_2d, strides[1:], padding, None, dilation[1:])
    return shapes.reshape(out, (x_shape[0], depth) + tuple(out.shape[1:]))


def pool3d(pool_2d, inputs: TensorLike, pool_size: IntOrTuple, strides: Optional[IntOrTuple] = None,
           padding: str = "valid") -> Tensor:
    """3-D max or average pooling as a 2-D pooling over height and width, then one over depth.

    Both are exact: a box window's maximum (or mean over its valid cells) is the maximum (mean) over depth of
    the per-plane maxima (means).

    Args:
        pool_2d: ``nn.max_pool`` or ``nn.average_pool``.
        inputs: a ``(batch, depth, height, width, channels)`` tensor.
        pool_size: an int or 3 ints.
        strides: an int or 3 ints (None: ``pool_size``).
        padding: ``"valid"`` or ``"same"``.

    Returns:
        The pooled ``(batch, out_depth, out_height, out_width, channels)`` tensor.
    """
    pool_size = _tuple(pool_size, 3, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, 3, "strides")
    n, d, h, w, c = tuple(_shape(inputs))
    planes = pool_2d(shapes.reshape(inputs, (n * d, h, w, c)), pool_size[1:], strides[1:], padding)
    oh, ow = planes.shape[1:3]
    columns = shapes.reshape(planes, (n, d, oh * ow, c))
    out = pool_2d(columns, (pool_size[0], 1), (strides[0], 1), padding)
    return shapes.reshape(out, (n, out.shape[1], oh, ow, c))
