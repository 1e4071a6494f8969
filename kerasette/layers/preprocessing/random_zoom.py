"""RandomZoom: zoom images in or out by a random factor while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_affine_layer import BaseAffineLayer


class RandomZoom(BaseAffineLayer):
    """A preprocessing layer which randomly zooms images during training.

    Each image is zoomed about its centre, independently along height and width (or by the same
    amount when ``width_factor`` is None). A factor ``f`` reads the input over ``1 + f`` times the
    output's extent: positive values zoom out, negative values zoom in. At inference the images are
    returned unchanged.

    Args:
        height_factor: a float in (-1, 1] or a pair: the range of ``f`` along the height. ``0.2``
            draws from [-0.2, 0.2]; ``(-0.3, -0.2)`` zooms in by 20% to 30%.
        width_factor: the same along the width, or None (default) to use the height's draw for both
            axes, preserving the aspect ratio.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest"; see ``BaseAffineLayer``.
        interpolation: "bilinear" (default) or "nearest".
        seed: int, the seed of the layer's random stream.
        fill_value: the value of points outside the input with ``fill_mode="constant"``.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.ones((2, 6, 6, 1), "float32")
        >>> layer = layers.RandomZoom((0.5, 0.5), fill_mode="constant", seed=0)  # zoom out: a border appears
        >>> layer(x)[0, :, 3, 0].numpy().tolist()
        [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = arguments.factor_range(self, "height_factor", height_factor, -1.0,
                                                                      1.0, low_open=True)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = arguments.factor_range(self, "width_factor", width_factor, -1.0,
                                                                        1.0, low_open=True)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._batch_shape(data)
        height_zoom = self._uniform((shape[0], 1), 1.0 + self.height_lower, 1.0 + self.height_upper, seed)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = self._uniform((shape[0], 1), 1.0 + self.width_lower, 1.0 + self.width_upper, seed)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "input_shape": shape}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return self._affine(images, self._zoom_matrix(transformation, images.shape[1], images.shape[2]),
                            interpolation)

    @staticmethod
    def _zoom_matrix(transformation, height, width):
        zx, zy = transformation["width_zoom"][:, 0], transformation["height_zoom"][:, 0]
        x_offset = ops.multiply((width - 1.0) / 2.0, ops.subtract(1.0, zx))
        y_offset = ops.multiply((height - 1.0) / 2.0, ops.subtract(1.0, zy))
        zeros = ops.zeros_like(zx)
        return ops.stack([zx, zeros, x_offset, zeros, zy, y_offset, zeros, zeros], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": arguments.as_config(self.height_factor),
                "width_factor": arguments.as_config(self.width_factor), "seed": self.seed}
