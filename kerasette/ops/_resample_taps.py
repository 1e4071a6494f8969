"""Resampling along one axis as taps: for each output index, the input indices it reads and their weights.

Computed on the host (numpy, float64) from the sizes alone; ``_image_resize`` applies them with
``take`` and ``multiply``, so resizing is differentiable and runs on every backend. Each function
returns ``(indices, weights)``, two arrays of shape ``(output_size, taps)``; padding taps have weight 0
and index 0.

The rules follow Keras 3 with the torch backend (``torch.nn.functional.interpolate`` with
``align_corners=False``): half-pixel centres, source ``s = (i + 0.5) * in / out - 0.5``.
"""

from __future__ import annotations

import math

import numpy as np


def nearest(in_size: int, out_size: int):
    """Nearest neighbour with half-pixel centres ("nearest-exact"): input ``floor((i + 0.5) * in / out)``."""
    scale = in_size / out_size
    index = np.minimum(np.floor((np.arange(out_size) + 0.5) * scale), in_size - 1).astype(np.int64)
    return index[:, None], np.ones((out_size, 1))


def bilinear(in_size: int, out_size: int):
    """Linear interpolation between the two inputs around ``s`` (clamped to >= 0 and to the last pixel)."""
    source = np.maximum((np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5, 0.0)
    lower = np.floor(source).astype(np.int64)
    upper = np.minimum(lower + 1, in_size - 1)
    lower = np.minimum(lower, in_size - 1)
    upper_weight = source - np.floor(source)
    return np.stack([lower, upper], 1), np.stack([1 - upper_weight, upper_weight], 1)


def _cubic(x, a):
    """Keys's cubic convolution kernel with parameter ``a`` at distances ``x``."""
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def bicubic(in_size: int, out_size: int, a: float = -0.75):
    """Cubic convolution over the four inputs around ``s`` (a = -0.75 as torch), edge pixels repeated."""
    source = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    base = np.floor(source)
    t = source - base
    offsets = np.arange(-1, 3)
    indices = np.clip(base.astype(np.int64)[:, None] + offsets, 0, in_size - 1)
    weights = _cubic(t[:, None] - offsets, a)
    return indices, weights


def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def antialiased(in_size: int, out_size: int, interpolation: str):
    """Antialiased bilinear or bicubic (torch's ``antialias=True``, as PIL): the filter widens by in / out.

    Bicubic uses a = -0.5 here, as torch and PIL do for antialiased resizing. Weights are normalized to
    sum to 1 over the taps inside the image.
    """
    interp_size, kernel = (2, _triangle) if interpolation == "bilinear" else (4, lambda x: _cubic(x, -0.5))
    scale = in_size / out_size
    support = interp_size / 2 * scale if scale >= 1 else interp_size / 2
    inverse = 1 / scale if scale >= 1 else 1.0
    rows = []
    for i in range(out_size):
        center = scale * (i + 0.5)
        start = max(int(center - support + 0.5), 0)
        stop = min(int(center + support + 0.5), in_size)
        index = np.arange(start, stop)
        weight = kernel((index - center + 0.5) * inverse)
        total = weight.sum()
        rows.append((index, weight / total if total != 0 else weight))
    return _pack(rows)


def _lanczos(radius):
    def kernel(x):
        x = np.abs(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi ** 2 * x ** 2)
        return np.where(x > radius, 0.0, np.where(x > 1e-3, y, 1.0))

    return kernel


KERNELS = {
    "linear": _triangle,
    "cubic": lambda x: _cubic(x, -0.5),  # Keys's kernel, as jax.image.scale_and_translate
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def scale_and_translate(in_size: int, out_size: int, scale: float, translation: float, method: str, antialias: bool):
    """``jax.image.scale_and_translate``'s weights: output ``i`` reads input ``(i + 0.5 - translation) / scale - 0.5``.

    With ``antialias`` the kernel widens by ``1 / scale`` when downsampling. Weights are normalized over
    the input; samples outside ``[-0.5, in_size - 0.5]`` read 0.
    """
    kernel = KERNELS[method]
    inverse = 1.0 / scale
    kernel_scale = max(inverse, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inverse - translation * inverse - 0.5
    weights = kernel(np.abs(sample[None, :] - np.arange(in_size)[:, None]) / kernel_scale)  # (in, out)
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
                       weights / np.where(total != 0, total, 1), 0.0)
    weights = np.where(((sample >= -0.5) & (sample <= in_size - 0.5))[None, :], weights, 0.0)
    return from_matrix(weights)


def area(in_size: int, out_size: int):
    """Area averaging: output ``i`` is the mean of the input over ``[i, i + 1) * in / out``, by overlap."""
    scale = in_size / out_size
    rows = []
    for i in range(out_size):
        start, stop = i * scale, (i + 1) * scale
        index = np.arange(int(math.floor(start)), min(int(math.ceil(stop)), in_size))
        overlap = np.minimum(index + 1, stop) - np.maximum(index, start)
        rows.append((index, overlap / scale))
    return _pack(rows)


def from_matrix(weights):
    """Taps from a dense ``(in, out)`` weight matrix (zero weights dropped)."""
    rows = []
    for column in weights.T:
        index = np.nonzero(column)[0]
        rows.append((index, column[index]))
    return _pack(rows)


def _pack(rows):
    taps = max(1, max(len(index) for index, _ in rows))
    indices = np.zeros((len(rows), taps), np.int64)
    weights = np.zeros((len(rows), taps))
    for i, (index, weight) in enumerate(rows):
        indices[i, : len(index)] = index
        weights[i, : len(index)] = weight
    return indices, weights
