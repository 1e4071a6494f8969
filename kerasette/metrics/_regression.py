"""Regression metrics: percentage and logarithmic errors, root mean squared error, log-cosh and cosine similarity."""

from kerasette import losses, ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank
from kerasette.losses._similarity import l2_normalize
from kerasette.metrics._base import Mean, MeanMetricWrapper, registry

mean_absolute_percentage_error = losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = losses.mean_squared_logarithmic_error
log_cosh = losses.log_cosh
huber = losses.huber


def cosine_similarity(y_true, y_pred, axis=-1):
    """Per-sample cosine similarity ``sum(l2_normalize(y_true) * l2_normalize(y_pred))`` along ``axis``.

    Unlike the loss of the same name it is not negated: 1 means the vectors point the same way.

    Args:
        y_true: the target vectors.
        y_pred: the predicted vectors.
        axis: the axis holding the vectors.

    Returns:
        A tensor: ``y_pred.shape`` without ``axis``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.sum(ops.multiply(l2_normalize(y_true, axis), l2_normalize(y_pred, axis)), axis=axis)


@registry.register("mean_absolute_percentage_error", "mape", "MAPE")
class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean absolute error as a percentage of the target, over every sample seen.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.MeanAbsolutePercentageError()
        >>> m.update_state([[2.0, 4.0], [1.0, 1.0]], [[1.0, 5.0], [1.0, 0.0]])
        >>> round(float(m.result()), 2)
        43.75
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


@registry.register("mean_squared_logarithmic_error", "msle", "MSLE")
class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean squared error between ``log(1 + y)`` of targets and predictions, over every sample seen.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.MeanSquaredLogarithmicError()
        >>> m.update_state([[1.0, 3.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
        >>> round(float(m.result()), 4)
        0.1201
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


@registry.register("log_cosh_error", "logcosh")
class LogCoshError(MeanMetricWrapper):
    """Mean of ``log(cosh(y_pred - y_true))`` over every sample seen.

    Args:
        name: the metric's name (Keras's default is ``"logcosh"``).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.LogCoshError()
        >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
        >>> round(float(m.result()), 4)
        0.1084
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name=name, dtype=dtype)


@registry.register("cosine_similarity")
class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between target and predicted vectors (1: same direction).

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        axis: the axis holding the vectors.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.CosineSimilarity()
        >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


@registry.register("root_mean_squared_error")
class RootMeanSquaredError(Mean):
    """The square root of the mean squared error over every element seen.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.RootMeanSquaredError()
        >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's squared errors to the running mean.

        Args:
            y_true: the targets.
            y_pred: the predictions.
            sample_weight: per-sample weights, or None.
        """
        with ops.stop_recording():
            y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
            squared = ops.square(ops.subtract(y_pred, y_true))
        super().update_state(squared, sample_weight=sample_weight)

    def result(self):
        """The root of the weighted mean squared error so far."""
        return ops.sqrt(super().result())
