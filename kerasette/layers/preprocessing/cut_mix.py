"""CutMix: paste a random box from another image of the batch into each image while training."""

from kerasette import ops
from kerasette import random as keras_random
from kerasette.layers.preprocessing import arguments
from kerasette.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class CutMix(BaseImagePreprocessingLayer):
    """CutMix data augmentation technique (Yun et al., 2019).

    For each image a box is cut out and filled with the same box of another image of the batch (a
    random permutation); the box covers a fraction ``1 - w`` of the image, ``w`` drawn from
    Beta(a, a) with ``a`` drawn from ``factor``. Labels passed in a dict are mixed in proportion to the
    areas. Single images (rank 3) and inference calls are returned unchanged.

    Args:
        factor: a float or a pair in [0, 1]: the range of the Beta concentration ``a``.
        seed: int, the seed of the layer's random stream.
        data_format: "channels_last" or None.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> data = {"images": np.arange(4, dtype="float32").reshape(4, 1, 1, 1) * np.ones((4, 4, 4, 1), "float32"),
        ...         "labels": np.eye(4, dtype="float32")}
        >>> out = layers.CutMix(seed=1)(data)
        >>> out["images"].shape, np.allclose(out["labels"].numpy().sum(axis=1), 1.0)
        ((4, 4, 4, 1), True)
    """

    _USE_BASE_FACTOR = False
    _TRANSFORMS_MASKS = True

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = arguments.factor_range(self, "factor", factor, 0.0, 1.0)
        self._set_seed(seed)

    def _bounds(self, n, length, ratio, seed):
        size = ops.multiply(ratio, float(length))
        start = ops.multiply(self._uniform((n,), 0.0, 1.0, seed), ops.subtract(float(length), size))
        return start, ops.add(start, size)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or ops.ndim(self._images_of(data)) == 3:
            return None
        n, h, w, c = self._batch_shape(data)
        seed = self._seed(seed)
        alpha = float(self._uniform((), self.factor[0], self.factor[1], seed)) + 1e-6
        weight = keras_random.beta((n,), alpha, alpha, dtype=self.dtype, seed=seed)
        ratio = ops.sqrt(ops.subtract(1.0, weight))
        x0, x1 = self._bounds(n, w, ratio, seed)
        y0, y1 = self._bounds(n, h, ratio, seed)
        grid_y = ops.reshape(ops.arange(h, dtype=self.dtype), (1, h, 1, 1))
        grid_x = ops.reshape(ops.arange(w, dtype=self.dtype), (1, 1, w, 1))

        def column(v):
            return ops.reshape(v, (n, 1, 1, 1))

        inside = ops.logical_and(
            ops.logical_and(ops.greater_equal(grid_x, column(x0)), ops.less(grid_x, column(x1))),
            ops.logical_and(ops.greater_equal(grid_y, column(y0)), ops.less(grid_y, column(y1))))
        masks = ops.broadcast_to(inside, (n, h, w, c))
        mix_weight = ops.subtract(1.0, ops.divide(ops.multiply(ops.subtract(x1, x0), ops.subtract(y1, y0)),
                                                  float(w * h)))
        permutation = keras_random.shuffle(ops.arange(n, dtype="int32"), seed=seed)
        return {"permutation_order": permutation, "batch_masks": masks, "mix_weight": mix_weight}

    def _transform_batch(self, images, transformation, interpolation):
        if transformation is None:
            return images
        shuffled = ops.take(images, ops.convert_to_tensor(transformation["permutation_order"]), axis=0)
        masks = ops.convert_to_tensor(transformation["batch_masks"])
        if masks.shape[-1] != images.shape[-1]:  # masks drawn for the images, applied to 1-channel masks
            masks = ops.broadcast_to(masks[..., :1], images.shape)
        return ops.where(masks, shuffled, images)

    def transform_labels(self, labels, transformation=None, training=True):
        if not training or transformation is None:
            return labels
        labels = ops.convert_to_tensor(labels)
        labels = labels if labels.dtype.startswith("float") else ops.cast(labels, self.dtype)
        weight = ops.reshape(ops.cast(ops.convert_to_tensor(transformation["mix_weight"]), labels.dtype), (-1, 1))
        shuffled = ops.take(labels, ops.convert_to_tensor(transformation["permutation_order"]), axis=0)
        return ops.add(ops.multiply(weight, labels), ops.multiply(ops.subtract(1.0, weight), shuffled))

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor), "seed": self.seed}
