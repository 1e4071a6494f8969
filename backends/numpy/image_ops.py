"""Numpy image primitives: the affine (or projective) resampling of a batch of NHWC images, and its gradient.

Output pixel (y, x) of image n reads the input at
    x_in = (a0 x + a1 y + a2) / k,  y_in = (b0 x + b1 y + b2) / k,  k = c0 x + c1 y + 1
with ``transforms[n] = [a0, a1, a2, b0, b1, b2, c0, c1]`` (Keras's ``ops.image.affine_transform``).
``nearest`` reads the pixel at the rounded coordinates (halves to even); ``bilinear`` mixes the four
pixels around them. A tap outside the image is read through ``fill_mode``: ``constant`` reads
``fill_value``, ``nearest`` the closest edge pixel, ``wrap`` the image tiled, ``mirror`` the image
reflected about its edge pixels (d c b | a b c d | c b a), ``reflect`` reflected about its edges
(d c b a | a b c d | d c b a). Coordinates that are not finite read as far outside the image.
"""

import numpy as np
from kerasette.backends.numpy import _threads

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
INTERPOLATIONS = ("nearest", "bilinear")
_LIMIT = float(1 << 24)  # coordinates are clamped to +-2^24 (exact in float32) before becoming indices


def _source_coordinates(transforms, height, width, dtype):
    """The (y, x) input coordinates every output pixel reads, each of shape (N, H, W)."""
    t = np.asarray(transforms, dtype=dtype).reshape(-1, 8)
    y, x = np.meshgrid(np.arange(height, dtype=dtype), np.arange(width, dtype=dtype), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i, None, None] for i in range(8))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        k = c0 * x + c1 * y + 1
        xs = (a0 * x + a1 * y + a2) / k
        ys = (b0 * x + b1 * y + b2) / k
    return _bounded(ys), _bounded(xs)


def _bounded(coordinate):
    coordinate = np.nan_to_num(coordinate, nan=-_LIMIT, posinf=_LIMIT, neginf=-_LIMIT)
    return np.clip(coordinate, -_LIMIT, _LIMIT)


def fix_index(index, size, fill_mode):
    """Map integer indices (any range) into [0, size) as ``fill_mode`` reads outside the image."""
    if fill_mode in ("constant", "nearest"):
        return np.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return np.mod(index, size)
    if fill_mode == "mirror":
        if size == 1:
            return np.zeros_like(index)
        s = size - 1
        return np.abs(np.mod(index + s, 2 * s) - s)
    # reflect: mirror of the half-pixel grid 2 * index + 1 over 2 * size + 1 points
    s = 2 * size
    return (np.abs(np.mod(2 * index + 1 + s, 2 * s) - s) - 1) // 2


def _axis_taps(coordinate, size, interpolation, fill_mode):
    """[(index in [0, size), weight or None, valid or None)] for each tap along one axis."""
    if interpolation == "nearest":
        raw = [(np.rint(coordinate).astype(np.int64), None)]
    else:
        lower = np.floor(coordinate)
        upper_weight = coordinate - lower
        index = lower.astype(np.int64)
        raw = [(index, 1 - upper_weight), (index + 1, upper_weight)]
    taps = []
    for index, weight in raw:
        valid = (index >= 0) & (index < size) if fill_mode == "constant" else None
        taps.append((fix_index(index, size, fill_mode), weight, valid))
    return taps


def _corners(shape, transforms, interpolation, fill_mode, dtype):
    """For each corner read: (flat pixel index (N, H, W), weight or None, valid or None)."""
    n, h, w = shape[:3]
    ys, xs = _source_coordinates(transforms, h, w, dtype)
    base = (np.arange(n) * h)[:, None, None]
    corners = []
    for iy, wy, vy in _axis_taps(ys, h, interpolation, fill_mode):
        row = (base + iy) * w
        for ix, wx, vx in _axis_taps(xs, w, interpolation, fill_mode):
            weight = None if wy is None else wy * wx
            valid = None if vy is None else vy & vx
            corners.append((row + ix, weight, valid))
    return corners


