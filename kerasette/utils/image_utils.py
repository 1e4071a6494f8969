"""Image files and arrays: ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``, as ``keras.utils``.

Decoding and encoding go through Pillow, an optional dependency (``pip install "kerasette[images]"``):
it is imported on first use, with an error naming the extra when it is missing. ``read_image`` is
what ``image_dataset_from_directory`` uses: decode, convert, resize on the host (numpy only, safe
in data threads), with the resampling rules of ``kerasette.ops.image.resize``.
"""

from __future__ import annotations

import io
import pathlib
import warnings
from typing import Any, Optional, Sequence

import numpy as np

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")  # load_img (Pillow's filters)


def pil_image():
    """The ``PIL.Image`` module, or an ImportError that says how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError('Reading and writing images needs Pillow: pip install "kerasette[images]" '
                          '(or pip install "Pillow>=9").') from None
    return Image


def standardize_data_format(data_format: Optional[str]) -> str:
    """``data_format``, or ``keras.config.image_data_format()`` when None; a ValueError for other values.

    Args:
        data_format: ``"channels_last"``, ``"channels_first"`` or None.
    """
    if data_format is None:
        from kerasette import config

        return config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f'Invalid value for argument `data_format`. Expected "channels_last" or "channels_first". '
                         f"Received: data_format={data_format!r}")
    return data_format


def _floatx(dtype):
    if dtype is not None:
        return dtype
    from kerasette import config

    return config.floatx()


def array_to_img(x: Any, data_format: Optional[str] = None, scale: bool = True, dtype: Optional[str] = None) -> Any:
    """A Pillow image from a rank-3 array (height, width, channels), as ``keras.utils.array_to_img``.

    Args:
        x: the image, anything numpy can convert (1, 3 or 4 channels).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        scale: stretch the values to span 0-255 first.
        dtype: the dtype the values are read as (default ``floatx()``).

    Returns:
        A ``PIL.Image.Image`` (mode "L", "I", "RGB" or "RGBA").

    Example:
        >>> img = array_to_img(np.zeros((4, 6, 3)))
        >>> img.size, img.mode
        ((6, 4), 'RGB')
    """
    image = pil_image()
    data_format = standardize_data_format(data_format)
    x = np.asarray(x, dtype=_floatx(dtype))
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}. Expected 1, 3 or 4.")


def img_to_array(img: Any, data_format: Optional[str] = None, dtype: Optional[str] = None) -> np.ndarray:
    """A rank-3 numpy array from a Pillow image, as ``keras.utils.img_to_array``.

    Args:
        img: a ``PIL.Image.Image``.
        data_format: ``"channels_last"`` (default): (height, width, channels); ``"channels_first"``.
        dtype: the array's dtype (default ``floatx()``).

    Returns:
        The pixels, one channel axis even for grayscale images.

    Example:
        >>> img_to_array(array_to_img(np.full((2, 2, 1), 7.0), scale=False))[:, :, 0].tolist()
        [[7.0, 7.0], [7.0, 7.0]]
    """
    data_format = standardize_data_format(data_format)
    x = np.asarray(img, dtype=_floatx(dtype))
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x.reshape((1,) + x.shape) if data_format == "channels_first" else x.reshape(x.shape + (1,))
    raise ValueError(f"Unsupported image shape: {x.shape}")


def save_img(path: Any, x: Any, data_format: Optional[str] = None, file_format: Optional[str] = None,
             scale: bool = True, **kwargs: Any) -> None:
    """Write an array as an image file, as ``keras.utils.save_img``.

    Args:
        path: a path or a file object.
        x: the image array (rank 3).
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        file_format: the format (default: from the file name's extension; required for a file object).
        scale: stretch the values to span 0-255 first.
        **kwargs: passed to ``PIL.Image.Image.save`` (``quality``, ``compress_level``...).
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format or None, **kwargs)


