"""Hinge losses for maximum-margin classifiers: hinge, squared hinge and categorical hinge."""

from kerasette import ops
from kerasette.losses import _checks
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import registry


def _signed_labels(y_true):
    """-1/1 labels: 0/1 labels become -1/1 when every label is 0 or 1, as Keras decides (on the device)."""
    all_binary = ops.all(ops.logical_or(ops.equal(y_true, 0.0), ops.equal(y_true, 1.0)))
    return ops.where(all_binary, ops.subtract(ops.multiply(y_true, 2.0), 1.0), y_true)


def _margins(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = _signed_labels(ops.convert_to_tensor(y_true, dtype=y_pred.dtype))
    return ops.maximum(ops.subtract(1.0, ops.multiply(y_true, y_pred)), 0.0)


def hinge(y_true, y_pred):
    """Per-sample ``mean(maximum(1 - y_true * y_pred, 0))`` over the last axis.

    Args:
        y_true: labels in {-1, 1}; labels that are all 0 or 1 are turned into -1/1 first.
        y_pred: the predicted scores (not probabilities).

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> losses.hinge([[0.0, 1.0], [1.0, 1.0]], [[0.6, 0.4], [0.4, 0.6]]).numpy().tolist()
        [1.100000023841858, 0.5]
    """
    return ops.mean(_margins(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """Per-sample ``mean(maximum(1 - y_true * y_pred, 0) ** 2)`` over the last axis.

    Args:
        y_true: labels in {-1, 1}; labels that are all 0 or 1 are turned into -1/1 first.
        y_pred: the predicted scores (not probabilities).

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.
    """
    return ops.mean(ops.square(_margins(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Per-sample ``maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)``.

    The margin between the true class's score and the best other class's score.

    Args:
        y_true: one-hot targets.
        y_pred: the predicted class scores.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> losses.categorical_hinge([[0.0, 1.0]], [[0.6, 0.4]]).numpy().tolist()
        [1.2000000476837158]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    positive = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    negative = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(negative, positive), 1.0), 0.0)


@registry.register("hinge")
class Hinge(AlignedLoss):
    """Hinge loss for -1/1 (or 0/1) labels and raw scores; see ``hinge``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.Hinge()([[0.0, 1.0], [1.0, 1.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
        0.8
    """

    _function = staticmethod(hinge)

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)


@registry.register("squared_hinge")
class SquaredHinge(AlignedLoss):
    """Squared hinge loss for -1/1 (or 0/1) labels and raw scores; see ``squared_hinge``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.SquaredHinge()([[0.0, 1.0], [1.0, 1.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
        0.86
    """

    _function = staticmethod(squared_hinge)

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)


@registry.register("categorical_hinge")
class CategoricalHinge(AlignedLoss):
    """Categorical hinge loss for one-hot targets and class scores; see ``categorical_hinge``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.CategoricalHinge()([[0.0, 1.0], [1.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
        1.2
    """

    _function = staticmethod(categorical_hinge)
    _check = staticmethod(_checks.check_categorical)

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
