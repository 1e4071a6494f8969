"""A weight drawn as one greyscale image for TensorBoard's Images dashboard (`write_images=True`).

The shapes follow Keras's `TensorBoard`: after squeezing size-1 axes, a vector (a bias) is a
one-pixel-wide column; a matrix (a Dense kernel) is drawn as it is, transposed when it has more
rows than columns; a 3-D array (`(kh, kw, filters)`, channels last) is one `kh x kw` tile per
filter. Two things differ, so that every kernel is readable:

- Keras writes the raw values as a float image, which TensorBoard clips to [0, 1] (negative
  weights turn black); here the weight's own minimum is black and its maximum white.
- Keras writes each filter as a separate sample (TensorFlow keeps the first three) and skips a
  4-D Conv kernel `(kh, kw, in, out)` unless `out` is 1, 3 or 4; here the tiles go into one
  grid image, and a 4-D kernel is an `in x out` grid of `kh x kw` tiles. Weights of 5 or more
  axes after squeezing (Conv3D kernels) get no image, as in Keras.
"""

from __future__ import annotations

import math
from typing import Optional

import numpy as np


def _tiles(values: np.ndarray) -> Optional[np.ndarray]:
    """The weight as a `(rows, cols, h, w)` grid of tiles (NaN tiles pad a grid), or None."""
    w = np.squeeze(values)
    if w.ndim == 0:
        w = w.reshape(1)
    if w.ndim == 1:
        return w.reshape(1, 1, w.shape[0], 1)
    if w.ndim == 2:
        if w.shape[0] > w.shape[1]:
            w = w.T
        return w.reshape(1, 1, *w.shape)
    if w.ndim == 3:
        count = w.shape[2]
        cols = math.ceil(math.sqrt(count))
        rows = math.ceil(count / cols)
        tiles = np.full((rows * cols,) + w.shape[:2], np.nan)
        tiles[:count] = np.transpose(w, (2, 0, 1))
        return tiles.reshape(rows, cols, *w.shape[:2])
    if w.ndim == 4:
        return np.transpose(w, (2, 3, 0, 1))
    return None


def weight_image(values: np.ndarray) -> Optional[np.ndarray]:
    """Returns the weight as an `(height, width, 1)` uint8 image, or None when it has none.

    Tiles are separated by one-pixel grey lines (grey also fills the unused end of a grid);
    non-finite values are drawn black.

    Args:
        values: the weight's values.

    Returns:
        The image, or None for a weight of more than 4 axes after squeezing.

    Example:
        >>> weight_image(np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]))[..., 0]
        array([[  0, 102, 204],
               [ 51, 153, 255]], dtype=uint8)
    """
    tiles = _tiles(np.asarray(values, dtype=np.float64))
    if tiles is None:
        return None
    finite = tiles[np.isfinite(tiles)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    scaled = (tiles - low) / (high - low) if high > low else np.zeros_like(tiles)
    pixels = np.where(np.isfinite(scaled), np.round(scaled * 255.0), 0.0).astype(np.uint8)
    padding = np.all(np.isnan(tiles), axis=(2, 3))
    rows, cols, h, w = pixels.shape
    gap = 1 if rows * cols > 1 else 0
    image = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), 128, dtype=np.uint8)
    for r in range(rows):
        for c in range(cols):
            if padding[r, c]:
                continue
            image[r * (h + gap): r * (h + gap) + h, c * (w + gap): c * (w + gap) + w] = pixels[r, c]
    return image[..., None]
