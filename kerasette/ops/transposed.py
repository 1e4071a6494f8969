"""Transposed convolution (``conv_transpose``), 1-D, 2-D and 3-D, with Keras's output geometry.

The transposed convolution is the gradient of the convolution with respect to its input. In 2-D it calls the
backend's ``conv2d_backward_input`` (with the forward convolution and its kernel gradient as its own
gradients); 1-D inputs run as 2-D ones; in 3-D it is the equivalent composite (zeros inserted between the
inputs, then a stride-1 ``conv3d`` with the flipped kernel), whose gradients come from the tape.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops import creation, shapes
from kerasette.ops._helpers import _data, _shape, convert_to_tensor
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.convolution import IntOrTuple, _rank, _tuple, check_format, conv3d
from kerasette.ops.tensor import Tensor


def transpose_padding(size, kernel, stride, padding, output_padding, dilation):
    """Keras's transposed-convolution geometry along one axis: ``(left, right)`` pads and the output length.

    The transposed convolution is a stride-1 convolution, with the flipped kernel, of the input with
    ``stride - 1`` zeros inserted between its entries and padded by ``(left, right)`` (JAX's formulation,
    which every Keras backend reproduces).

    Args:
        size: the input length.
        kernel: the kernel length.
        stride: the stride.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None or an int added to the output length.
        dilation: the dilation rate.

    Returns:
        ``(left, right, output_length)``.
    """
    k = (kernel - 1) * dilation + 1
    if padding == "valid":
        left, right = k - 1, k - 1 + (max(k, stride) - k if output_padding is None else output_padding)
    else:
        total = stride + k - 2 if output_padding is None else k + k % 2 - 2 + output_padding
        left = min(total // 2 + total % 2, k - 1)
        right = total - left
    return left, right, (size - 1) * stride + 1 + left + right - k + 1


def _transpose_geometry(x_shape, k_shape, strides, padding, output_padding, dilation):
    rank = len(x_shape) - 2
    if output_padding is not None:
        output_padding = (output_padding,) * rank if isinstance(output_padding, int) else tuple(output_padding)
        if len(output_padding) != rank or any(p < 0 or p >= s for p, s in zip(output_padding, strides)):
            raise ValueError(f"`output_padding` must be >= 0 and smaller than `strides`. Received: "
                             f"output_padding={output_padding}, strides={strides}")
    return [transpose_padding(size, k, s, padding, None if output_padding is None else p, d)
            for size, k, s, p, d in zip(x_shape[1:-1], k_shape[:rank], strides,
                                        output_padding or (0,) * rank, dilation)]


def _conv2d_transpose(inputs, kernel, strides, geometry, dilation):
    """The 2-D transposed convolution as ``conv2d_backward_input``, with its own gradient rules."""
    x_shape, k_shape = tuple(_shape(inputs)), tuple(_shape(kernel))
    pads = []
    for (left, right, out), k, s, d, size in zip(geometry, k_shape[:2], strides, dilation, x_shape[1:3]):
        k_eff = (k - 1) * d + 1
        before, after = k_eff - 1 - left, max(k_eff - 1 - right, 0)
        if before < 0 or not 0 <= out + before + after - k_eff - (size - 1) * s < s:
            raise ValueError(f"`conv_transpose`: unsupported geometry (kernel {k}, stride {s}, dilation {d}, "
                             f"output length {out}).")
        pads.append((before, after))
    pads = tuple(pads)
    out_shape = (x_shape[0], geometry[0][2], geometry[1][2], k_shape[2])
    B = _backend()

    def grad_inputs(g):
        return Tensor(B.conv2d(g.data, _data(kernel), strides, pads, dilation))

    def grad_kernel(g):
        return Tensor(B.conv2d_backward_kernel(g.data, _data(inputs), k_shape, strides, pads, dilation))

    out = B.conv2d_backward_input(_data(inputs), _data(kernel), out_shape, strides, pads, dilation)
    return make_tensor(out, (inputs, kernel), [grad_inputs, grad_kernel])


def _dilate(x, axis, stride):
    """Insert ``stride - 1`` zeros between the entries of ``x`` along ``axis``."""
    if stride == 1:
        return x
    shape = tuple(_shape(x))
    zeros = creation.zeros(shape, x.dtype)
    spread = shapes.stack([x] + [zeros] * (stride - 1), axis=axis + 1)
    spread = shapes.reshape(spread, shape[:axis] + (shape[axis] * stride,) + shape[axis + 1:])
    return shapes.take(spread, np.arange((shape[axis] - 1) * stride + 1), axis=axis)


def _conv3d_transpose(inputs, kernel, strides, geometry, dilation):
    x = inputs
    for axis, s in enumerate(strides, start=1):
        x = _dilate(x, axis, s)
    x = shapes.pad(x, ((0, 0),) + tuple((left, right) for left, right, _ in geometry) + ((0, 0),))
    flipped = kernel
    for axis, k in enumerate(tuple(_shape(kernel))[:3]):
        flipped = shapes.take(flipped, np.arange(k)[::-1], axis=axis)
    return conv3d(x, shapes.transpose(flipped, (0, 1, 2, 4, 3)), 1, "valid", dilation)


def conv_transpose(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: IntOrTuple = 1,
    padding: str = "valid",
    output_padding: Optional[IntOrTuple] = None,
    data_format: Optional[str] = None,
    dilation_rate: IntOrTuple = 1,
) -> Tensor:
    """Transposed convolution (sometimes called deconvolution), 1-D, 2-D or 3-D, channels_last.

    The gradient of ``conv`` with respect to its input, as a forward op: each input pixel scatters the kernel,
    scaled by its value, into the output. ``kernel`` is ``(spatial..., out_channels, in_channels)`` (Keras's
    layout). The output's spatial sizes are ``(size - 1) * strides + max(kernel, strides)`` for ``"valid"`` and
    ``size * strides`` for ``"same"`` (unless ``output_padding`` is given), as in Keras.

    Args:
        inputs: a tensor ``(batch, spatial..., in_channels)`` of rank 3, 4 or 5.
        kernel: a tensor ``(spatial..., out_channels, in_channels)``.
        strides: an int or one int per spatial axis.
        padding: ``"valid"`` or ``"same"``, case-insensitive.
        output_padding: None, or an int or one int per spatial axis (each smaller than its stride): the
            amount added to the output's length, which fixes it when several lengths are possible.
        data_format: None or ``"channels_last"``, the only layout supported.
        dilation_rate: an int or one int per spatial axis.

    Returns:
        A tensor ``(batch, out_spatial..., out_channels)``.

    Raises:
        ValueError: for mismatched shapes, another ``data_format`` or ``padding``, or an ``output_padding``
            not smaller than the stride.

    Example:
        >>> from kerasette import ops
        >>> y = ops.conv_transpose(ops.ones((1, 2, 2, 1)), ops.ones((2, 2, 1, 1)), strides=2)
        >>> y.shape, y.numpy()[0, :, :, 0].tolist()[0]
        ((1, 4, 4, 1), [1.0, 1.0, 1.0, 1.0])
    """
    check_format(data_format)
    inputs, kernel = convert_to_tensor(inputs), convert_to_tensor(kernel)
    rank = _rank(inputs, "conv_transpose")
    x_shape, k_shape = tuple(_shape(inputs)), tuple(_shape(kernel))
    if len(k_shape) != rank + 2 or k_shape[-1] != x_shape[-1]:
        raise ValueError(f"`conv_transpose` expects a kernel (spatial..., out, in) with `in` = the inputs' channels. "
                         f"Received inputs of shape {x_shape} and a kernel of shape {k_shape}.")
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same"):
        raise ValueError(f'Expected `padding` to be "valid" or "same". Received: padding={padding!r}')
    strides, dilation = _tuple(strides, rank, "strides"), _tuple(dilation_rate, rank, "dilation_rate")
    if rank == 1:
        op = output_padding if output_padding is None or isinstance(output_padding, int) else output_padding[0]
        y = conv_transpose(shapes.expand_dims(inputs, 1), shapes.expand_dims(kernel, 0), (1, strides[0]), padding,
                           None if op is None else (0, op), None, (1, dilation[0]))
        return shapes.squeeze(y, 1)
    geometry = _transpose_geometry(x_shape, k_shape, strides, padding, output_padding, dilation)
    if rank == 2:
        return _conv2d_transpose(inputs, kernel, strides, geometry, dilation)
    return _conv3d_transpose(inputs, kernel, strides, geometry, dilation)


def conv_transpose_output_shape(input_shape: Sequence[Optional[int]], kernel_size: Sequence[int], filters: int,
                                strides: Sequence[int], padding: str, output_padding=None,
                                dilation_rate: Sequence[int] = None) -> Tuple[Optional[int], ...]:
    """The output shape of ``conv_transpose`` for a channels_last ``input_shape`` (None for unknown sizes).

    Args:
        input_shape: ``(batch, spatial..., channels)``.
        kernel_size: the kernel's spatial sizes.
        filters: the output channels.
        strides: one stride per spatial axis.
        padding: ``"valid"`` or ``"same"``.
        output_padding: None or one int per spatial axis.
        dilation_rate: one dilation per spatial axis (None: 1).

    Returns:
        The output shape tuple.
    """
    rank = len(kernel_size)
    dilation_rate = dilation_rate or (1,) * rank
    sizes = [None if size is None else transpose_padding(size, k, s, padding, None if output_padding is None else p,
                                                         d)[2]
             for size, k, s, p, d in zip(input_shape[1:-1], kernel_size, strides, output_padding or (0,) * rank,
                                         dilation_rate)]
    return (input_shape[0], *sizes, filters)
