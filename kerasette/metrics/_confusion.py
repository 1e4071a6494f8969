"""Threshold-based counts and ratios: TruePositives... FalseNegatives, Precision and Recall.

A prediction counts as positive when it is above the threshold; with a list
of thresholds the metric keeps one count per threshold and its result is a
vector. See ``_thresholds`` for the exact rules (they are Keras's).
"""

from kerasette import ops
from kerasette.metrics._base import Metric, registry, safe_divide
from kerasette.metrics._thresholds import NEG_INF, evenly_spaced, parse_thresholds, update_confusion_matrix


def _scalar_or_vector(values, thresholds):
    return values[0] if len(thresholds) == 1 else ops.convert_to_tensor(values)


def _check_top_k(top_k):
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ValueError(f"Invalid value for argument `top_k`. Expected a positive int or None. Received: "
                         f"top_k={top_k!r}")
    return top_k


class _ConditionCount(Metric):
    """The weighted count of one confusion-matrix condition, at each threshold.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5); predictions above count as positive.
        name: the metric's name (default: the class name in snake_case, made unique).
        dtype: the dtype of the state.
    """

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5)
        self._evenly = evenly_spaced(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's weighted count.

        Args:
            y_true: the labels (non-zero is positive).
            y_pred: the predictions.
            sample_weight: per-sample weights, or None.
        """
        with ops.stop_recording():
            update_confusion_matrix({self._condition: self.accumulator}, y_true, y_pred, self.thresholds,
                                    evenly=self._evenly, sample_weight=sample_weight)

    def result(self):
        """The count: a scalar for one threshold, else one count per threshold."""
        return _scalar_or_vector(self.accumulator, self.thresholds)

    def get_config(self):
        """The base config plus ``thresholds`` as given."""
        return {**super().get_config(), "thresholds": self.init_thresholds}


@registry.register("true_positives")
class TruePositives(_ConditionCount):
    """The weighted number of positive labels predicted positive.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5); predictions above count as positive.
        name: the metric's name (default ``"true_positives"``, made unique).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _condition = "tp"


@registry.register("false_positives")
class FalsePositives(_ConditionCount):
    """The weighted number of negative labels predicted positive.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5); predictions above count as positive.
        name: the metric's name (default ``"false_positives"``, made unique).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.FalsePositives(thresholds=[0.0, 0.5])
        >>> m.update_state([0, 1, 0, 0], [0.1, 0.9, 0.6, 0.2])
        >>> m.result().numpy().tolist()
        [3.0, 1.0]
    """

    _condition = "fp"


@registry.register("true_negatives")
class TrueNegatives(_ConditionCount):
    """The weighted number of negative labels predicted negative.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5); predictions above count as positive.
        name: the metric's name (default ``"true_negatives"``, made unique).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0], sample_weight=[0.0, 0.0, 0.5, 0.25])
        >>> float(m.result())
        0.75
    """

    _condition = "tn"


@registry.register("false_negatives")
class FalseNegatives(_ConditionCount):
    """The weighted number of positive labels predicted negative.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5); predictions above count as positive.
        name: the metric's name (default ``"false_negatives"``, made unique).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _condition = "fn"


class _Ratio(Metric):
    """``tp / (tp + other)`` at each threshold, with optional ``top_k`` and ``class_id``."""

    _other = None  # (condition, variable name)

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds, self.top_k, self.class_id = thresholds, _check_top_k(top_k), class_id
        self.thresholds = parse_thresholds(thresholds, 0.5) if top_k is None or thresholds is not None else [NEG_INF]
        self._evenly = evenly_spaced(self.thresholds)
        size = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=size, name="true_positives")
        self._other_counts = self.add_variable(shape=size, name=self._other[1])
        setattr(self, self._other[1], self._other_counts)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's weighted counts.

        Args:
            y_true: the labels (non-zero is positive), the shape of ``y_pred``.
            y_pred: the predictions.
            sample_weight: per-sample weights, or None.
        """
        with ops.stop_recording():
            update_confusion_matrix({"tp": self.true_positives, self._other[0]: self._other_counts},
                                    y_true, y_pred, self.thresholds, evenly=self._evenly, top_k=self.top_k,
                                    class_id=self.class_id, sample_weight=sample_weight)

    def result(self):
        """The ratio: a scalar for one threshold, else one value per threshold (0 where undefined)."""
        return _scalar_or_vector(safe_divide(self.true_positives, ops.add(self.true_positives, self._other_counts)),
                                 self.thresholds)

    def get_config(self):
        """The base config plus ``thresholds``, ``top_k`` and ``class_id``."""
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@registry.register("precision")
class Precision(_Ratio):
    """The fraction of positive predictions whose label is positive: ``tp / (tp + fp)``.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5, or no threshold with ``top_k``);
            predictions above count as positive.
        top_k: count only the ``top_k`` highest predictions of each sample as positive.
        class_id: compute the precision of this class only (an index of the last axis).
        name: the metric's name (default ``"precision"``, made unique).
        dtype: the dtype of the state.

    Raises:
        ValueError: for a threshold outside [0, 1] or a ``top_k`` that is not a positive int.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
        >>> m = metrics.Precision(top_k=1, class_id=2)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.2, 0.3, 0.5]])
        >>> float(m.result())
        0.5
    """

    _other = ("fp", "false_positives")


@registry.register("recall")
class Recall(_Ratio):
    """The fraction of positive labels predicted positive: ``tp / (tp + fn)``.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5, or no threshold with ``top_k``);
            predictions above count as positive.
        top_k: count only the ``top_k`` highest predictions of each sample as positive.
        class_id: compute the recall of this class only (an index of the last axis).
        name: the metric's name (default ``"recall"``, made unique).
        dtype: the dtype of the state.

    Raises:
        ValueError: for a threshold outside [0, 1] or a ``top_k`` that is not a positive int.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = ("fn", "false_negatives")
