"""RandomCrop: crop a random window of each batch while training; a centred crop at inference."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomCrop(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly crops images during training.

    While training, one random ``height`` x ``width`` window (the same for the whole batch, as in
    Keras 3) is cut from images larger than the target along both axes. At inference, and for images
    that are not larger, the largest centred window of the target's aspect ratio is taken and resized
    to the target size, so the output always has the target size.

    Keras 3.15 returns the images uncropped at inference, although its documentation and
    ``compute_output_shape`` promise the target size; kerasette follows the documentation.

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        name: the layer's name.
        **kwargs: base layer arguments (``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        (batch, target_height, target_width, channels).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(36, dtype="float32").reshape(1, 6, 6, 1)
        >>> layer = layers.RandomCrop(2, 2, seed=0)
        >>> layer(x).shape, layer(x, training=False)[0, :, :, 0].numpy().tolist()
        ((1, 2, 2, 1), [[7.0, 10.0], [25.0, 28.0]])
    """

    _USE_BASE_FACTOR = False
    _ALWAYS_ACTIVE = True
    _TRANSFORMS_MASKS = True

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(name=name, data_format=data_format, **kwargs)
        self.height = arguments.positive_int(self, "height", height)
        self.width = arguments.positive_int(self, "width", width)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        _, h, w, _ = self._batch_shape(data)
        if not training or h <= self.height or w <= self.width:
            return None
        starts = self._uniform((2,), 0.0, 1.0, seed).numpy()
        top = min(int(starts[0] * (h - self.height + 1)), h - self.height)
        left = min(int(starts[1] * (w - self.width + 1)), w - self.width)
        return top, left

    def transform_images(self, images, transformation=None, training=True):
        images = ops.convert_to_tensor(images)
        self._check_rank(images.shape)
        single = images.ndim == 3
        batch = self._to_compute_dtype(ops.expand_dims(images, 0) if single else images)
        batch = self._transform_batch(batch, transformation if training else None, self.interpolation)
        return ops.squeeze(batch, 0) if single else batch

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:  # the largest centred window of the target's aspect ratio, resized
            return ops.image.resize(images, (self.height, self.width), crop_to_aspect_ratio=True)
        top, left = transformation
        n, _, _, c = images.shape
        return ops.slice(images, [0, top, left, 0], [n, self.height, self.width, c])

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape[:-3]) + (self.height, self.width, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}
