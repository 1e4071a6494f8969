"""Accuracy metrics (exact, binary, categorical, sparse, top-k) and regression errors.

Each function returns one 0/1 (or error) value per sample; the class of the
same name averages it over every batch seen.
"""

from kerasette import losses, ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank
from kerasette.metrics._base import MeanMetricWrapper, registry


def accuracy(y_true, y_pred):
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0.

    Args:
        y_true: the targets.
        y_pred: the predictions.

    Returns:
        A float32 Tensor of 0/1 values.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), "float32")


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 target.

    Args:
        y_true: 0/1 targets.
        y_pred: predicted probabilities.
        threshold: predictions above it count as 1.

    Returns:
        A float32 Tensor of 0/1 values.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = ops.cast(ops.greater(y_pred, threshold), y_true.dtype)
    return ops.cast(ops.equal(y_true, predicted), "float32")


def _class_indices(y_true, y_pred):
    """Integer targets squeezed to ``y_pred.shape[:-1]``."""
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    return y_true


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of ``y_pred`` is the arg-max of the one-hot target.

    Args:
        y_true: one-hot targets.
        y_pred: class scores, classes on the last axis.

    Returns:
        A float32 Tensor of shape ``y_pred.shape[:-1]``.
    """
    return ops.cast(ops.equal(ops.argmax(y_true, axis=-1), ops.argmax(y_pred, axis=-1)), "float32")


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of ``y_pred`` is the integer target (shape (N,) or (N, 1)).

    Args:
        y_true: integer class labels.
        y_pred: class scores, classes on the last axis.

    Returns:
        A float32 Tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import metrics
        >>> metrics.sparse_categorical_accuracy([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]).numpy().tolist()
        [0.0, 1.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _class_indices(y_true, y_pred)
    predicted = ops.cast(ops.argmax(y_pred, axis=-1), y_true.dtype)
    return ops.cast(ops.equal(y_true, predicted), "float32")


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the target's score is among the ``k`` highest.

    No sort: the target is in the top k when fewer than ``k`` classes score
    strictly higher, so ties at the boundary count as hits (as TF's in_top_k).

    Args:
        y_true: integer class labels.
        y_pred: class scores, classes on the last axis (or, with ``from_sorted_ids``, class ids
            sorted from the most to the least likely).
        k: how many of the highest scores count.
        from_sorted_ids: whether ``y_pred`` holds sorted class ids (a hit when the label is among
            the first ``k``) rather than scores.

    Returns:
        A float32 Tensor of shape ``y_pred.shape[:-1]``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _class_indices(y_true, y_pred)
    if from_sorted_ids:
        first = y_pred[..., :k]
        hits = ops.equal(ops.expand_dims(ops.cast(y_true, first.dtype), -1), first)
        return ops.cast(ops.greater(ops.sum(ops.cast(hits, "float32"), axis=-1), 0.0), "float32")
    is_target = ops.greater(ops.one_hot(y_true, y_pred.shape[-1], dtype=y_pred.dtype), 0.5)
    target_score = ops.sum(ops.where(is_target, y_pred, ops.zeros_like(y_pred)), axis=-1, keepdims=True)
    higher = ops.sum(ops.cast(ops.greater(y_pred, target_score), "float32"), axis=-1)
    return ops.cast(ops.less(higher, float(k)), "float32")


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """``sparse_top_k_categorical_accuracy`` with one-hot targets.

    Args:
        y_true: one-hot targets.
        y_pred: class scores, classes on the last axis.
        k: how many of the highest scores count.

    Returns:
        A float32 Tensor of shape ``y_pred.shape[:-1]``.
    """
    return sparse_top_k_categorical_accuracy(ops.argmax(y_true, axis=-1), y_pred, k)


mean_squared_error = losses.mean_squared_error
mean_absolute_error = losses.mean_absolute_error


@registry.register("accuracy", "acc")
class Accuracy(MeanMetricWrapper):
    """How often predictions equal the targets exactly.

    For class predictions compare with ``SparseCategoricalAccuracy`` or ``CategoricalAccuracy``;
    ``compile(metrics=["accuracy"])`` picks the right one for the loss.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


@registry.register("binary_accuracy")
class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches 0/1 targets.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        threshold: predictions above it count as 1.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.BinaryAccuracy()
        >>> m.update_state([[1.0], [1.0], [0.0], [0.0]], [[0.98], [1.0], [0.0], [0.6]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


@registry.register("categorical_accuracy")
class CategoricalAccuracy(MeanMetricWrapper):
    """How often the predicted class (arg-max) matches one-hot targets.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


@registry.register("sparse_categorical_accuracy")
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the predicted class (arg-max) matches integer targets.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
        >>> m.reset_state()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]], sample_weight=[0.7, 0.3])
        >>> round(float(m.result()), 2)
        0.3
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


@registry.register("top_k_categorical_accuracy")
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target's class is among the ``k`` highest scores.

    Args:
        k: how many of the highest scores count.
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


@registry.register("sparse_top_k_categorical_accuracy")
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target's class is among the ``k`` highest scores.

    Args:
        k: how many of the highest scores count.
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        from_sorted_ids: whether predictions are class ids sorted from the most likely (e.g. from a
            retrieval layer) rather than scores.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
        >>> m = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
        >>> m.update_state([2, 1], [[0, 2, 1], [2, 0, 1]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        extra = {"from_sorted_ids": True} if from_sorted_ids else {}  # in the config only when set, as Keras
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k, **extra)


@registry.register("mean_squared_error", "mse", "MSE")
class MeanSquaredError(MeanMetricWrapper):
    """Mean of squared errors over every sample seen.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


@registry.register("mean_absolute_error", "mae", "MAE")
class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of absolute errors over every sample seen.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)
