"""ContrastLimitedAdaptiveHistogramEqualization (CLAHE): equalize each tile of an image, with a clip limit."""

import math
import numbers

import numpy as np

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid


class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Contrast Limited Adaptive Histogram Equalization (CLAHE), as Keras 3 computes it.

    The image (mapped from ``value_range`` to [0, 255]) is cut into a ``tile_grid_size`` grid of tiles
    (padded symmetrically at the bottom and right to whole tiles). Each tile's per-channel 256-bin
    histogram is clipped at ``clip_limit`` times its mean count, the excess spread over all bins, and
    turned into an equalizing lookup table; each pixel then reads the tables of the four nearest tile
    centres and interpolates them bilinearly. Active in training and inference alike.

    Args:
        value_range: the range of the pixel values, e.g. ``(0, 255)`` (default) or ``(0, 1)``.
        clip_limit: float, the contrast limit (0 or less: no clipping, plain adaptive equalization).
        tile_grid_size: a pair of positive ints, the number of tiles along height and width.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.random.default_rng(0).uniform(100, 120, (1, 16, 16, 1)).astype("float32")
        >>> out = layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))(x)
        >>> out.shape, bool(np.ptp(out.numpy()) > np.ptp(x))  # the contrast is stretched
        ((1, 16, 16, 1), True)
    """

    _USE_BASE_FACTOR = False
    _ALWAYS_ACTIVE = True

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = arguments.value_range(self, value_range)
        self.clip_limit = arguments.number(self, "clip_limit", clip_limit)
        if not isinstance(tile_grid_size, (list, tuple)) or len(tile_grid_size) != 2 or not all(
                isinstance(g, numbers.Integral) and not isinstance(g, bool) and g > 0 for g in tile_grid_size):
            raise invalid(self, "tile_grid_size", "a pair of positive ints", tile_grid_size)
        self.tile_grid_size = (int(tile_grid_size[0]), int(tile_grid_size[1]))

    def _tables(self, pixels, n, c, grid, tile):
        """The equalizing lookup table of every tile and channel: (N, gh + 2, gw + 2, C, 256), edges repeated."""
        (gh, gw), (th, tw) = grid, tile
        ty = (np.arange(gh * th) // th)[None, :, None, None]
        tx = (np.arange(gw * tw) // tw)[None, None, :, None]
        tile_index = ((np.arange(n)[:, None, None, None] * gh + ty) * gw + tx) * c + np.arange(c)
        flat = ops.add(ops.multiply(ops.convert_to_tensor(tile_index.astype("int32")), 256), pixels)
        counts = ops.bincount(ops.reshape(flat, (-1,)), minlength=n * gh * gw * c * 256)
        hist = ops.cast(ops.reshape(counts, (n, gh, gw, c, 256)), "float32")
        if self.clip_limit > 0:
            clipped = ops.clip(hist, 0.0, self.clip_limit * th * tw / 256.0)
            hist = ops.add(clipped, ops.divide(ops.sum(ops.subtract(hist, clipped), axis=-1, keepdims=True), 256.0))
        cdf = ops.cumsum(hist, axis=-1)
        cdf_min = ops.min(cdf, axis=-1, keepdims=True)
        denominator = ops.subtract(float(th * tw), cdf_min)
        denominator = ops.where(ops.equal(denominator, 0.0), 1.0, denominator)
        table = ops.clip(ops.divide(ops.multiply(ops.subtract(cdf, cdf_min), 255.0), denominator), 0.0, 255.0)
        table = ops.concatenate([table[:, :1], table, table[:, -1:]], axis=1)
        return ops.concatenate([table[:, :, :1], table, table[:, :, -1:]], axis=2)

    def _transform_batch(self, images, transformation, interpolation):
        n, height, width, c = images.shape
        gh, gw = self.tile_grid_size
        th, tw = math.ceil(height / gh), math.ceil(width / gw)
        x = ops.cast(self._transform_value_range(images, self.value_range, (0, 255)), "float32")
        if th * gh != height or tw * gw != width:
            x = ops.pad(x, ((0, 0), (0, th * gh - height), (0, tw * gw - width), (0, 0)), mode="symmetric")
        pixels = ops.clip(ops.cast(x, "int32"), 0, 255)
        table = ops.reshape(self._tables(pixels, n, c, (gh, gw), (th, tw)), (-1,))
        axes = []
        for size, tile_size, tiles, shape in ((gh * th, th, gh, (1, -1, 1, 1)), (gw * tw, tw, gw, (1, 1, -1, 1))):
            grid = (np.arange(size, dtype=np.float32) - tile_size / 2.0) / tile_size + 1.0
            low = np.floor(grid)
            weight = (grid - low).reshape(shape)
            axes.append((np.clip(low, 0, tiles + 1).astype(np.int32).reshape(shape),
                         np.clip(low + 1, 0, tiles + 1).astype(np.int32).reshape(shape), weight))
        (y0, y1, wy), (x0, x1, wx) = axes
        stride_x = 256 * c
        stride_y = stride_x * (gw + 2)
        base = ops.add(ops.convert_to_tensor((np.arange(n) * stride_y * (gh + 2)).reshape(-1, 1, 1, 1).astype(np.int32)
                                             + (np.arange(c) * 256).reshape(1, 1, 1, -1).astype(np.int32)), pixels)

        def read(ys, xs):
            return ops.take(table, ops.add(base, ops.convert_to_tensor((ys * stride_y + xs * stride_x)
                                                                      .astype(np.int32))))

        top = ops.add(ops.multiply(read(y0, x0), 1.0 - wx), ops.multiply(read(y0, x1), wx))
        bottom = ops.add(ops.multiply(read(y1, x0), 1.0 - wx), ops.multiply(read(y1, x1), wx))
        result = ops.add(ops.multiply(top, 1.0 - wy), ops.multiply(bottom, wy))
        result = ops.slice(result, [0, 0, 0, 0], [n, height, width, c])
        return ops.cast(self._transform_value_range(result, (0, 255), self.value_range), images.dtype)

    def get_config(self):
        return {**super().get_config(), "value_range": list(self.value_range), "clip_limit": self.clip_limit,
                "tile_grid_size": list(self.tile_grid_size)}
