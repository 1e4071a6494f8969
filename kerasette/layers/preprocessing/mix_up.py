"""MixUp: blend each image (and its label) with another image of the batch while training."""

from kerasette import ops
from kerasette import random as keras_random
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from kerasette.layers.validation import invalid


class MixUp(BaseImagePreprocessingLayer):
    """MixUp implements the MixUp data augmentation technique (Zhang et al., 2017).

    Each image ``i`` becomes ``w_i * x_i + (1 - w_i) * x_p(i)``, with ``p`` a random permutation of the
    batch and ``w_i`` drawn from Beta(alpha, alpha); labels passed in a dict (``{"images": ...,
    "labels": ...}``, labels one-hot or soft, shape (batch, classes)) are mixed with the same weights.
    At inference everything is returned unchanged.

    Args:
        alpha: float > 0, the concentration of the Beta distribution (small values mix little).
        data_format: "channels_last" or None.
        seed: int, the seed of the layer's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> data = {"images": np.ones((4, 2, 2, 1), "float32"), "labels": np.eye(4, dtype="float32")}
        >>> out = layers.MixUp(alpha=0.5, seed=0)(data)
        >>> out["images"].shape, np.allclose(out["labels"].numpy().sum(axis=1), 1.0)
        ((4, 2, 2, 1), True)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = arguments.number(self, "alpha", alpha)
        if self.alpha <= 0:
            raise invalid(self, "alpha", "a number > 0", alpha)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = self._batch_shape(data)[0]
        seed = self._seed(seed)
        permutation = keras_random.shuffle(ops.arange(n, dtype="int64"), seed=seed)
        weight = keras_random.beta((n,), self.alpha, self.alpha, dtype=self.dtype, seed=seed)
        return {"mix_weight": weight, "permutation_order": permutation}

    def _mix(self, values, transformation):
        weight = ops.cast(ops.convert_to_tensor(transformation["mix_weight"]), values.dtype)
        weight = ops.reshape(weight, (-1,) + (1,) * (values.ndim - 1))
        shuffled = ops.take(values, ops.convert_to_tensor(transformation["permutation_order"]), axis=0)
        return ops.add(ops.multiply(weight, values), ops.multiply(ops.subtract(1.0, weight), shuffled))

    def _transform_batch(self, images, transformation, interpolation):
        return images if transformation is None else self._mix(images, transformation)

    def transform_labels(self, labels, transformation=None, training=True):
        if not training or transformation is None:
            return labels
        labels = ops.convert_to_tensor(labels)
        return self._mix(ops.cast(labels, self.dtype) if not labels.dtype.startswith("float") else labels,
                         transformation)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return self.transform_labels(segmentation_masks, transformation, training)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
