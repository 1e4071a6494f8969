"""GlobalAveragePooling1D and GlobalMaxPooling1D: reduce sequences over their steps."""

from kerasette import ops
from kerasette.layers.base_global_pooling import BaseGlobalPooling


class GlobalPooling1D(BaseGlobalPooling):
    """The base of the global 1-D pooling layers: reduces sequences over their steps.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. Defaults to False.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).
    """

    rank = 1


class GlobalAveragePooling1D(GlobalPooling1D):
    """Global average pooling operation for temporal data: the mean over the steps, per channel.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the output has
            rank 2; if True, rank 3.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 3D tensor with shape
        ``(batch_size, 1, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.GlobalAveragePooling1D()(np.arange(6.0).reshape(1, 3, 2)).numpy().tolist()
        [[2.0, 3.0]]

    With a mask (from ``Embedding(mask_zero=True)`` or ``Masking``), the mean is over the unmasked steps.
    """

    reduce = staticmethod(ops.mean)
    supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)
        total = ops.sum(ops.multiply(inputs, weights), axis=1, keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=1, keepdims=self.keepdims))

    def compute_mask(self, inputs, previous_mask=None):
        return None  # the steps are gone


class GlobalMaxPooling1D(GlobalPooling1D):
    """Global max pooling operation for temporal data: the maximum over the steps, per channel.

    Args:
        data_format: ``"channels_last"`` or None (the same); ``"channels_first"`` is not supported and raises
            a ValueError.
        keepdims: bool, whether to keep the spatial axes, with size 1. If False (the default) the output has
            rank 2; if True, rank 3.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, features)``.

    Output shape:
        2D tensor with shape ``(batch_size, channels)``; with ``keepdims=True``, 3D tensor with shape
        ``(batch_size, 1, features)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.GlobalMaxPooling1D()(np.arange(6.0).reshape(1, 3, 2)).numpy().tolist()
        [[4.0, 5.0]]
    """

    reduce = staticmethod(ops.max)
