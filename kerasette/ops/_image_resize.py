"""``resize`` and ``scale_and_translate``: separable resampling, one spatial axis at a time.

Each axis is resampled with taps computed on the host (``_resample_taps``): ``take`` gathers the
input rows each output row reads and ``multiply``/``add`` mix them, so the result is differentiable
with respect to the images and runs on every backend.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

import numpy as np

from kerasette.ops import _resample_taps as taps
from kerasette.ops._helpers import convert_to_tensor
from kerasette.ops._image_common import (
    as_batch,
    back_to_dtype,
    check_data_format,
    positive_size,
    to_float,
    unbatch,
)
from kerasette.ops._types import TensorLike
from kerasette.ops.creation import full
from kerasette.ops.elementwise import add, multiply
from kerasette.ops.shapes import concatenate, slice, take
from kerasette.ops.tensor import Tensor

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")
SCALE_AND_TRANSLATE_METHODS = {
    "linear": "linear", "bilinear": "linear", "trilinear": "linear", "triangle": "linear",
    "cubic": "cubic", "bicubic": "cubic", "tricubic": "cubic", "lanczos3": "lanczos3", "lanczos5": "lanczos5",
}


def apply_taps(x: Tensor, axis: int, indices: np.ndarray, weights: np.ndarray) -> Tensor:
    """Resample ``x`` along ``axis``: output ``i`` is ``sum_k weights[i, k] * x[indices[i, k]]``.

    Args:
        x: a float tensor.
        axis: the axis to resample.
        indices: int array (out, taps).
        weights: float array (out, taps).

    Returns:
        ``x`` with ``axis`` of size ``out``.
    """
    shape = [1] * x.ndim
    shape[axis] = indices.shape[0]
    result = None
    for k in range(indices.shape[1]):
        if not np.any(weights[:, k]):
            continue
        gathered = take(x, indices[:, k], axis=axis)
        if not np.all(weights[:, k] == 1.0):
            gathered = multiply(gathered, convert_to_tensor(weights[:, k].reshape(shape), dtype=x.dtype))
        result = gathered if result is None else add(result, gathered)
    if result is None:  # every weight is zero (scale_and_translate outside the image)
        result = multiply(take(x, indices[:, 0], axis=axis), 0.0)
    return result


def _axis_taps(in_size, out_size, interpolation, antialias):
    if interpolation == "nearest":
        return taps.nearest(in_size, out_size)
    if interpolation in ("bilinear", "bicubic") and antialias:
        return taps.antialiased(in_size, out_size, interpolation)
    if interpolation == "bilinear":
        return taps.bilinear(in_size, out_size)
    if interpolation == "bicubic":
        return taps.bicubic(in_size, out_size)
    if interpolation == "area":
        return taps.area(in_size, out_size)
    return taps.scale_and_translate(in_size, out_size, out_size / in_size, 0.0, interpolation, antialias)


def _crop_to_aspect_ratio(images, size):
    height, width = images.shape[1:3]
    crop_height = max(min(height, int(float(width * size[0]) / size[1])), 1)
    crop_width = max(min(width, int(float(height * size[1]) / size[0])), 1)
    top, left = int(float(height - crop_height) / 2), int(float(width - crop_width) / 2)
    n, c = images.shape[0], images.shape[3]
    return slice(images, [0, top, left, 0], [n, top + crop_height, left + crop_width, c])


def _pad_to_aspect_ratio(images, size, fill_value):
    n, height, width, c = images.shape
    pad_height = max(height, int(float(width * size[0]) / size[1]))
    pad_width = max(width, int(float(height * size[1]) / size[0]))
    top, left = int(float(pad_height - height) / 2), int(float(pad_width - width) / 2)
    if top > 0:
        band = full((n, top, width, c), fill_value, images.dtype)
        images = concatenate([band, images, band], axis=1)
    if left > 0:
        band = full((n, images.shape[1], left, c), fill_value, images.dtype)
        images = concatenate([band, images, band], axis=2)
    return images


def resize(
    images: TensorLike,
    size: Sequence[int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: Optional[str] = None,
) -> Tensor:
    """Resize images to ``size`` (height, width), as ``keras.ops.image.resize``.

    Pixel centres sit at half-integer positions (``align_corners=False``), as in Keras on every
    backend. ``bilinear``, ``nearest`` and ``bicubic`` (a = -0.75, edge pixels repeated) give the
    numbers of Keras's torch backend; ``antialias=True`` widens the bilinear/bicubic filter when
    shrinking (as torch and PIL; its bicubic then uses a = -0.5, when enlarging too). ``area``
    averages the input area each output pixel covers; ``lanczos3``/``lanczos5`` use ``jax.image``'s
    kernels (Keras's JAX backend; its torch backend has no Lanczos). Integer images are computed in
    float32, rounded and clipped back to their dtype.

    Args:
        images: rank 3 (H, W, C) or 4 (N, H, W, C) tensor.
        size: (height, width) of the result.
        interpolation: one of "bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5".
        antialias: whether to low-pass filter when downsampling (bilinear, bicubic, lanczos).
        crop_to_aspect_ratio: crop the largest centred window of the target aspect ratio first.
        pad_to_aspect_ratio: pad (with ``fill_value``) to the target aspect ratio first.
        fill_mode: only "constant" (the padding of ``pad_to_aspect_ratio``).
        fill_value: the padding value.
        data_format: "channels_last" or None.

    Returns:
        The resized images, of the input's dtype.

    Raises:
        ValueError: for a bad size, rank, interpolation or fill mode, or both aspect-ratio options.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.arange(4, dtype="float32"), (1, 2, 2, 1))
        >>> ops.image.resize(x, (4, 4))[0, :, :, 0].numpy().tolist()[0]
        [0.0, 0.25, 0.75, 1.0]
    """
    size = positive_size(size, "resize")
    check_data_format(data_format, "resize")
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation` of `resize`. Expected one of "
                         f"{RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation!r}")
    if fill_mode != "constant":
        raise ValueError(f"Invalid value for argument `fill_mode` of `resize`. Only \"constant\" is supported. "
                         f"Received: fill_mode={fill_mode!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    images, single = as_batch(images, "resize")
    dtype = images.dtype
    x = to_float(images)
    if crop_to_aspect_ratio:
        x = _crop_to_aspect_ratio(x, size)
    elif pad_to_aspect_ratio:
        x = _pad_to_aspect_ratio(x, size, fill_value)
    for axis, out_size in ((1, size[0]), (2, size[1])):
        if x.shape[axis] != out_size or interpolation not in ("nearest", "bilinear", "bicubic"):
            x = apply_taps(x, axis, *_axis_taps(x.shape[axis], out_size, interpolation, bool(antialias)))
    return unbatch(back_to_dtype(x, dtype), single)


def scale_and_translate(
    images: TensorLike,
    output_shape: Sequence[int],
    scale: Sequence[float],
    translation: Sequence[float],
    spatial_dims: Sequence[int],
    method: str,
    antialias: bool = True,
) -> Tensor:
    """Resample ``images`` along ``spatial_dims`` with a scale and a translation, as ``jax.image.scale_and_translate``.

    Output index ``i`` of a spatial dimension samples the input at ``(i + 0.5 - translation) / scale - 0.5``
    with the kernel of ``method``; with ``antialias`` the kernel widens by ``1 / scale`` when
    ``scale < 1``. Samples outside the input read 0.

    Args:
        images: a tensor of any rank.
        output_shape: the full shape of the result (only the spatial dimensions may differ).
        scale: one scale per spatial dimension (host numbers).
        translation: one translation per spatial dimension (host numbers).
        spatial_dims: the axes to resample.
        method: "linear" (or "bilinear", "trilinear", "triangle"), "cubic" (or "bicubic",
            "tricubic"; Keys's kernel, a = -0.5), "lanczos3" or "lanczos5".
        antialias: whether to widen the kernel when downsampling.

    Returns:
        A tensor of ``output_shape`` and the input's dtype (integers rounded and clipped back).

    Raises:
        ValueError: for an unknown method or mismatched arguments.

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([[1.0, 2.0, 3.0, 4.0]])
        >>> ops.image.scale_and_translate(x, (1, 2), [0.5], [0.0], [1], "linear", antialias=False).numpy().tolist()
        [[1.5, 3.5]]
    """
    if method not in SCALE_AND_TRANSLATE_METHODS:
        raise ValueError(f"Invalid value for argument `method` of `scale_and_translate`. Expected one of "
                         f"{sorted(SCALE_AND_TRANSLATE_METHODS)}. Received: method={method!r}")
    images = convert_to_tensor(images)
    scale, translation = np.asarray(scale, np.float64).reshape(-1), np.asarray(translation, np.float64).reshape(-1)
    spatial_dims = [int(d) % images.ndim for d in spatial_dims]
    if len(output_shape) != images.ndim or not (len(scale) == len(translation) == len(spatial_dims)):
        raise ValueError(f"`scale_and_translate` needs output_shape of rank {images.ndim} and one scale and "
                         f"translation per spatial dimension. Received output_shape={tuple(output_shape)}, "
                         f"scale={scale.tolist()}, translation={translation.tolist()}, spatial_dims={spatial_dims}")
    dtype = images.dtype
    x = to_float(images)
    for d, s, t in zip(spatial_dims, scale, translation):
        indices, weights = taps.scale_and_translate(x.shape[d], int(output_shape[d]), float(s), float(t),
                                                    SCALE_AND_TRANSLATE_METHODS[method], bool(antialias))
        x = apply_taps(x, d, indices, weights)
    return back_to_dtype(x, dtype)


def output_size(shape: Tuple[int, ...], size: Sequence[int]) -> Tuple[int, ...]:
    """The shape ``resize`` returns for images of ``shape``.

    Args:
        shape: the images' shape (rank 3 or 4).
        size: (height, width).

    Returns:
        ``shape`` with its height and width replaced.
    """
    return tuple(shape[:-3]) + (int(size[0]), int(size[1]), shape[-1])
