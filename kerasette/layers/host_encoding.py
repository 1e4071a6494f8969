"""One-hot, multi-hot and count encodings of integer indices, on the host (numpy).

The lookup and hashing layers produce integer indices and, for ``output_mode`` other than
``"int"``, encode them as Keras's ``encode_categorical_inputs`` does. Indices outside
``[0, depth)`` (a dropped mask token) add nothing.
"""

import numpy as np

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def encode_indices(indices, output_mode, depth, dtype="float32", count_weights=None):
    """Encode integer ``indices`` as Keras's categorical output modes do.

    Args:
        indices: an integer numpy array.
        output_mode: ``"int"`` (returned as is), ``"one_hot"`` (a ``depth`` axis added, replacing a last
            axis of size 1), ``"multi_hot"`` or ``"count"`` (the last axis, the sample's items, becomes a
            ``depth`` axis of presence flags or counts; a scalar or 1-D input is one sample).
        depth: int, the size of the encoded axis.
        dtype: the dtype of the encoded array.
        count_weights: optional float array of length ``depth``, multiplied into the counts
            (``tf_idf`` passes its idf weights).

    Returns:
        A numpy array.

    Example:
        >>> import numpy as np
        >>> encode_indices(np.array([[1, 3, 3], [0, 2, 9]]), "count", depth=4).tolist()
        [[0.0, 1.0, 0.0, 2.0], [1.0, 0.0, 1.0, 0.0]]
    """
    if output_mode == "int":
        return indices
    indices = np.asarray(indices)
    if indices.ndim == 0:
        indices = indices.reshape(1)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        out = np.zeros(indices.shape + (depth,), dtype=dtype)
        flat = indices.reshape(-1)
        rows = np.nonzero((flat >= 0) & (flat < depth))[0]
        out.reshape(-1, depth)[rows, flat[rows]] = 1
        return out
    samples = indices.reshape(-1, indices.shape[-1]) if indices.ndim > 1 else indices.reshape(1, -1)
    counts = np.zeros((samples.shape[0], depth), dtype="float64")
    rows = np.repeat(np.arange(samples.shape[0]), samples.shape[1])
    cols = samples.reshape(-1)
    valid = (cols >= 0) & (cols < depth)
    np.add.at(counts, (rows[valid], cols[valid]), 1.0)
    if output_mode == "multi_hot":
        counts = np.minimum(counts, 1.0)
    if count_weights is not None:
        counts = counts.astype(np.float32) * np.asarray(count_weights, dtype=np.float32)
    shape = indices.shape[:-1] + (depth,) if indices.ndim > 1 else (depth,)
    return counts.astype(dtype).reshape(shape)


def encoded_shape(input_shape, output_mode, depth):
    """The shape ``encode_indices`` gives for inputs of ``input_shape`` (None for unknown sizes).

    Args:
        input_shape: a shape tuple.
        output_mode: as in ``encode_indices``.
        depth: the size of the encoded axis.

    Returns:
        The output shape tuple.
    """
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)
