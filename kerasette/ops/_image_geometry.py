"""``crop_images`` and ``pad_images``: cut or zero-pad the height and width of NHWC images."""

from __future__ import annotations

from typing import Optional

from kerasette.ops._helpers import convert_to_tensor
from kerasette.ops._image_common import check_data_format
from kerasette.ops._types import TensorLike
from kerasette.ops.shapes import pad, slice
from kerasette.ops.tensor import Tensor


def _resolve(op, names, before, after, target, size):
    """The (before, after) amounts along one axis from exactly two of before, after and the target size."""
    given = [before, after, target]
    if given.count(None) != 1:
        raise ValueError(f"`{op}`: must specify exactly two of {names[0]}, {names[1]}, {names[2]}. Received: "
                         f"{names[0]}={before}, {names[1]}={after}, {names[2]}={target}")
    for name, value in zip(names, given):
        if value is not None and value < 0:
            raise ValueError(f"`{op}`: {name} must be >= 0. Received: {name}={value}")
    sign = 1 if op == "pad_images" else -1  # padding grows the axis, cropping shrinks it
    if before is None:
        before = sign * (target - size) - after
    if after is None:
        after = sign * (target - size) - before
    for name, value in zip(names, (before, after)):
        if value < 0:
            raise ValueError(f"`{op}`: {name} must be >= 0. Received: {name}={value}")
    return int(before), int(after)


def _rank(images, op):
    images = convert_to_tensor(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"Invalid images rank for `{op}`: expected rank 3 (single image) or rank 4 (batch of "
                         f"images). Received: images.shape={images.shape}")
    return images


def crop_images(
    images: TensorLike,
    top_cropping: Optional[int] = None,
    left_cropping: Optional[int] = None,
    bottom_cropping: Optional[int] = None,
    right_cropping: Optional[int] = None,
    target_height: Optional[int] = None,
    target_width: Optional[int] = None,
    data_format: Optional[str] = None,
) -> Tensor:
    """Crop images to a box, as ``keras.ops.image.crop_images``; differentiable (a slice).

    Give exactly two of ``top_cropping``, ``bottom_cropping``, ``target_height`` and two of
    ``left_cropping``, ``right_cropping``, ``target_width``.

    Args:
        images: rank 3 or 4 (NHWC) tensor.
        top_cropping: rows removed at the top.
        left_cropping: columns removed at the left.
        bottom_cropping: rows removed at the bottom.
        right_cropping: columns removed at the right.
        target_height: the height of the result.
        target_width: the width of the result.
        data_format: "channels_last" or None.

    Returns:
        The cropped images.

    Raises:
        ValueError: for a bad rank, the wrong number of arguments or negative amounts.

    Example:
        >>> from kerasette import ops
        >>> x = ops.ones((2, 5, 6, 3))
        >>> ops.image.crop_images(x, top_cropping=1, left_cropping=2, target_height=3, target_width=3).shape
        (2, 3, 3, 3)
    """
    check_data_format(data_format, "crop_images")
    images = _rank(images, "crop_images")
    h, w = images.shape[-3], images.shape[-2]
    top, bottom = _resolve("crop_images", ("top_cropping", "bottom_cropping", "target_height"), top_cropping,
                           bottom_cropping, target_height, h)
    left, right = _resolve("crop_images", ("left_cropping", "right_cropping", "target_width"), left_cropping,
                           right_cropping, target_width, w)
    if top + bottom > h or left + right > w:
        raise ValueError(f"`crop_images`: the crop ({top}+{bottom} rows, {left}+{right} columns) is larger than the "
                         f"images ({h}x{w}).")
    lead = images.ndim - 3
    starts = [0] * lead + [top, left, 0]
    stops = list(images.shape[:lead]) + [h - bottom, w - right, images.shape[-1]]
    return slice(images, starts, stops)


def pad_images(
    images: TensorLike,
    top_padding: Optional[int] = None,
    left_padding: Optional[int] = None,
    bottom_padding: Optional[int] = None,
    right_padding: Optional[int] = None,
    target_height: Optional[int] = None,
    target_width: Optional[int] = None,
    data_format: Optional[str] = None,
) -> Tensor:
    """Zero-pad images, as ``keras.ops.image.pad_images``; differentiable.

    Give exactly two of ``top_padding``, ``bottom_padding``, ``target_height`` and two of
    ``left_padding``, ``right_padding``, ``target_width``.

    Args:
        images: rank 3 or 4 (NHWC) tensor.
        top_padding: zero rows added at the top.
        left_padding: zero columns added at the left.
        bottom_padding: zero rows added at the bottom.
        right_padding: zero columns added at the right.
        target_height: the height of the result.
        target_width: the width of the result.
        data_format: "channels_last" or None.

    Returns:
        The padded images.

    Raises:
        ValueError: for a bad rank, the wrong number of arguments or negative amounts.

    Example:
        >>> from kerasette import ops
        >>> ops.image.pad_images(ops.ones((4, 4, 1)), 1, 2, target_height=6, target_width=7).shape
        (6, 7, 1)
    """
    check_data_format(data_format, "pad_images")
    images = _rank(images, "pad_images")
    h, w = images.shape[-3], images.shape[-2]
    top, bottom = _resolve("pad_images", ("top_padding", "bottom_padding", "target_height"), top_padding,
                           bottom_padding, target_height, h)
    left, right = _resolve("pad_images", ("left_padding", "right_padding", "target_width"), left_padding,
                           right_padding, target_width, w)
    widths = [(0, 0)] * (images.ndim - 3) + [(top, bottom), (left, right), (0, 0)]
    return pad(images, widths)
