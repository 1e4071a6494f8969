"""F-scores of multi-class and multi-label predictions: FBetaScore and F1Score.

The state (true positives, false positives, false negatives and the weight of
each class) is created at the first ``update_state``, from the number of classes.
"""

from kerasette import ops
from kerasette.metrics._base import Metric, registry

EPSILON = 1e-7
AVERAGES = (None, "micro", "macro", "weighted")


@registry.register("f_beta_score", "fbeta_score")
class FBetaScore(Metric):
    """The F-beta score: ``(1 + beta**2) * precision * recall / (beta**2 * precision + recall)``.

    Inputs are ``(batch_size, num_classes)``: one-hot (or multi-hot) labels and predicted scores.

    Args:
        average: None (one score per class), ``"micro"`` (one score from the pooled counts),
            ``"macro"`` (the mean of the per-class scores) or ``"weighted"`` (their mean weighted by
            each class's share of the labels).
        beta: a positive float: how many times recall matters more than precision.
        threshold: predictions above it count as positive; None marks only the highest score of each
            sample as positive.
        name: the metric's name.
        dtype: the dtype of the state.

    Raises:
        ValueError: for an unknown ``average``, a ``beta`` that is not a positive float, or a
            ``threshold`` outside (0, 1].

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
        >>> [round(v, 4) for v in m.result().numpy().tolist()]
        [0.3846, 0.9091, 0.8333]
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in AVERAGES:
            raise ValueError(f"Invalid value for argument `average`. Expected one of {AVERAGES}. Received: "
                             f"average={average!r}")
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError(f"Invalid value for argument `beta`. Expected a Python float > 0. Received: beta={beta!r}")
        if threshold is not None and (not isinstance(threshold, float) or not 0.0 < threshold <= 1.0):
            raise ValueError("Invalid value for argument `threshold`. Expected a Python float in (0, 1]. Received: "
                             f"threshold={threshold!r}")
        self.average, self.beta, self.threshold = average, beta, threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). Received "
                             f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        size = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape=size, name="true_positives")
        self.false_positives = self.add_variable(shape=size, name="false_positives")
        self.false_negatives = self.add_variable(shape=size, name="false_negatives")
        self.intermediate_weights = self.add_variable(shape=size, name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's weighted counts per class.

        Args:
            y_true: one-hot or multi-hot labels, ``(batch_size, num_classes)``.
            y_pred: predicted scores, ``(batch_size, num_classes)``.
            sample_weight: per-sample weights, ``(batch_size,)``, or None.
        """
        with ops.stop_recording():
            y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            if not self._built:
                self._build(y_true.shape, y_pred.shape)
            if self.threshold is None:
                top = ops.max(y_pred, axis=-1, keepdims=True)
                predicted = ops.logical_and(ops.greater_equal(y_pred, top), ops.greater(ops.abs(y_pred), 1e-9))
            else:
                predicted = ops.greater(y_pred, self.threshold)
            predicted = ops.cast(predicted, self.dtype)
            weight = None if sample_weight is None else ops.expand_dims(
                ops.convert_to_tensor(sample_weight, dtype=self.dtype), 1)

            def add(variable, values):
                values = values if weight is None else ops.multiply(values, weight)
                variable.assign(ops.add(variable, ops.sum(values, axis=self.axis)))

            add(self.true_positives, ops.multiply(predicted, y_true))
            add(self.false_positives, ops.multiply(predicted, ops.subtract(1.0, y_true)))
            add(self.false_negatives, ops.multiply(ops.subtract(1.0, predicted), y_true))
            add(self.intermediate_weights, y_true)

    def result(self):
        """The score: one per class with ``average=None``, else a scalar (0 before any update)."""
        if not self._built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        tp = self.true_positives
        precision = ops.divide(tp, ops.add(ops.add(tp, self.false_positives), EPSILON))
        recall = ops.divide(tp, ops.add(ops.add(tp, self.false_negatives), EPSILON))
        beta_squared = self.beta ** 2
        harmonic = ops.divide(ops.multiply(precision, recall),
                              ops.add(ops.add(ops.multiply(precision, beta_squared), recall), EPSILON))
        score = ops.multiply(harmonic, 1.0 + beta_squared)
        if self.average == "weighted":
            weights = ops.divide(self.intermediate_weights, ops.add(ops.sum(self.intermediate_weights), EPSILON))
            return ops.sum(ops.multiply(score, weights))
        if self.average is not None:
            return ops.mean(score)
        return score

    def get_config(self):
        """The base config plus ``average``, ``beta`` and ``threshold``."""
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


@registry.register("f1_score")
class F1Score(FBetaScore):
    """The F1 score, the harmonic mean of precision and recall (``FBetaScore`` with ``beta=1``).

    Args:
        average: None (one score per class), ``"micro"``, ``"macro"`` or ``"weighted"``; see ``FBetaScore``.
        threshold: predictions above it count as positive; None marks only the highest score of each
            sample as positive.
        name: the metric's name.
        dtype: the dtype of the state.

    Raises:
        ValueError: for an unknown ``average`` or a ``threshold`` outside (0, 1].

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.F1Score(average="macro")
        >>> m.update_state([[0, 1, 0], [1, 0, 0], [0, 0, 1]], [[0.1, 0.8, 0.1], [0.3, 0.6, 0.1], [0.2, 0.2, 0.6]])
        >>> round(float(m.result()), 4)
        0.5556
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        """The base config plus ``average`` and ``threshold``."""
        config = super().get_config()
        del config["beta"]
        return config