def load_img(path: Any, color_mode: str = "rgb", target_size: Optional[Sequence[int]] = None,
             interpolation: str = "nearest", keep_aspect_ratio: bool = False) -> Any:
    """Read an image file into a Pillow image, as ``keras.utils.load_img``.

    Args:
        path: a path (str, bytes or ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``"rgb"`` (default), ``"rgba"`` or ``"grayscale"``.
        target_size: ``(height, width)`` to resize to, or None to keep the size.
        interpolation: Pillow's filter for resizing: "nearest" (default), "bilinear", "bicubic",
            "hamming", "box" or "lanczos".
        keep_aspect_ratio: crop the centred window of the target's aspect ratio before resizing.

    Returns:
        A ``PIL.Image.Image``.
    """
    image = pil_image()
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as f:
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    img = convert_mode(img, color_mode)
    if target_size is None:
        return img
    size = (int(target_size[1]), int(target_size[0]))  # Pillow's (width, height)
    if img.size == size:
        return img
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation method {interpolation} specified. Supported methods are "
                         f"{', '.join(INTERPOLATIONS)}")
    resample = getattr(getattr(image, "Resampling", image), interpolation.upper())
    if not keep_aspect_ratio:
        return img.resize(size, resample)
    width, height = img.size
    crop_height = min(height, (width * size[1]) // size[0])
    crop_width = min(width, (height * size[0]) // size[1])
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return img.resize(size, resample, box=[left, top, left + crop_width, top + crop_height])


def convert_mode(img: Any, color_mode: str) -> Any:
    """``img`` in ``color_mode``: "grayscale" (8-bit "L", or kept 16/32-bit grey), "rgb" or "rgba".

    Args:
        img: a ``PIL.Image.Image``.
        color_mode: the wanted mode.
    """
    if color_mode == "grayscale":
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    if color_mode in ("rgb", "rgba"):
        mode = color_mode.upper()
        return img if img.mode == mode else img.convert(mode)
    raise ValueError(f'Invalid value for argument `color_mode`. Expected "grayscale", "rgb" or "rgba". '
                     f"Received: color_mode={color_mode!r}")


def resize_array(x: np.ndarray, size: Sequence[int], interpolation: str = "bilinear",
                 crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False) -> np.ndarray:
    """Resize one (height, width, channels) float image on the host, as ``ops.image.resize`` does.

    Numpy only (no tensors), so data threads may call it. Half-pixel centres, no antialiasing, the
    taps of ``kerasette.ops.image.resize`` (Keras's torch-backend numbers for bilinear, nearest and
    bicubic).

    Args:
        x: the image.
        size: ``(height, width)``.
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3" or "lanczos5".
        crop_to_aspect_ratio: crop the largest centred window of the target aspect ratio first.
        pad_to_aspect_ratio: pad with zeros to the target aspect ratio first.

    Returns:
        A float32 array of shape ``size + (channels,)``.

    Example:
        >>> resize_array(np.arange(4, dtype="float32").reshape(2, 2, 1), (4, 4))[0, :, 0].tolist()
        [0.0, 0.25, 0.75, 1.0]
    """
    from kerasette.ops._image_resize import _axis_taps

    x = np.asarray(x, dtype=np.float32)
    height, width = x.shape[:2]
    if crop_to_aspect_ratio:
        crop_height = max(min(height, int(float(width * size[0]) / size[1])), 1)
        crop_width = max(min(width, int(float(height * size[1]) / size[0])), 1)
        top, left = int(float(height - crop_height) / 2), int(float(width - crop_width) / 2)
        x = x[top : top + crop_height, left : left + crop_width]
    elif pad_to_aspect_ratio:
        pad_height = max(height, int(float(width * size[0]) / size[1]))
        pad_width = max(width, int(float(height * size[1]) / size[0]))
        top, left = int(float(pad_height - height) / 2), int(float(pad_width - width) / 2)
        x = np.pad(x, ((top, top), (left, left), (0, 0)))
    for axis, out_size in ((0, int(size[0])), (1, int(size[1]))):
        if x.shape[axis] == out_size and interpolation in ("nearest", "bilinear", "bicubic"):
            continue
        indices, weights = _axis_taps(x.shape[axis], out_size, interpolation, False)
        shape = [1] * x.ndim
        shape[axis] = out_size
        out = np.zeros(x.shape[:axis] + (out_size,) + x.shape[axis + 1:], np.float32)
        for tap in range(indices.shape[1]):
            out += np.take(x, indices[:, tap], axis=axis) * weights[:, tap].astype(np.float32).reshape(shape)
        x = out
    return x
