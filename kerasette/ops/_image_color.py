"""Colour-space ops: ``rgb_to_grayscale``, ``rgb_to_hsv`` and ``hsv_to_rgb`` (NHWC, channels last)."""

from __future__ import annotations

from typing import Optional

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops._image_common import check_data_format, is_float
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import (
    abs,
    add,
    clip,
    divide,
    equal,
    greater,
    less,
    maximum,
    minimum,
    multiply,
    subtract,
    where,
)
from kerasette.ops.keras_forms import stack
from kerasette.ops.rounding import mod
from kerasette.ops.shapes import take
from kerasette.ops.tensor import Tensor


def _check(images, op, float_only):
    images = convert_to_tensor(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"Invalid images rank for `{op}`: expected rank 3 (single image) or rank 4 (batch of "
                         f"images). Received input with shape: images.shape={images.shape}")
    if float_only and not is_float(images.dtype):
        raise ValueError(f"Invalid images dtype for `{op}`: expected a float dtype. Received: "
                         f"images.dtype={images.dtype}")
    return images


def _planes(images):
    return [take(images, k, axis=-1) for k in range(3)]


def rgb_to_grayscale(images: TensorLike, data_format: Optional[str] = None) -> Tensor:
    """Convert RGB images to grayscale: ``0.2989 R + 0.587 G + 0.114 B``, keeping a channel axis of size 1.

    Integer images are computed in float and cast back (truncating, as Keras's torch backend).
    Single-channel images are returned unchanged.

    Args:
        images: rank 3 or 4 tensor with 3 (or 1) channels last.
        data_format: "channels_last" or None.

    Returns:
        A tensor with 1 channel, of the input's dtype.

    Raises:
        ValueError: for a bad rank or a channel count other than 1 or 3.

    Example:
        >>> from kerasette import ops
        >>> gray = ops.image.rgb_to_grayscale([[[1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]])
        >>> gray.shape, [round(float(v), 4) for v in gray.numpy().ravel()]
        ((1, 2, 1), [0.9999, 0.587])
    """
    check_data_format(data_format, "rgb_to_grayscale")
    images = _check(images, "rgb_to_grayscale", False)
    if images.shape[-1] not in (1, 3):
        raise ValueError("Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with shape: "
                         f"images.shape={images.shape}")
    if images.shape[-1] == 1:
        return images
    x = images if is_float(images.dtype) else cast(images, "float32")
    r, g, b = _planes(x)
    gray = add(add(multiply(r, 0.2989), multiply(g, 0.587)), multiply(b, 0.114))
    return cast(stack([gray], axis=-1), images.dtype)


def rgb_to_hsv(images: TensorLike, data_format: Optional[str] = None) -> Tensor:
    """Convert RGB images (values in [0, 1]) to HSV, each of H, S, V in [0, 1].

    Args:
        images: float rank 3 or 4 tensor with 3 channels last.
        data_format: "channels_last" or None.

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        ValueError: for a bad rank or an integer dtype.

    Example:
        >>> from kerasette import ops
        >>> [round(float(v), 4) for v in ops.image.rgb_to_hsv([[[0.0, 0.5, 1.0]]]).numpy().ravel()]
        [0.5833, 1.0, 1.0]
    """
    check_data_format(data_format, "rgb_to_hsv")
    images = _check(images, "rgb_to_hsv", True)
    eps = 1.1920929e-07 if images.dtype == "float32" else 2.220446049250313e-16
    images = where(less(abs(images), eps), 0.0, images)
    r, g, b = _planes(images)
    value = maximum(maximum(r, g), b)
    range_ = subtract(value, minimum(minimum(r, g), b))
    safe_value = where(greater(value, 0.0), value, 1.0)
    safe_range = where(greater(range_, 0.0), range_, 1.0)
    saturation = where(greater(value, 0.0), divide(range_, safe_value), 0.0)
    norm = divide(1.0, multiply(safe_range, 6.0))
    hue = where(equal(value, g), add(multiply(norm, subtract(b, r)), 2.0 / 6.0),
                add(multiply(norm, subtract(r, g)), 4.0 / 6.0))
    hue = where(equal(value, r), multiply(norm, subtract(g, b)), hue)
    hue = where(greater(range_, 0.0), hue, 0.0)
    hue = add(hue, cast(less(hue, 0.0), hue.dtype))
    return stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(images: TensorLike, data_format: Optional[str] = None) -> Tensor:
    """Convert HSV images (H, S, V in [0, 1]) to RGB.

    Args:
        images: float rank 3 or 4 tensor with 3 channels last.
        data_format: "channels_last" or None.

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        ValueError: for a bad rank or an integer dtype.

    Example:
        >>> from kerasette import ops
        >>> [round(float(v), 2) for v in ops.image.hsv_to_rgb([[[0.5833, 1.0, 1.0]]]).numpy().ravel()]
        [0.0, 0.5, 1.0]
    """
    check_data_format(data_format, "hsv_to_rgb")
    images = _check(images, "hsv_to_rgb", True)
    hue, saturation, value = _planes(images)
    dh = multiply(mod(hue, 1.0), 6.0)
    dr = clip(subtract(abs(subtract(dh, 3.0)), 1.0), 0.0, 1.0)
    dg = clip(subtract(2.0, abs(subtract(dh, 2.0))), 0.0, 1.0)
    db = clip(subtract(2.0, abs(subtract(dh, 4.0))), 0.0, 1.0)
    one_minus_s = subtract(1.0, saturation)
    planes = [multiply(value, add(one_minus_s, multiply(saturation, d))) for d in (dr, dg, db)]
    return stack(planes, axis=-1)
