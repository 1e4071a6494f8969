"""Plain numpy references for the image ops and augmentation layers, written for reading, not speed.

Each works one pixel (or one image) at a time from the textbook definition, independently of the
vectorized code in kerasette/ops/_image_*.py and backends/*/image*.
"""

import math

import numpy as np


def fix_index(i, size, mode):
    """Where integer index ``i`` reads along an axis of ``size`` under Keras's fill modes."""
    if mode in ("constant", "nearest"):
        return min(max(i, 0), size - 1)
    if mode == "wrap":
        return i % size
    if mode == "mirror":  # d c b | a b c d | c b a: reflect about the first and last pixel
        if size == 1:
            return 0
        period = 2 * (size - 1)
        i %= period
        return i if i < size else period - i
    # reflect: d c b a | a b c d | d c b a: reflect about the edges
    period = 2 * size
    i %= period
    return i if i < size else period - 1 - i


def sample(image, y, x, interpolation, mode, fill_value):
    """One pixel (a vector of channels) of an (H, W, C) image read at real coordinates (y, x)."""
    h, w, _ = image.shape

    def read(iy, ix):
        if mode == "constant" and not (0 <= iy < h and 0 <= ix < w):
            return np.full(image.shape[-1], fill_value, np.float64)
        return image[fix_index(iy, h, mode), fix_index(ix, w, mode)].astype(np.float64)

    if interpolation == "nearest":
        return read(int(np.rint(y)), int(np.rint(x)))
    y0, x0 = math.floor(y), math.floor(x)
    dy, dx = y - y0, x - x0
    return ((1 - dy) * (1 - dx) * read(y0, x0) + (1 - dy) * dx * read(y0, x0 + 1)
            + dy * (1 - dx) * read(y0 + 1, x0) + dy * dx * read(y0 + 1, x0 + 1))


def affine_transform(images, transforms, interpolation="bilinear", mode="constant", fill_value=0.0):
    """Keras's affine_transform: output (y, x) reads the input where the 8-number transform sends it."""
    images = np.asarray(images, np.float64)
    out = np.zeros_like(images)
    for n, image in enumerate(images):
        a0, a1, a2, b0, b1, b2, c0, c1 = np.asarray(transforms, np.float64).reshape(-1, 8)[n]
        for y in range(image.shape[0]):
            for x in range(image.shape[1]):
                k = c0 * x + c1 * y + 1
                out[n, y, x] = sample(image, (b0 * x + b1 * y + b2) / k, (a0 * x + a1 * y + a2) / k, interpolation,
                                      mode, fill_value)
    return out


def rotation_transform(angle_degrees, height, width):
    """The transform of a rotation by ``angle_degrees`` about the image centre (Keras's convention)."""
    theta = math.radians(angle_degrees)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    cos, sin = math.cos(theta), math.sin(theta)
    return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0.0, 0.0]


def bilinear_resize(images, height, width):
    """Half-pixel bilinear resizing (torch's align_corners=False): source ``(i + 0.5) * in / out - 0.5``."""
    images = np.asarray(images, np.float64)
    n, h, w, c = images.shape
    out = np.zeros((n, height, width, c))
    for i in range(height):
        sy = max((i + 0.5) * h / height - 0.5, 0.0)
        y0 = min(int(sy), h - 1)
        y1, dy = min(y0 + 1, h - 1), sy - int(sy)
        for j in range(width):
            sx = max((j + 0.5) * w / width - 0.5, 0.0)
            x0 = min(int(sx), w - 1)
            x1, dx = min(x0 + 1, w - 1), sx - int(sx)
            out[:, i, j] = ((1 - dy) * ((1 - dx) * images[:, y0, x0] + dx * images[:, y0, x1])
                            + dy * ((1 - dx) * images[:, y1, x0] + dx * images[:, y1, x1]))
    return out


def nearest_resize(images, height, width):
    """Half-pixel nearest neighbour: output ``i`` reads input ``floor((i + 0.5) * in / out)``."""
    images = np.asarray(images)
    h, w = images.shape[1:3]
    rows = [min(int((i + 0.5) * h / height), h - 1) for i in range(height)]
    cols = [min(int((j + 0.5) * w / width), w - 1) for j in range(width)]
    return images[:, rows][:, :, cols]


def grayscale(images):
    """ITU-R 601 luma, kept as one channel."""
    images = np.asarray(images, np.float64)
    return (0.2989 * images[..., 0] + 0.587 * images[..., 1] + 0.114 * images[..., 2])[..., None]


def rgb_to_hsv(rgb):
    """colorsys's conversion, pixel by pixel, for images with values in [0, 1]."""
    import colorsys

    flat = np.asarray(rgb, np.float64).reshape(-1, 3)
    return np.array([colorsys.rgb_to_hsv(*p) for p in flat]).reshape(np.shape(rgb))


def hsv_to_rgb(hsv):
    """colorsys's conversion, pixel by pixel."""
    import colorsys

    flat = np.asarray(hsv, np.float64).reshape(-1, 3)
    return np.array([colorsys.hsv_to_rgb(*p) for p in flat]).reshape(np.shape(hsv))


def gaussian_blur(images, kernel_size, sigma):
    """Zero-padded 'same' correlation with the outer product of two normalized Gaussian windows."""
    def window(size, s):
        x = np.arange(size) - (size - 1) / 2
        g = np.exp(-0.5 * (x / s) ** 2)
        return g / g.sum()

    kernel = np.outer(window(kernel_size[1], sigma[1]), window(kernel_size[0], sigma[0]))  # (kh, kw)
    kh, kw = kernel.shape
    images = np.asarray(images, np.float64)
    padded = np.pad(images, ((0, 0), (kh // 2, kh - 1 - kh // 2), (kw // 2, kw - 1 - kw // 2), (0, 0)))
    out = np.zeros_like(images)
    for dy in range(kh):
        for dx in range(kw):
            out += kernel[dy, dx] * padded[:, dy:dy + images.shape[1], dx:dx + images.shape[2]]
    return out
