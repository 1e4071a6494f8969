"""CategoryEncoding: integer category indices to one-hot, multi-hot or count vectors."""

import numbers

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.preprocessing import arguments
from kerasette.layers.validation import invalid

OUTPUT_MODES = ("one_hot", "multi_hot", "count")


def encode(layer, indices, depth, output_mode, dtype, count_weights=None):
    """Encode integer ``indices`` (values in [0, depth)) as Keras's ``encode_categorical_inputs`` does.

    ``one_hot`` adds an axis (replacing a trailing axis of size 1); ``multi_hot`` and ``count`` reduce
    the last axis of a rank >= 2 input (a rank-1 input is one set).

    Args:
        layer: the calling layer (for messages).
        indices: integer tensor.
        depth: the number of categories.
        output_mode: "one_hot", "multi_hot" or "count".
        dtype: the float dtype of the result.
        count_weights: optional weights of each index, for "count".

    Returns:
        The encoded tensor.

    Raises:
        ValueError: for indices outside [0, depth).
    """
    if indices.ndim == 0:
        indices = ops.expand_dims(indices, -1)
    if not indices.dtype.startswith(("int", "uint")):
        indices = ops.cast(indices, "int64")
    if indices.shape and min(indices.shape) > 0:
        low, high = int(ops.min(indices)), int(ops.max(indices))
        if low < 0 or high >= depth:
            raise ValueError(f"Layer `{layer.name}` expects inputs in the range [0, {depth}). Received values in "
                             f"[{low}, {high}].")
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = ops.squeeze(indices, -1)
        return ops.one_hot(indices, depth, dtype=dtype)
    encoded = ops.one_hot(indices, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return ops.max(encoded, axis=-2)
    if count_weights is not None:
        encoded = ops.multiply(encoded, ops.expand_dims(ops.cast(count_weights, dtype), -1))
    return ops.sum(encoded, axis=-2)


def encoded_shape(input_shape, depth, output_mode):
    """The shape ``encode`` returns for inputs of ``input_shape``."""
    input_shape = tuple(input_shape)
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if input_shape[-1] == 1 and len(input_shape) > 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


class CategoryEncoding(Layer):
    """A preprocessing layer which encodes integer features as one-hot, multi-hot or count vectors.

    Inputs are integer category indices in ``[0, num_tokens)`` (other values raise a ValueError).
    ``"one_hot"`` encodes each index as a vector (an input of shape (batch, 1) gives (batch,
    num_tokens)); ``"multi_hot"`` marks the indices present in each row of a (batch, k) input;
    ``"count"`` counts them (weighted by ``count_weights`` if given). The output has the layer's dtype.

    Args:
        num_tokens: int, the number of categories.
        output_mode: "multi_hot" (default; "binary" is accepted as its old name), "one_hot" or "count".
        sparse: must be False (kerasette has no sparse tensors).
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Call arguments:
        inputs: integer tensor of indices.
        count_weights: optional tensor shaped like ``inputs``, the weight of each index in "count" mode.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.CategoryEncoding(4, output_mode="one_hot")(np.array([3, 2, 0, 1])).numpy().tolist()[0]
        [0.0, 0.0, 0.0, 1.0]
        >>> layers.CategoryEncoding(4, output_mode="count")(np.array([[0, 1, 1], [3, 3, 3]])).numpy().tolist()
        [[1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 3.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        self.output_mode = arguments.choice(self, "output_mode", output_mode, OUTPUT_MODES)
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of tokens is not known "
                             "beforehand, use the IntegerLookup layer instead.")
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, numbers.Integral) or num_tokens < 1:
            raise invalid(self, "num_tokens", "an int >= 1", num_tokens)
        self.num_tokens = int(num_tokens)
        if sparse:
            raise invalid(self, "sparse", "False (kerasette has no sparse tensors)", sparse)
        self.sparse = False

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(f"`count_weights` is not used when `output_mode` is not `'count'`. Received "
                             f"`count_weights={count_weights}`.")
        return encode(self, inputs, self.num_tokens, self.output_mode, self.dtype, count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.num_tokens, self.output_mode)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode,
                "sparse": self.sparse}
