"""Similarity losses: cosine similarity between vectors, and the Circle loss for metric learning."""

import numpy as np

from kerasette import ops
from kerasette.losses import _checks
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import reduce_weighted_values, registry

EPSILON = 1e-7
_EXCLUDED = -1e9  # stands in for -inf in the Circle loss's log-sum-exp, so gradients stay finite


def l2_normalize(x, axis=-1):
    """``x / max(||x||, 1e-7)`` along ``axis``, with a finite gradient at the zero vector.

    Args:
        x: a tensor.
        axis: the axis normalized over.

    Returns:
        A tensor shaped like ``x``.
    """
    squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(squares, EPSILON * EPSILON)))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Per-sample negative cosine similarity ``-sum(l2_normalize(y_true) * l2_normalize(y_pred))`` along ``axis``.

    -1 means the vectors point the same way, 0 orthogonal, 1 opposite. Minimizing it
    aligns predictions with targets.

    Args:
        y_true: the target vectors.
        y_pred: the predicted vectors.
        axis: the axis holding the vectors.

    Returns:
        A tensor: ``y_pred.shape`` without ``axis``.

    Example:
        >>> from kerasette import losses
        >>> values = losses.cosine_similarity([[1.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]])
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [-0.7071, -1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return ops.negative(ops.sum(ops.multiply(l2_normalize(y_true, axis), l2_normalize(y_pred, axis)), axis=axis))


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80.0, margin=0.4):
    """Per-sample Circle loss (Sun et al., 2020) over pairs of L2-normalized embeddings.

    Each embedding is compared with every reference embedding (by default the batch
    itself): pairs with the same label are pulled together, other pairs pushed apart,
    each pair weighted by how far it is from its optimum.

    Args:
        y_true: integer labels, shape ``(batch,)``.
        y_pred: L2-normalized embeddings, shape ``(batch, dim)``.
        ref_labels: labels of the reference embeddings (None: ``y_true``).
        ref_embeddings: reference embeddings, shape ``(refs, dim)`` (None: ``y_pred``).
        remove_diagonal: whether a sample is left out as its own positive pair.
        gamma: the scale of the similarities.
        margin: the relaxation margin.

    Returns:
        A tensor of shape ``(batch,)``; 0 for samples without positive or negative pairs.

    Example:
        >>> import numpy as np
        >>> from kerasette import losses
        >>> embeddings = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-0.6, 0.8]])
        >>> [round(v, 3) for v in losses.circle([0, 0, 1, 1], embeddings, gamma=2.0).numpy().tolist()]
        [0.858, 1.01, 1.01, 0.858]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.convert_to_tensor(y_true)
    references = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings, dtype=y_pred.dtype)
    ref_labels = labels if ref_labels is None else ops.convert_to_tensor(ref_labels)
    distances = ops.maximum(ops.subtract(1.0, ops.matmul(y_pred, ops.transpose(references))), 0.0)
    same = ops.equal(ops.reshape(ops.cast(labels, "int32"), (-1, 1)),
                     ops.reshape(ops.cast(ref_labels, "int32"), (1, -1)))
    negative_mask = ops.logical_not(same)
    positive_mask = same
    if remove_diagonal:
        off_diagonal = ~np.eye(same.shape[0], same.shape[1], dtype=bool)
        positive_mask = ops.logical_and(same, ops.convert_to_tensor(off_diagonal))
    positive_weights = ops.maximum(ops.where(positive_mask, ops.add(distances, margin), 0.0), 0.0)
    negative_weights = ops.maximum(ops.where(negative_mask, ops.subtract(1.0 + margin, distances), 0.0), 0.0)
    positive = ops.multiply(ops.multiply(positive_weights, ops.subtract(margin, distances)), -gamma)
    negative = ops.multiply(ops.multiply(negative_weights, ops.subtract(1.0 - margin, distances)), gamma)
    positive_loss = ops.logsumexp(ops.where(positive_mask, positive, _EXCLUDED), axis=1)
    negative_loss = ops.logsumexp(ops.where(negative_mask, negative, _EXCLUDED), axis=1)
    return ops.softplus(ops.add(positive_loss, negative_loss))


@registry.register("cosine_similarity")
class CosineSimilarity(AlignedLoss):
    """Negative cosine similarity between targets and predictions; see ``cosine_similarity``.

    Args:
        axis: the axis holding the vectors.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.CosineSimilarity()([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 4)
        -0.5
    """

    _function = staticmethod(cosine_similarity)
    _arguments = ("axis",)

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.axis = axis


def _check_labels(name, y_true, output_shape):
    y = _checks.check_common(name, y_true)
    if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
        raise ValueError(f"Invalid labels for loss `{name}`: expected one integer label per sample, shape (N,). "
                         f"Received targets of shape {y.shape}.")


@registry.register("circle")
class Circle(AlignedLoss):
    """Circle loss for learning embeddings from integer labels; see ``circle``.

    ``y_pred`` should be L2-normalized embeddings (e.g. a ``UnitNormalization`` output).
    The mean runs over the samples whose loss is positive, as in Keras.

    Args:
        gamma: the scale of the similarities.
        margin: the relaxation margin.
        remove_diagonal: whether a sample is left out as its own positive pair.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> import numpy as np
        >>> from kerasette import losses
        >>> embeddings = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-0.6, 0.8]])
        >>> round(float(losses.Circle(gamma=2.0)([0, 0, 1, 1], embeddings)), 4)
        0.9337
    """

    _function = staticmethod(circle)
    _arguments = ("gamma", "margin", "remove_diagonal")
    _check = staticmethod(_check_labels)

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction="sum_over_batch_size", name="circle",
                 dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.gamma, self.margin, self.remove_diagonal = float(gamma), float(margin), bool(remove_diagonal)

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The loss reduced over the samples whose loss is positive."""
        if not ops.is_tensor(y_pred) or (self.dtype is not None and y_pred.dtype != self.dtype):
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        values = self.call(ops.convert_to_tensor(y_true), y_pred)
        return reduce_weighted_values(values, sample_weight, ops.greater(values, 0.0), self.reduction)
