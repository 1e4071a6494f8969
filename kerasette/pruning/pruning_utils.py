"""Mask computations: magnitude masks, block pooling and N:M (``sparsity_m_by_n``) masks.

Pure functions of tensors, written with ``kerasette.ops`` so they run on every backend. They follow
TF-MOT's ``pruning_impl``/``pruning_utils``: the number of weights kept is
``max(round(size * (1 - sparsity)), 1)`` (float32, ties to even); the threshold is the magnitude of
the last weight kept; every weight at least as large as the threshold is kept, so ties at the
threshold keep more weights than that count.
"""

from __future__ import annotations

import math

import numpy as np

from kerasette import ops


def kept_count(size, sparsity):
    """How many of ``size`` weights a magnitude mask keeps at ``sparsity`` (TF-MOT's ``k``).

    Args:
        size: the number of weights.
        sparsity: the fraction to prune, in [0, 1).

    Returns:
        ``max(round(size * (1 - sparsity)), 1)`` computed in float32 with ties to even, as TensorFlow does.

    Example:
        >>> kept_count(10, 0.25), kept_count(1000, 0.9), kept_count(3, 0.99)
        (8, 100, 1)
    """
    kept = np.rint(np.float32(size) * (np.float32(1.0) - np.float32(sparsity)))
    return max(int(kept), 1)


def magnitude_mask(weights, sparsity):
    """The threshold and the 0/1 mask that prune the ``sparsity`` fraction of smallest-magnitude weights.

    Args:
        weights: a tensor.
        sparsity: the fraction of weights to set to zero, in [0, 1).

    Returns:
        ``(threshold, mask)``: a scalar tensor and a tensor shaped like ``weights``, both of its dtype.
    """
    shape, dtype = tuple(weights.shape), weights.dtype
    size = int(np.prod(shape))
    magnitudes = ops.abs(weights)
    k = kept_count(size, sparsity)
    values, indices = ops.top_k(ops.reshape(magnitudes, (-1,)), k)
    threshold = values[k - 1]
    keep_threshold_position = ops.reshape(ops.one_hot(indices[k - 1], size, dtype="bool"), shape)
    mask = ops.logical_or(ops.greater_equal(magnitudes, threshold), keep_threshold_position)
    return ops.cast(threshold, dtype), ops.cast(mask, dtype)


def block_pool(magnitudes, block_size, pooling_type):
    """Pool a rank-2 tensor over non-overlapping ``block_size`` blocks from index (0, 0).

    Blocks at the bottom and right edges may be partial: ``"AVG"`` averages their valid elements only
    and ``"MAX"`` takes their maximum, as TensorFlow's pooling with ``SAME`` padding does.

    Args:
        magnitudes: a rank-2 tensor of non-negative values.
        block_size: ``(block_height, block_width)``.
        pooling_type: ``"AVG"`` or ``"MAX"``.

    Returns:
        A ``(ceil(h / block_height), ceil(w / block_width))`` tensor.
    """
    (height, width), (bh, bw) = magnitudes.shape, block_size
    rows, cols = math.ceil(height / bh), math.ceil(width / bw)
    padded = ops.pad(magnitudes, [[0, rows * bh - height], [0, cols * bw - width]])
    blocks = ops.reshape(padded, (rows, bh, cols, bw))
    if pooling_type == "MAX":
        return ops.max(blocks, axis=(1, 3))
    counts = np.outer(np.minimum(bh, height - bh * np.arange(rows)), np.minimum(bw, width - bw * np.arange(cols)))
    return ops.divide(ops.sum(blocks, axis=(1, 3)), ops.convert_to_tensor(counts.astype(magnitudes.dtype)))


def expand_blocks(block_mask, block_size, shape):
    """Repeat each element of a block mask over its block and crop to ``shape`` (TF-MOT's ``expand_tensor``).

    Args:
        block_mask: a rank-2 tensor, one value per block.
        block_size: ``(block_height, block_width)``.
        shape: the ``(height, width)`` of the weights.

    Returns:
        A tensor of ``shape``.
    """
    expanded = ops.repeat(ops.repeat(block_mask, block_size[0], axis=0), block_size[1], axis=1)
    return expanded[: shape[0], : shape[1]]


def block_magnitude_mask(weights, sparsity, block_size, pooling_type):
    """``(threshold, mask)`` pruning whole blocks of a rank-2 tensor by their pooled magnitude.

    Args:
        weights: a rank-2 tensor.
        sparsity: the fraction of blocks to set to zero.
        block_size: ``(block_height, block_width)``.
        pooling_type: ``"AVG"`` or ``"MAX"``: how a block's magnitudes are summarized.

    Returns:
        ``(threshold, mask)``; the threshold is a pooled magnitude.
    """
    pooled = block_pool(ops.abs(weights), block_size, pooling_type)
    threshold, pooled_mask = magnitude_mask(pooled, sparsity)
    return threshold, expand_blocks(pooled_mask, block_size, weights.shape)


def _to_rows(weights):
    """Rank 2 ``(in, out)`` -> ``(out, in)``; rank 4 ``(h, w, in, out)`` -> ``(out * h * w, in)`` (TFLite's order)."""
    if weights.ndim == 2:
        return ops.transpose(weights)
    return ops.reshape(ops.transpose(weights, (3, 0, 1, 2)), (-1, weights.shape[2]))


def _from_rows(mask, shape):
    if len(shape) == 2:
        return ops.transpose(mask)
    return ops.transpose(ops.reshape(mask, (shape[3], shape[0], shape[1], shape[2])), (1, 2, 3, 0))


def m_by_n_mask(weights, m_by_n):
    """The mask keeping the ``n - m`` largest magnitudes of every ``n`` consecutive input channels.

    Groups run along the input-channel axis in TFLite's layout (``(out, in)`` for a Dense kernel,
    ``(out, h, w, in)`` for a Conv2D kernel), as TF-MOT's ``sparsity_m_by_n`` does; a partial group at the
    end keeps at most ``n - m`` weights. Ties keep the lower index.

    Args:
        weights: a rank-2 or rank-4 tensor.
        m_by_n: ``(m, n)`` with ``0 <= m < n``: ``m`` zeros in every ``n`` weights.

    Returns:
        A 0/1 tensor shaped and typed like ``weights``.
    """
    zeros, group = m_by_n
    rows = ops.abs(_to_rows(weights))
    count, width = rows.shape
    padded_width = math.ceil(width / group) * group
    padded = ops.pad(rows, [[0, 0], [0, padded_width - width]])
    groups = ops.reshape(padded, (-1, group))
    _, indices = ops.top_k(groups, group - zeros)
    mask = ops.sum(ops.one_hot(indices, group, dtype=weights.dtype), axis=-2)
    mask = ops.reshape(mask, (count, padded_width))[:, :width]
    return _from_rows(mask, tuple(weights.shape))