def _check(images_shape, transforms_shape, interpolation, fill_mode):
    if len(images_shape) != 4:
        raise ValueError(f"affine_transform expects images of rank 4 (N, H, W, C). Received shape {images_shape}.")
    if tuple(transforms_shape) != (images_shape[0], 8):
        raise ValueError(f"affine_transform expects transforms of shape ({images_shape[0]}, 8). "
                         f"Received shape {tuple(transforms_shape)}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Unknown interpolation {interpolation!r}. Expected one of {INTERPOLATIONS}.")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"Unknown fill_mode {fill_mode!r}. Expected one of {FILL_MODES}.")


def affine_transform(images, transforms, interpolation, fill_mode, fill_value):
    images = np.asarray(images)
    _check(images.shape, np.shape(transforms), interpolation, fill_mode)
    n, h, w, c = images.shape
    out = np.empty(images.shape, images.dtype)
    if out.size == 0:
        return out
    transforms = np.asarray(transforms, dtype=images.dtype).reshape(n, 8)
    pixels, rows_out = images.reshape(n * h * w, c), out.reshape(n * h, w, c)
    fill = images.dtype.type(fill_value)
    projective = bool(np.any(transforms[:, 6:]))

    def work(start, stop):  # output rows start..stop of the (N * H) rows
        rows_out[start:stop] = _resample_rows(pixels, transforms, (h, w), start, stop, interpolation, fill_mode,
                                              fill, projective)

    _threads.by_images(n * h, w * c * images.dtype.itemsize * 8, work)
    return out


def _resample_rows(pixels, transforms, size, start, stop, interpolation, fill_mode, fill, projective):
    """Output rows ``start .. stop`` (counted over the whole batch) of the affine resampling, (rows, W, C)."""
    h, w = size
    rows = np.arange(start, stop)
    image, y = rows // h, (rows % h).astype(pixels.dtype)[:, None]
    x = np.arange(w, dtype=pixels.dtype)[None, :]
    t = transforms[image]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        xs = t[:, 0:1] * x + t[:, 1:2] * y + t[:, 2:3]
        ys = t[:, 3:4] * x + t[:, 4:5] * y + t[:, 5:6]
        if projective:
            k = t[:, 6:7] * x + t[:, 7:8] * y + 1
            xs, ys = xs / k, ys / k
    base = (image * h)[:, None]
    result = None
    for iy, wy, vy in _fast_taps(_bounded(ys), h, interpolation, fill_mode):
        row = (base + iy) * w
        for ix, wx, vx in _fast_taps(_bounded(xs), w, interpolation, fill_mode):
            read = np.take(pixels, row + ix, axis=0)
            if vy is not None:
                read = np.where((vy & vx)[..., None], read, fill)
            if wy is not None:
                read = (wy * wx)[..., None] * read
            result = read if result is None else result + read
    return result


def _fast_taps(coordinate, size, interpolation, fill_mode):
    """``_axis_taps`` with int32 indices, remapping only the (few) indices outside the image."""
    if interpolation == "nearest":
        raw = [(np.rint(coordinate).astype(np.int32), None)]
    else:
        lower = np.floor(coordinate)
        upper_weight = coordinate - lower
        index = lower.astype(np.int32)
        raw = [(index, 1 - upper_weight), (index + 1, upper_weight)]
    taps = []
    for index, weight in raw:
        outside = (index < 0) | (index >= size)
        valid = ~outside if fill_mode == "constant" else None
        if outside.any():
            index = index.copy()
            index[outside] = fix_index(index[outside], size, fill_mode)
        taps.append((index, weight, valid))
    return taps


def affine_transform_backward(grad, transforms, interpolation, fill_mode):
    grad = np.asarray(grad)
    _check(grad.shape, np.shape(transforms), interpolation, fill_mode)
    n, h, w, c = grad.shape
    flat_grad = grad.reshape(-1, c).astype(np.float64)
    out = np.zeros((n * h * w, c), np.float64)
    for flat, weight, valid in _corners(grad.shape, transforms, interpolation, fill_mode, grad.dtype):
        scale = np.ones(flat.shape, np.float64) if weight is None else weight.astype(np.float64)
        if valid is not None:
            scale = np.where(valid, scale, 0.0)
        scale = scale.reshape(-1)
        for channel in range(c):
            out[:, channel] += np.bincount(flat.reshape(-1), weights=flat_grad[:, channel] * scale,
                                           minlength=n * h * w)
    return out.reshape(grad.shape).astype(grad.dtype)


__all__ = ["affine_transform", "affine_transform_backward"]
