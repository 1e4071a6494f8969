"""CenterCrop: crop the central part of images (resize first if they are smaller than the target)."""

from kerasette import ops
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


def center_crop_or_resize(images, height, width):
    """The centred ``height`` x ``width`` window of a rank-4 batch; a smaller batch is resized to it.

    As Keras's ``smart_resize``: an image smaller than the target along either axis gets the largest
    centred window of the target's aspect ratio, resized (bilinear) to the target size.

    Args:
        images: (N, H, W, C) float tensor.
        height: the target height.
        width: the target width.

    Returns:
        An (N, height, width, C) tensor.
    """
    n, h, w, c = images.shape
    if h >= height and w >= width:
        top, left = (h - height) // 2, (w - width) // 2
        return ops.slice(images, [0, top, left, 0], [n, height, width, c])
    return ops.image.resize(images, (height, width), crop_to_aspect_ratio=True)


class CenterCrop(BaseImagePreprocessingLayer):
    """A preprocessing layer which crops images to their central ``height`` x ``width`` window.

    Active in training and inference alike, and differentiable. An image smaller than the target
    along either axis is cropped to the target's aspect ratio and resized (bilinear), as in Keras.
    Segmentation masks passed in a dict are cropped with their images.

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        (batch, target_height, target_width, channels).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.arange(25, dtype="float32").reshape(1, 5, 5, 1)
        >>> layers.CenterCrop(3, 3)(x)[0, :, :, 0].numpy().tolist()
        [[6.0, 7.0, 8.0], [11.0, 12.0, 13.0], [16.0, 17.0, 18.0]]
    """

    _USE_BASE_FACTOR = False
    _ALWAYS_ACTIVE = True
    _TRANSFORMS_MASKS = True

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = arguments.positive_int(self, "height", height)
        self.width = arguments.positive_int(self, "width", width)

    def get_random_transformation(self, data, training=True, seed=None):
        return {"input_shape": self._batch_shape(data)}

    def _transform_batch(self, images, transformation, interpolation):
        return center_crop_or_resize(images, self.height, self.width)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape[:-3]) + (self.height, self.width, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
