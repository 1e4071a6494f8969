"""Correlation metrics: Pearson's and Lin's concordance correlation, per sample, averaged over samples.

As in Keras, each function correlates ``y_true`` with ``y_pred`` along ``axis``
(by default across the features of one sample), and the metric averages those
per-sample coefficients over every sample seen.
"""

from kerasette import ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank
from kerasette.metrics._base import MeanMetricWrapper, registry

EPSILON = 1e-7


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        axis: the axis correlated over.

    Returns:
        A tensor: ``y_pred.shape`` without ``axis``.

    Example:
        >>> from kerasette import metrics
        >>> [round(v, 4) for v in metrics.pearson_correlation([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]]).numpy().tolist()]
        [0.9934]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_centered = ops.subtract(y_true, ops.mean(y_true, axis=axis, keepdims=True))
    pred_centered = ops.subtract(y_pred, ops.mean(y_pred, axis=axis, keepdims=True))
    true_scaled = ops.divide(true_centered, ops.std(true_centered, axis=axis, keepdims=True))
    pred_scaled = ops.divide(pred_centered, ops.std(pred_centered, axis=axis, keepdims=True))
    return ops.mean(ops.multiply(true_scaled, pred_scaled), axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``.

    ``2 * cov / (var_true + var_pred + (mean_true - mean_pred) ** 2)``: 1 only when the
    predictions equal the targets, not merely when they are correlated.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        axis: the axis correlated over.

    Returns:
        A tensor: ``y_pred.shape`` without ``axis``.

    Example:
        >>> from kerasette import metrics
        >>> values = metrics.concordance_correlation([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.3226]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(ops.subtract(y_true, true_mean), axis=axis, keepdims=True)
    pred_var = ops.var(ops.subtract(y_pred, pred_mean), axis=axis, keepdims=True)
    covariance = ops.multiply(ops.subtract(y_true, pred_mean), ops.subtract(y_pred, pred_mean))
    norm = ops.add(ops.add(true_var, pred_var), ops.square(ops.subtract(true_mean, pred_mean)))
    return ops.mean(ops.divide(ops.multiply(covariance, 2.0), ops.add(norm, EPSILON)), axis=axis)


@registry.register("pearson_correlation")
class PearsonCorrelation(MeanMetricWrapper):
    """Mean Pearson correlation coefficient; see ``pearson_correlation``.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        axis: the axis correlated over.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.PearsonCorrelation()
        >>> m.update_state([[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], [[2.0, 4.0, 7.0], [0.0, 1.0, 1.0]])
        >>> round(float(m.result()), 4)
        0.2467
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)


@registry.register("concordance_correlation")
class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean concordance correlation coefficient; see ``concordance_correlation``.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        axis: the axis correlated over.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.ConcordanceCorrelation()
        >>> m.update_state([[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], [[2.0, 4.0, 7.0], [0.0, 1.0, 1.0]])
        >>> round(float(m.result()), 4)
        -0.0887
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
