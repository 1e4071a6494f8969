"""RandomFlip: flip images horizontally and/or vertically at random while training."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly flips images during training.

    Each image of a batch is flipped with probability 1/2. With ``"horizontal_and_vertical"`` one
    draw per image decides both flips (so an image is either turned by 180 degrees or left alone), as
    Keras 3 does. At inference (``training=False``) the images are returned unchanged (cast to the
    layer's dtype). Segmentation masks passed in a dict are flipped with their images.

    Args:
        mode: "horizontal" (left-right), "vertical" (upside down) or "horizontal_and_vertical".
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        The input's shape.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(6, dtype="float32").reshape(1, 1, 6, 1)
        >>> layer = layers.RandomFlip("horizontal", seed=3)
        >>> outputs = {tuple(layer(x)[0, 0, :, 0].numpy().tolist()) for _ in range(8)}
        >>> sorted(outputs)
        [(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), (5.0, 4.0, 3.0, 2.0, 1.0, 0.0)]
        >>> layer(x, training=False)[0, 0, :, 0].numpy().tolist()
        [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """

    _USE_BASE_FACTOR = False
    _TRANSFORMS_MASKS = True

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.mode = arguments.choice(self, "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._batch_shape(data)
        flips = ops.less_equal(self._uniform((shape[0], 1, 1, 1), 0.0, 1.0, seed), 0.5)
        return {"flips": flips, "input_shape": shape}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        flips = transformation["flips"]
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=2), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=1), images)
        return images

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "seed": self.seed}
