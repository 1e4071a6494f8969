"""Checks and shape helpers shared by the ``kerasette.ops.image`` functions (NHWC images only)."""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops.keras_forms import expand_dims
from kerasette.ops.shapes import squeeze
from kerasette.ops.tensor import Tensor


def check_data_format(data_format: Optional[str], op: str) -> str:
    """``"channels_last"`` for None or ``"channels_last"``; anything else raises.

    Args:
        data_format: the argument received.
        op: the op's name, for the message.

    Returns:
        ``"channels_last"``.

    Raises:
        ValueError: for ``"channels_first"`` or any other value.
    """
    if data_format not in (None, "channels_last"):
        raise ValueError(f"Invalid value for argument `data_format` of `{op}`. Expected \"channels_last\" (the only "
                         f"image layout kerasette supports). Received: data_format={data_format!r}")
    return "channels_last"


def as_batch(images, op: str) -> Tuple[Tensor, bool]:
    """``images`` as a rank-4 tensor (N, H, W, C), and whether it was a single rank-3 image.

    Args:
        images: a tensor or array of rank 3 or 4.
        op: the op's name, for the message.

    Returns:
        ``(batch, single)``.

    Raises:
        ValueError: for any other rank.
    """
    images = convert_to_tensor(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"Invalid images rank for `{op}`: expected rank 3 (single image) or rank 4 (batch of "
                         f"images). Received input with shape: images.shape={images.shape}")
    return (expand_dims(images, 0), True) if images.ndim == 3 else (images, False)


def unbatch(images: Tensor, single: bool) -> Tensor:
    """Undo ``as_batch``: drop the batch axis again for a single image.

    Args:
        images: a rank-4 tensor.
        single: ``as_batch``'s second result.

    Returns:
        ``images``, or ``images[0]`` when ``single``.
    """
    return squeeze(images, 0) if single else images


def is_float(dtype: str) -> bool:
    """Whether ``dtype`` names a floating-point type.

    Args:
        dtype: a dtype name.

    Returns:
        True for float16/32/64.
    """
    return np.issubdtype(np.dtype(dtype), np.floating)


def to_float(images: Tensor) -> Tensor:
    """Integer images as float32 (float ones unchanged), for ops that compute in floats.

    Args:
        images: a tensor.

    Returns:
        A float tensor.
    """
    return images if is_float(images.dtype) else cast(images, "float32")


def back_to_dtype(result: Tensor, dtype: str) -> Tensor:
    """``result`` in ``dtype``: integer dtypes are rounded and clipped to their range first (a saturating cast).

    Args:
        result: a float tensor.
        dtype: the dtype to return.

    Returns:
        A tensor of ``dtype``.
    """
    from kerasette.ops.elementwise import clip
    from kerasette.ops.rounding import round as round_half_even

    if result.dtype == dtype:
        return result
    if is_float(dtype):
        return cast(result, dtype)
    info = np.iinfo(np.dtype(dtype))
    return cast(clip(round_half_even(result), float(info.min), float(info.max)), dtype)


def positive_size(size, op: str, argument: str = "size") -> Tuple[int, int]:
    """A (height, width) pair of positive ints.

    Args:
        size: the value received.
        op: the op's name, for the message.
        argument: the argument's name.

    Returns:
        ``(height, width)``.

    Raises:
        ValueError: for anything but two positive ints.
    """
    if not isinstance(size, (list, tuple)) or len(size) != 2 or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0 for s in size):
        raise ValueError(f"Invalid value for argument `{argument}` of `{op}`. Expected a tuple of 2 positive ints "
                         f"(height, width). Received: {argument}={size!r}")
    return int(size[0]), int(size[1])
