"""One rate at a floor on another: Sensitivity/SpecificityAt..., PrecisionAtRecall and RecallAtPrecision.

Each keeps the four confusion counts at ``num_thresholds`` evenly spaced
thresholds in [0, 1] and reports the best value of one rate over the
thresholds where the other rate reaches the requested floor (0 if none does).
"""

from kerasette import ops
from kerasette.metrics._base import Metric, registry, safe_divide
from kerasette.metrics._thresholds import update_confusion_matrix


def _rates(m):
    tp, fp, tn, fn = m.true_positives, m.false_positives, m.true_negatives, m.false_negatives
    return {
        "sensitivity": safe_divide(tp, ops.add(tp, fn)),
        "specificity": safe_divide(tn, ops.add(tn, fp)),
        "precision": safe_divide(tp, ops.add(tp, fp)),
    }


class _AtConstraint(Metric):
    """The best ``_reported`` rate over thresholds where the ``_constrained`` rate is at least ``value``."""

    _constrained = _reported = _argument = None

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"Invalid value for argument `{self._argument}`. Expected a float in [0, 1]. Received: "
                             f"{self._argument}={value!r}")
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError("Invalid value for argument `num_thresholds`. Expected an int > 0. Received: "
                             f"num_thresholds={num_thresholds!r}")
        self.value, self.num_thresholds, self.class_id = float(value), num_thresholds, class_id
        setattr(self, self._argument, self.value)
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0] + inner + [1.0], True
        size = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=size, name="true_positives")
        self.false_positives = self.add_variable(shape=size, name="false_positives")
        self.true_negatives = self.add_variable(shape=size, name="true_negatives")
        self.false_negatives = self.add_variable(shape=size, name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's confusion counts at every threshold.

        Args:
            y_true: the labels (non-zero is positive).
            y_pred: the predicted probabilities.
            sample_weight: per-sample weights, or None.
        """
        counts = {"tp": self.true_positives, "fp": self.false_positives, "tn": self.true_negatives,
                  "fn": self.false_negatives}
        with ops.stop_recording():
            update_confusion_matrix(counts, y_true, y_pred, self.thresholds, evenly=self._evenly,
                                    class_id=self.class_id, sample_weight=sample_weight)

    def result(self):
        """The best reported rate where the constraint holds (0 when it holds nowhere)."""
        rates = _rates(self)
        feasible = ops.greater_equal(rates[self._constrained], self.value)
        return ops.maximum(ops.max(ops.where(feasible, rates[self._reported], 0.0)), 0.0)

    def get_config(self):
        """The base config plus ``num_thresholds``, the floor and ``class_id``."""
        return {**super().get_config(), "num_thresholds": self.num_thresholds, self._argument: self.value,
                "class_id": self.class_id}


@registry.register("sensitivity_at_specificity")
class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity (recall) where specificity is at least ``specificity``.

    Args:
        specificity: the floor on specificity, in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] to try.
        class_id: compute it for this class only (an index of the last axis).
        name: the metric's name (default ``"sensitivity_at_specificity"``, made unique).
        dtype: the dtype of the state.

    Raises:
        ValueError: for a floor outside [0, 1] or ``num_thresholds`` < 1.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _constrained, _reported, _argument = "specificity", "sensitivity", "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


@registry.register("specificity_at_sensitivity")
class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity where sensitivity (recall) is at least ``sensitivity``.

    Args:
        sensitivity: the floor on sensitivity, in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] to try.
        class_id: compute it for this class only (an index of the last axis).
        name: the metric's name (default ``"specificity_at_sensitivity"``, made unique).
        dtype: the dtype of the state.

    Raises:
        ValueError: for a floor outside [0, 1] or ``num_thresholds`` < 1.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _constrained, _reported, _argument = "sensitivity", "specificity", "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


@registry.register("precision_at_recall")
class PrecisionAtRecall(_AtConstraint):
    """The best precision where recall is at least ``recall``.

    Args:
        recall: the floor on recall, in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] to try.
        class_id: compute it for this class only (an index of the last axis).
        name: the metric's name (default ``"precision_at_recall"``, made unique).
        dtype: the dtype of the state.

    Raises:
        ValueError: for a floor outside [0, 1] or ``num_thresholds`` < 1.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _constrained, _reported, _argument = "sensitivity", "precision", "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


@registry.register("recall_at_precision")
class RecallAtPrecision(_AtConstraint):
    """The best recall where precision is at least ``precision``.

    Args:
        precision: the floor on precision, in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] to try.
        class_id: compute it for this class only (an index of the last axis).
        name: the metric's name (default ``"recall_at_precision"``, made unique).
        dtype: the dtype of the state.

    Raises:
        ValueError: for a floor outside [0, 1] or ``num_thresholds`` < 1.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.5
    """

    _constrained, _reported, _argument = "precision", "sensitivity", "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)
