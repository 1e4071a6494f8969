"""Regression losses on relative and log scales, and log-cosh.

Mean absolute percentage error and mean squared logarithmic error weigh an
error by the size of the target; log-cosh is quadratic near 0 and linear far
away, like Huber, but smooth everywhere.
"""

import math

from kerasette import config, ops
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import registry


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    return ops.convert_to_tensor(y_true, dtype=y_pred.dtype), y_pred


def mean_absolute_percentage_error(y_true, y_pred):
    """Per-sample ``100 * mean(|y_true - y_pred| / max(|y_true|, 1e-7))`` over the last axis.

    Args:
        y_true: the targets.
        y_pred: the predictions.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> [round(v, 3) for v in losses.mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]]).numpy().tolist()]
        [37.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    relative = ops.abs(ops.divide(ops.subtract(y_true, y_pred), ops.maximum(ops.abs(y_true), config.epsilon())))
    return ops.multiply(ops.mean(relative, axis=-1), 100.0)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Per-sample ``mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1)) ** 2)``.

    Args:
        y_true: the targets (non-negative; negatives count as 1e-7).
        y_pred: the predictions (likewise).

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> [round(v, 4) for v in losses.mean_squared_logarithmic_error([[1.0, 3.0]], [[1.0, 1.0]]).numpy().tolist()]
        [0.2402]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    first = ops.log1p(ops.maximum(y_pred, config.epsilon()))
    second = ops.log1p(ops.maximum(y_true, config.epsilon()))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


def log_cosh(y_true, y_pred):
    """Per-sample ``mean(log(cosh(y_pred - y_true)))`` over the last axis, without overflow.

    Computed as ``x + softplus(-2x) - log(2)``, which stays finite for large errors.

    Args:
        y_true: the targets.
        y_pred: the predictions.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> [round(v, 4) for v in losses.log_cosh([[0.0, 0.0]], [[1.0, -100.0]]).numpy().tolist()]
        [49.8703]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    values = ops.subtract(ops.add(error, ops.softplus(ops.multiply(error, -2.0))), math.log(2.0))
    return ops.mean(values, axis=-1)


@registry.register("mean_absolute_percentage_error", "mape", "MAPE")
class MeanAbsolutePercentageError(AlignedLoss):
    """Mean absolute error as a percentage of the target; see ``mean_absolute_percentage_error``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.MeanAbsolutePercentageError()([[2.0, 4.0], [1.0, 1.0]], [[1.0, 5.0], [1.0, 0.0]])), 2)
        43.75
    """

    _function = staticmethod(mean_absolute_percentage_error)

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)


@registry.register("mean_squared_logarithmic_error", "msle", "MSLE")
class MeanSquaredLogarithmicError(AlignedLoss):
    """Mean squared error between ``log(1 + y)`` of targets and predictions; see ``mean_squared_logarithmic_error``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.MeanSquaredLogarithmicError()([[1.0, 3.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])), 4)
        0.1201
    """

    _function = staticmethod(mean_squared_logarithmic_error)

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)


@registry.register("log_cosh", "logcosh")
class LogCosh(AlignedLoss):
    """Mean of ``log(cosh(error))``: about ``error**2 / 2`` for small errors, ``|error| - log(2)`` for large.

    See ``log_cosh`` for the per-sample formula.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.LogCosh()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])), 4)
        0.1084
    """

    _function = staticmethod(log_cosh)

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
