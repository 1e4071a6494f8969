"""Regression losses: mean squared error, mean absolute error and Huber."""

from kerasette import ops
from kerasette.losses import _checks
from kerasette.losses._base import Loss, registry, squeeze_or_expand_to_same_rank


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true, y_pred):
    """Per-sample ``mean((y_true - y_pred) ** 2)`` over the last axis.

    Args:
        y_true: the targets; ``(N,)`` against ``(N, 1)`` predictions is lined up, not broadcast.
        y_pred: the predictions.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> losses.mean_squared_error([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]).numpy().tolist()
        [0.5, 0.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Per-sample ``mean(|y_true - y_pred|)`` over the last axis.

    Args:
        y_true: the targets; ``(N,)`` against ``(N, 1)`` predictions is lined up, not broadcast.
        y_pred: the predictions.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Per-sample Huber loss (quadratic up to ``delta``, linear beyond), averaged over the last axis.

    Each error ``e = y_pred - y_true`` costs ``0.5 * e**2`` where ``|e| <= delta`` and
    ``delta * |e| - 0.5 * delta**2`` elsewhere.

    Args:
        y_true: the targets; ``(N,)`` against ``(N, 1)`` predictions is lined up, not broadcast.
        y_pred: the predictions.
        delta: the error size where the loss turns from quadratic to linear.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    size = ops.abs(error)
    quadratic = ops.multiply(ops.square(error), 0.5)
    linear = ops.subtract(ops.multiply(size, delta), 0.5 * delta * delta)
    return ops.mean(ops.where(ops.less_equal(size, delta), quadratic, linear), axis=-1)


class _RegressionLoss(Loss):
    def check_targets(self, y_true, output_shape):
        """Validate regression targets against the output (see ``Loss.check_targets``)."""
        _checks.check_regression(self.name, y_true, output_shape)


@registry.register("mean_squared_error", "mse", "MSE")
class MeanSquaredError(_RegressionLoss):
    """Mean of squares of errors between targets and predictions: ``mean((y_true - y_pred) ** 2)``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> loss = losses.MeanSquaredError()
        >>> float(loss([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
        0.5
        >>> float(loss([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]], sample_weight=[0.7, 0.3]))
        0.25
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        """Per-sample mean squared error (see ``mean_squared_error``)."""
        return mean_squared_error(y_true, y_pred)


@registry.register("mean_absolute_error", "mae", "MAE")
class MeanAbsoluteError(_RegressionLoss):
    """Mean of absolute errors between targets and predictions: ``mean(|y_true - y_pred|)``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> float(losses.MeanAbsoluteError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
        0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        """Per-sample mean absolute error (see ``mean_absolute_error``)."""
        return mean_absolute_error(y_true, y_pred)


@registry.register("huber", "huber_loss")
class Huber(_RegressionLoss):
    """Huber loss: quadratic for errors up to ``delta``, linear beyond; see ``huber``.

    Args:
        delta: the error size where the loss turns from quadratic to linear, a positive float.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: if ``delta`` is not positive.

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.Huber()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        0.155
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        if not isinstance(delta, (int, float)) or delta <= 0:
            raise ValueError(
                f"Invalid value for argument `delta`. Expected a positive float. Received: delta={delta!r}"
            )
        self.delta = float(delta)

    def call(self, y_true, y_pred):
        """Per-sample Huber loss (see ``huber``)."""
        return huber(y_true, y_pred, self.delta)

    def get_config(self):
        """The base config plus ``delta``."""
        return {**super().get_config(), "delta": self.delta}
