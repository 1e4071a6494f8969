"""Overlap losses for segmentation masks: Dice and Tversky.

With the default ``axis=None`` they sum over every element of the batch and
return one value; pass the spatial axes (e.g. ``axis=(1, 2)``) for one value
per image, which the reduction then averages.
"""

from kerasette import config, ops
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import registry


def _prepare(y_true, y_pred, axis):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return y_true, y_pred, tuple(axis) if isinstance(axis, list) else axis


def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + 1e-7)``, summed over ``axis``.

    Args:
        y_true: target masks in [0, 1].
        y_pred: predicted masks in [0, 1].
        axis: the axes summed over (None: all of them).

    Returns:
        A tensor: ``y_pred.shape`` without ``axis`` (a scalar for None).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.dice([[1.0, 1.0, 0.0]], [[0.8, 0.2, 0.0]])), 4)
        0.3333
    """
    y_true, y_pred, axis = _prepare(y_true, y_pred, axis)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)), config.epsilon())
    return ops.subtract(1.0, ops.divide(ops.multiply(intersection, 2.0), total))


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """``1 - TP / (TP + alpha * FN + beta * FP + 1e-7)`` with soft counts, summed over ``axis``.

    ``TP = sum(y_true * y_pred)``, ``FN = sum(y_true * (1 - y_pred))`` and
    ``FP = sum((1 - y_true) * y_pred)``. ``alpha = beta = 0.5`` gives the Dice loss.

    Args:
        y_true: target masks in [0, 1].
        y_pred: predicted masks in [0, 1].
        alpha: the weight of false negatives.
        beta: the weight of false positives.
        axis: the axes summed over (None: all of them).

    Returns:
        A tensor: ``y_pred.shape`` without ``axis`` (a scalar for None).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.tversky([[1.0, 1.0, 0.0]], [[0.8, 0.2, 0.5]], alpha=0.7, beta=0.3)), 4)
        0.4595
    """
    y_true, y_pred, axis = _prepare(y_true, y_pred, axis)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    false_negatives = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    false_positives = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    denominator = ops.add(ops.add(intersection, ops.multiply(false_negatives, alpha)),
                          ops.multiply(false_positives, beta))
    return ops.subtract(1.0, ops.divide(intersection, ops.add(denominator, config.epsilon())))


def _axis_config(axis):
    if axis is None or isinstance(axis, int):
        return axis
    if isinstance(axis, (list, tuple)) and all(isinstance(a, int) for a in axis):
        return list(axis)
    raise ValueError(f"Invalid value for argument `axis`. Expected None, an int or a list of ints. Received: "
                     f"axis={axis!r}")


@registry.register("dice")
class Dice(AlignedLoss):
    """Dice loss, one minus the soft Dice coefficient of target and predicted masks; see ``dice``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        axis: the axes summed over (None: every axis, one value for the whole batch).
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for an ``axis`` that is not None, an int or a list of ints.

    Example:
        >>> from kerasette import losses
        >>> y_true = [[[1.0], [1.0]], [[0.0], [1.0]]]
        >>> y_pred = [[[0.9], [0.6]], [[0.2], [0.7]]]
        >>> round(float(losses.Dice()(y_true, y_pred)), 4)
        0.1852
        >>> round(float(losses.Dice(axis=(1, 2))(y_true, y_pred)), 4)
        0.203
    """

    _function = staticmethod(dice)
    _arguments = ("axis",)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.axis = _axis_config(axis)


@registry.register("tversky")
class Tversky(AlignedLoss):
    """Tversky loss: Dice with separate weights for false negatives and false positives; see ``tversky``.

    Args:
        alpha: the weight of false negatives.
        beta: the weight of false positives.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        axis: the axes summed over (None: every axis, one value for the whole batch).
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for an ``axis`` that is not None, an int or a list of ints.

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.Tversky(alpha=0.7, beta=0.3)([[1.0, 1.0, 0.0]], [[0.8, 0.2, 0.5]])), 4)
        0.4595
    """

    _function = staticmethod(tversky)
    _arguments = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.alpha, self.beta = float(alpha), float(beta)
        self.axis = _axis_config(axis)
