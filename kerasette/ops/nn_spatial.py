"""Spatial neural-network ops: depth/space moves, adaptive pooling, unfold and fold (all differentiable)."""

from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, convert_to_tensor
from kerasette.ops._promote import tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.reductions import max as _max
from kerasette.ops.reductions import mean as _mean
from kerasette.ops.shapes import concatenate, pad, reshape, take, transpose
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor

IntOrTuple = Union[int, Sequence[int]]


def _tuple(value, n, name, op):
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"Invalid value for argument `{name}` of `{op}`. Expected an int or {n} ints. "
                         f"Received: {name}={value}")
    return value


def _channels_last(x, data_format, op):
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f'Invalid value for argument `data_format` of `{op}`. Expected "channels_last" or '
                         f'"channels_first". Received: data_format={data_format!r}')
    return data_format == "channels_first"


def _to_last(x):
    return transpose(x, [0] + list(range(2, x.ndim)) + [1])


def _to_first(x):
    return transpose(x, [0, x.ndim - 1] + list(range(1, x.ndim - 1)))


def depth_to_space(x: TensorLike, block_size: int, data_format: str = "channels_last") -> Tensor:
    """Move channel blocks into ``block_size`` x ``block_size`` pixel blocks (pixel shuffle).

    Args:
        x: an image batch ``(N, H, W, C)`` (or ``(N, C, H, W)``), ``C`` divisible by ``block_size**2``.
        block_size: the block's side.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        A Tensor ``(N, H * b, W * b, C / b**2)`` (or channels first).

    Example:
        >>> from kerasette import ops
        >>> ops.depth_to_space(ops.ones((1, 2, 2, 8)), 2).shape
        (1, 4, 4, 2)
    """
    first = _channels_last(x, data_format, "depth_to_space")
    x = tensor(x)
    b = int(block_size)
    x = _to_last(x) if first else x
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(f"`depth_to_space`: channels ({c}) must be divisible by block_size**2 ({b * b}).")
    out = reshape(transpose(reshape(x, (n, h, w, b, b, c // (b * b))), (0, 1, 3, 2, 4, 5)),
                  (n, h * b, w * b, c // (b * b)))
    return _to_first(out) if first else out


def space_to_depth(x: TensorLike, block_size: int, data_format: str = "channels_last") -> Tensor:
    """Move ``block_size`` x ``block_size`` pixel blocks into channels (the inverse of ``depth_to_space``).

    Args:
        x: an image batch ``(N, H, W, C)`` (or ``(N, C, H, W)``), ``H`` and ``W`` divisible by ``block_size``.
        block_size: the block's side.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Returns:
        A Tensor ``(N, H / b, W / b, C * b**2)`` (or channels first).

    Example:
        >>> from kerasette import ops
        >>> ops.space_to_depth(ops.ones((1, 4, 4, 2)), 2).shape
        (1, 2, 2, 8)
    """
    first = _channels_last(x, data_format, "space_to_depth")
    x = tensor(x)
    b = int(block_size)
    x = _to_last(x) if first else x
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(f"`space_to_depth`: height and width ({h}, {w}) must be divisible by block_size ({b}).")
    out = reshape(transpose(reshape(x, (n, h // b, b, w // b, b, c)), (0, 1, 3, 2, 4, 5)),
                  (n, h // b, w // b, c * b * b))
    return _to_first(out) if first else out


def _adaptive(inputs, output_size, data_format, reduce, op):
    first = _channels_last(inputs, data_format, op)
    x = to_float(inputs)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"`{op}` needs a batch of 1-D, 2-D or 3-D inputs (rank 3 to 5). Received {x.shape}.")
    x = _to_last(x) if first else x
    spatial = x.ndim - 2
    sizes = _tuple(output_size, spatial, "output_size", op)
    for axis, out in enumerate(sizes, start=1):
        n = x.shape[axis]
        parts = []
        for i in range(out):  # bin i covers [floor(i n / out), ceil((i + 1) n / out))
            start, stop = (i * n) // out, -(-((i + 1) * n) // out)
            starts, stops = [0] * x.ndim, list(x.shape)
            starts[axis], stops[axis] = start, stop
            parts.append(reduce(_slice_stops(x, starts, stops), axis=axis, keepdims=True))
        x = concatenate(parts, axis=axis)
    return _to_first(x) if first else x


def adaptive_average_pool(inputs: TensorLike, output_size: IntOrTuple, data_format: Optional[str] = None) -> Tensor:
    """Average pooling to a fixed output size: bin ``i`` of ``n`` inputs covers ``[i n / out, (i + 1) n / out)``.

    Args:
        inputs: a batch of 1-D, 2-D or 3-D inputs with channels (rank 3 to 5).
        output_size: an int or one size per spatial axis.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Returns:
        A Tensor with spatial shape ``output_size``.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.arange(6.0), (1, 6, 1))
        >>> ops.adaptive_average_pool(x, 3).numpy().ravel().tolist()
        [0.5, 2.5, 4.5]
    """
    return _adaptive(inputs, output_size, data_format, _mean, "adaptive_average_pool")


def adaptive_max_pool(inputs: TensorLike, output_size: IntOrTuple, data_format: Optional[str] = None) -> Tensor:
    """Max pooling to a fixed output size (bins as ``adaptive_average_pool``).

    Args:
        inputs: a batch of 1-D, 2-D or 3-D inputs with channels (rank 3 to 5).
        output_size: an int or one size per spatial axis.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Returns:
        A Tensor with spatial shape ``output_size``.
    """
    return _adaptive(inputs, output_size, data_format, _max, "adaptive_max_pool")


def _patch_positions(height, width, kernel, dilation, padding, stride):
    """(flat positions (kh * kw, L) into the padded image, padded shape, patch grid)."""
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    hp, wp = height + 2 * ph, width + 2 * pw
    oh = (hp - (kh - 1) * dh - 1) // sh + 1
    ow = (wp - (kw - 1) * dw - 1) // sw + 1
    if oh <= 0 or ow <= 0:
        raise ValueError(f"The window ({kh}, {kw}) with dilation ({dh}, {dw}) does not fit the padded input "
                         f"({hp}, {wp}).")
    i = np.arange(kh)[:, None, None, None] * dh + np.arange(oh)[None, None, :, None] * sh
    j = np.arange(kw)[None, :, None, None] * dw + np.arange(ow)[None, None, None, :] * sw
    return (i * wp + j).reshape(kh * kw, oh * ow), (hp, wp)


def _fold_arguments(kernel_size, dilation, padding, stride, op):
    return (_tuple(kernel_size, 2, "kernel_size", op), _tuple(dilation, 2, "dilation", op),
            _tuple(padding, 2, "padding", op), _tuple(stride, 2, "stride", op))


def unfold(x: TensorLike, kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0,
           stride: IntOrTuple = 1) -> Tensor:
    """Sliding blocks of a channels-first image batch, flattened (im2col, as ``torch.nn.functional.unfold``).

    Args:
        x: a tensor ``(N, C, H, W)``.
        kernel_size: the block size, an int or ``(kh, kw)``.
        dilation: the spacing between a block's taps.
        padding: zeros added on each side of both spatial axes.
        stride: the step between blocks.

    Returns:
        A Tensor ``(N, C * kh * kw, L)``, L the number of blocks, channel-major.

    Raises:
        ValueError: for inputs that are not rank 4.

    Example:
        >>> from kerasette import ops
        >>> ops.unfold(ops.ones((1, 2, 4, 4)), kernel_size=2, stride=2).shape
        (1, 8, 4)
    """
    x = tensor(x)
    if x.ndim != 4:
        raise ValueError(f"`unfold` needs a 4-D input (N, C, H, W). Received shape {x.shape}.")
    kernel, dilation, padding, stride = _fold_arguments(kernel_size, dilation, padding, stride, "unfold")
    n, c, h, w = x.shape
    positions, (hp, wp) = _patch_positions(h, w, kernel, dilation, padding, stride)
    padded = pad(x, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))
    flat = reshape(padded, (n, c, hp * wp))
    blocks = take(flat, convert_to_tensor(positions.astype(np.int64)), axis=2)  # (N, C, kh*kw, L)
    return reshape(blocks, (n, c * positions.shape[0], positions.shape[1]))


def fold(x: TensorLike, output_size: IntOrTuple, kernel_size: IntOrTuple, dilation: IntOrTuple = 1,
         padding: IntOrTuple = 0, stride: IntOrTuple = 1) -> Tensor:
    """Sum flattened sliding blocks back into an image (col2im, the adjoint of ``unfold``).

    Args:
        x: a tensor ``(N, C * kh * kw, L)``.
        output_size: the image's ``(H, W)`` (an int for both).
        kernel_size: the block size.
        dilation: the spacing between a block's taps.
        padding: the padding ``unfold`` added (cropped off here).
        stride: the step between blocks.

    Returns:
        A Tensor ``(N, C, H, W)``; overlapping blocks add up.

    Raises:
        ValueError: when ``x`` does not match the block layout.

    Example:
        >>> from kerasette import ops
        >>> patches = ops.unfold(ops.ones((1, 2, 4, 4)), kernel_size=2, stride=2)
        >>> ops.fold(patches, output_size=(4, 4), kernel_size=2, stride=2).shape
        (1, 2, 4, 4)
    """
    x = to_float(x)
    if x.ndim != 3:
        raise ValueError(f"`fold` needs a 3-D input (N, C * kh * kw, L). Received shape {x.shape}.")
    height, width = _tuple(output_size, 2, "output_size", "fold")
    kernel, dilation, padding, stride = _fold_arguments(kernel_size, dilation, padding, stride, "fold")
    positions, (hp, wp) = _patch_positions(height, width, kernel, dilation, padding, stride)
    taps, blocks = positions.shape
    n, rows, count = x.shape
    if rows % taps or count != blocks:
        raise ValueError(f"`fold`: an input of shape {x.shape} does not hold {blocks} blocks of {taps} taps for "
                         f"output_size {(height, width)}.")
    channels = rows // taps
    flat_positions = convert_to_tensor(positions.reshape(-1).astype(np.int64))
    updates = reshape(x, (n, channels, taps * blocks))
    B = _backend()
    data = B.scatter_add((n, channels, hp * wp), _data(flat_positions), _data(updates), 2)
    summed = make_tensor(data, (updates,), [lambda g: take(g, flat_positions, axis=2)])
    image = reshape(summed, (n, channels, hp, wp))
    return _slice_stops(image, [0, 0, padding[0], padding[1]], [n, channels, padding[0] + height, padding[1] + width])

