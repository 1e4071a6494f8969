"""Intersection-over-union metrics for segmentation: IoU, BinaryIoU, MeanIoU, OneHotIoU and OneHotMeanIoU.

Each accumulates a ``(num_classes, num_classes)`` confusion matrix (rows: true
class, columns: predicted class) and reports ``tp / (tp + fp + fn)`` per class,
averaged over the requested classes that occurred. As in Keras the matrix
holds integers by default (``dtype="int32"``), so float sample weights are
truncated; pass ``dtype="float32"`` for fractional weights.
"""

import warnings

import numpy as np

from kerasette import ops
from kerasette.metrics._base import Metric, registry

EPSILON = 1e-7


class _IoUBase(Metric):
    """The confusion-matrix state and its update.

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default ``"int32"``).
        ignore_class: a label value left out entirely, or None.
        sparse_y_true: whether labels are class indices (else one-hot along ``axis``).
        sparse_y_pred: whether predictions are class indices (else scores along ``axis``).
        axis: the class axis of one-hot labels or scores.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(f"Invalid value for argument `num_classes`. Expected a positive int. Received: "
                             f"num_classes={num_classes!r}")
        super().__init__(name=name, dtype=dtype or "int32")
        self.num_classes, self.ignore_class = num_classes, ignore_class
        self.sparse_y_true, self.sparse_y_pred, self.axis = sparse_y_true, sparse_y_pred, axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch to the confusion matrix.

        Args:
            y_true: class indices (or one-hot labels when ``sparse_y_true`` is False).
            y_pred: predicted class indices (or scores when ``sparse_y_pred`` is False).
            sample_weight: weights per label, or None.
        """
        integer = self.dtype.startswith(("int", "uint"))
        if integer and sample_weight is not None and "float" in str(getattr(sample_weight, "dtype", "")):
            warnings.warn("You are passing weight as `float`, but dtype is `int`. This may result in an incorrect "
                          "weight due to type casting Consider using integer weights.", stacklevel=2)
        with ops.stop_recording():
            y_true = ops.convert_to_tensor(y_true)
            y_pred = ops.convert_to_tensor(y_pred)
            if not self.sparse_y_true:
                y_true = ops.argmax(y_true, axis=self.axis)
            if not self.sparse_y_pred:
                y_pred = ops.argmax(y_pred, axis=self.axis)
            y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
            y_pred = ops.reshape(ops.cast(y_pred, "int32"), (-1,))
            weight = ops.ones(y_true.shape) if sample_weight is None else ops.broadcast_to(
                ops.reshape(ops.convert_to_tensor(sample_weight), (-1,)), y_true.shape)
            if integer:
                weight = ops.cast(weight, "int32")  # Keras casts weights to the int dtype: 0.5 counts as 0
            valid = ops.logical_and(
                ops.logical_and(ops.greater_equal(y_true, 0), ops.less(y_true, self.num_classes)),
                ops.logical_and(ops.greater_equal(y_pred, 0), ops.less(y_pred, self.num_classes)))
            if self.ignore_class is not None:
                valid = ops.logical_and(valid, ops.not_equal(y_true, self.ignore_class))
            weight = ops.where(valid, ops.cast(weight, "float32"), 0.0)
            zero = ops.zeros_like(y_true)
            rows = ops.one_hot(ops.where(valid, y_true, zero), self.num_classes)
            columns = ops.multiply(ops.one_hot(ops.where(valid, y_pred, zero), self.num_classes),
                                   ops.expand_dims(weight, -1))
            matrix = ops.matmul(ops.transpose(rows), columns)
            self.total_cm.assign(ops.add(self.total_cm, ops.cast(matrix, self.total_cm.dtype)))

    def _per_class(self):
        """``(true positives, union)`` per class, as float32."""
        matrix = ops.cast(self.total_cm, "float32")
        diagonal = ops.convert_to_tensor(np.eye(self.num_classes), dtype="float32")
        true_positives = ops.sum(ops.multiply(matrix, diagonal), axis=0)
        union = ops.subtract(ops.add(ops.sum(matrix, axis=0), ops.sum(matrix, axis=1)), true_positives)
        return true_positives, union

    def _mean_iou(self, class_ids):
        true_positives, union = self._per_class()
        if list(class_ids) != list(range(self.num_classes)):
            index = ops.convert_to_tensor(np.asarray(class_ids, dtype=np.int64))
            true_positives, union = ops.take(true_positives, index, axis=0), ops.take(union, index, axis=0)
        valid = ops.greater(union, 1e-9)
        iou = ops.where(valid, ops.divide(true_positives, ops.add(union, EPSILON)), 0.0)
        return ops.divide(ops.sum(iou), ops.add(ops.sum(ops.cast(valid, "float32")), EPSILON))

    def get_config(self):
        """The base config plus ``num_classes``, ``ignore_class``, ``axis`` and the sparse flags."""
        return {**super().get_config(), "num_classes": self.num_classes, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


def _target_ids(target_class_ids, num_classes):
    ids = [int(i) for i in target_class_ids]
    if not ids or max(ids) >= num_classes or min(ids) < 0:
        raise ValueError(f"Invalid value for argument `target_class_ids`. Expected class ids in [0, {num_classes}). "
                         f"Received: target_class_ids={list(target_class_ids)!r}")
    return ids


@registry.register("io_u", "iou")
class IoU(_IoUBase):
    """Intersection over union of the classes in ``target_class_ids``, averaged over them.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        name: the metric's name (default ``"io_u"``, made unique).
        dtype: the dtype of the confusion matrix (default ``"int32"``: float weights are truncated).
        ignore_class: a label value left out entirely (e.g. a void class), or None.
        sparse_y_true: whether labels are class indices (else one-hot along ``axis``).
        sparse_y_pred: whether predictions are class indices (else scores along ``axis``).
        axis: the class axis of one-hot labels or scores.

    Raises:
        ValueError: for a target class id outside [0, num_classes).

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)
        self.target_class_ids = _target_ids(target_class_ids, num_classes)

    def result(self):
        """The mean IoU over the target classes that occurred (0 before any update)."""
        return self._mean_iou(self.target_class_ids)

    def get_config(self):
        """The base config plus ``target_class_ids``."""
        return {**super().get_config(), "target_class_ids": self.target_class_ids}


@registry.register("binary_io_u", "binary_iou")
class BinaryIoU(IoU):
    """IoU of binary predictions: scores at or above ``threshold`` count as class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 to average over.
        threshold: scores at or above it are class 1.
        name: the metric's name (default ``"binary_io_u"``, made unique).
        dtype: the dtype of the confusion matrix (default ``"int32"``: float weights are truncated).

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Threshold the scores, then add the batch (see ``IoU.update_state``).

        Args:
            y_true: 0/1 labels.
            y_pred: scores.
            sample_weight: weights per label, or None.
        """
        with ops.stop_recording():
            predicted = ops.cast(ops.greater_equal(ops.convert_to_tensor(y_pred, dtype="float32"), self.threshold),
                                 "int32")
        super().update_state(y_true, predicted, sample_weight)

    def get_config(self):
        """``target_class_ids``, ``threshold``, ``name`` and ``dtype``."""
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


@registry.register("mean_io_u", "mean_iou")
class MeanIoU(IoU):
    """Intersection over union averaged over every class that occurred.

    Args:
        num_classes: the number of classes.
        name: the metric's name (default ``"mean_io_u"``, made unique).
        dtype: the dtype of the confusion matrix (default ``"int32"``: float weights are truncated).
        ignore_class: a label value left out entirely (e.g. a void class), or None.
        sparse_y_true: whether labels are class indices (else one-hot along ``axis``).
        sparse_y_pred: whether predictions are class indices (else scores along ``axis``).
        axis: the class axis of one-hot labels or scores.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        super().__init__(num_classes, list(range(num_classes)) if isinstance(num_classes, int) else [0], name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        """The base config without ``target_class_ids``."""
        config = super().get_config()
        del config["target_class_ids"]
        return config


@registry.register("one_hot_io_u", "one_hot_iou")
class OneHotIoU(IoU):
    """``IoU`` for one-hot labels and per-class scores (the arg-max is the predicted class).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        name: the metric's name (default ``"one_hot_io_u"``, made unique).
        dtype: the dtype of the confusion matrix (default ``"int32"``: float weights are truncated).
        ignore_class: a label value left out entirely, or None.
        sparse_y_pred: whether predictions are class indices rather than scores.
        axis: the class axis.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> round(float(m.result()), 4)
        0.1667
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        """The base config without ``sparse_y_true`` (always False)."""
        config = super().get_config()
        del config["sparse_y_true"]
        return config


@registry.register("one_hot_mean_io_u", "one_hot_mean_iou")
class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` for one-hot labels and per-class scores (the arg-max is the predicted class).

    Args:
        num_classes: the number of classes.
        name: the metric's name (default ``"one_hot_mean_io_u"``, made unique).
        dtype: the dtype of the confusion matrix (default ``"int32"``: float weights are truncated).
        ignore_class: a label value left out entirely, or None.
        sparse_y_pred: whether predictions are class indices rather than scores.
        axis: the class axis.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.OneHotMeanIoU(num_classes=3)
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> round(float(m.result()), 4)
        0.1111
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        """The base config without ``sparse_y_true`` (always False)."""
        config = super().get_config()
        del config["sparse_y_true"]
        return config
