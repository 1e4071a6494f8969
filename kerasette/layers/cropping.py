"""Cropping1D and Cropping3D (Cropping2D has its own module): remove steps or cells at the borders."""

from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.spatial_pairs import pairs_config, rank_pairs


class BaseCropping(Layer):
    """Removes ``(before, after)`` entries at the ends of each spatial axis; a subclass sets ``rank``.

    Args:
        cropping: the ``(before, after)`` amounts, in any form ``spatial_pairs.rank_pairs`` accepts.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Raises:
        ValueError: when called on inputs not longer than the cropping on some axis.
    """

    rank = None

    def __init__(self, cropping, **kwargs):
        super().__init__(**kwargs)
        self.input_ndim = self.rank + 2
        self.cropping = rank_pairs(self, "cropping", cropping, self.rank)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        sizes = self.compute_output_shape(tuple(inputs.shape))[1:-1]
        key = tuple(slice(before, before + size) for (before, _), size in zip(self.cropping, sizes))
        return inputs[(slice(None),) + key + (slice(None),)]

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, self.rank + 2)
        sizes = []
        for size, pair in zip(input_shape[1:-1], self.cropping):
            if size is not None and sum(pair) >= size:
                raise ValueError(f"Layer `{self.name}`: cropping={pairs_config(self.cropping)} must be smaller than "
                                 f"the input's spatial sizes. Received input shape {tuple(input_shape)}.")
            sizes.append(None if size is None else size - sum(pair))
        return (input_shape[0], *sizes, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "cropping": pairs_config(self.cropping)}


class Cropping1D(BaseCropping):
    """Cropping layer for 1D input (e.g. temporal sequence): removes steps at the start and the end.

    Args:
        cropping: int >= 0 (the same number of steps at both ends) or tuple of 2 ints ``(start, end)``.
            Defaults to ``(1, 1)``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        3D tensor with shape ``(batch_size, cropped_steps, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Cropping1D((1, 2))(np.arange(5.0).reshape(1, 5, 1)).numpy()[0, :, 0].tolist()
        [1.0, 2.0]
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)


class Cropping3D(BaseCropping):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal): removes cells around depth, height, width.

    Args:
        cropping: int >= 0, tuple of 3 ints (symmetric amounts per axis), or tuple of 3 tuples of 2 ints
            ``((front, back), (top, bottom), (left, right))``. Defaults to ``((1, 1), (1, 1), (1, 1))``.
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, rows, cols, channels)``.

    Output shape:
        5D tensor with shape ``(batch_size, cropped_depth, cropped_rows, cropped_cols, channels)``.

    Example:
        >>> from kerasette import layers
        >>> layers.Cropping3D(((1, 0), (2, 2), (0, 3))).compute_output_shape((None, 4, 5, 6, 2))
        (None, 3, 1, 3, 2)
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, **kwargs)
        self.data_format = validation.data_format(self, data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
