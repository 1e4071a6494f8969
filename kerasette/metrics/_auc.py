"""``AUC``: the area under the ROC or precision-recall curve, approximated over thresholds.

The metric keeps the four confusion counts at ``num_thresholds`` thresholds and
sums trapezoids (or lower/upper rectangles) between consecutive thresholds. For
the PR curve with interpolation it uses the interpolation of Davis & Goadrich
(2006), as Keras does.
"""

import numpy as np

from kerasette import ops
from kerasette.metrics._base import Metric, registry, safe_divide
from kerasette.metrics._thresholds import evenly_spaced, update_confusion_matrix

EPSILON = 1e-7
CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
SUMMATIONS = ("interpolation", "majoring", "minoring")


def _choice(argument, value, allowed):
    key = value.lower() if isinstance(value, str) else value
    if key not in allowed:
        raise ValueError(f"Invalid value for argument `{argument}`. Expected one of {sorted(set(allowed))}. "
                         f"Received: {argument}={value!r}")
    return allowed[key] if isinstance(allowed, dict) else key


def _head(x, n):
    return x[:n - 1]


def _tail(x, n):
    return x[1:n]


@registry.register("auc")
class AUC(Metric):
    """Area under the ROC curve (or the precision-recall curve) of binary or multi-label predictions.

    Args:
        num_thresholds: how many evenly spaced thresholds to use (> 1); more is closer to the exact area.
        curve: ``"ROC"`` (default), ``"PR"`` (precision-recall) or ``"PRGAIN"`` (precision-recall gain).
        summation_method: ``"interpolation"`` (trapezoids), ``"minoring"`` (lower rectangles) or
            ``"majoring"`` (upper rectangles).
        name: the metric's name (default ``"auc"``, made unique).
        dtype: the dtype of the state.
        thresholds: explicit thresholds in [0, 1] instead of ``num_thresholds`` (-1e-7 and 1 + 1e-7 are added).
        multi_label: treat the last axis as separate labels, one curve each, averaged; otherwise every
            prediction counts as one binary prediction.
        num_labels: the number of labels, to create the state before the first batch (multi-label only).
        label_weights: per-label weights: of the average with ``multi_label``, else of each prediction.
        from_logits: whether predictions are logits (a sigmoid is applied).

    Raises:
        ValueError: for an unknown ``curve`` or ``summation_method``, ``num_thresholds`` <= 1, thresholds
            outside [0, 1], or ``num_labels`` without ``multi_label``.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> round(float(m.result()), 4)
        0.75
        >>> m = metrics.AUC(curve="PR")
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(float(m.result()), 4)
        0.7973
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        self.curve = _choice("curve", curve, CURVES)
        self.summation_method = _choice("summation_method", summation_method, {s: s for s in SUMMATIONS})
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            if any(not 0 <= t <= 1 for t in inner):
                raise ValueError(f"Invalid value for argument `thresholds`. Expected floats in [0, 1]. Received: "
                                 f"thresholds={thresholds!r}")
            self.num_thresholds = len(inner) + 2
            self._evenly = evenly_spaced([0.0] + inner + [1.0])
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError("Invalid value for argument `num_thresholds`. Expected an int > 1. Received: "
                                 f"num_thresholds={num_thresholds!r}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self._thresholds = [0.0 - EPSILON] + inner + [1.0 + EPSILON]
        if num_labels is not None and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        self.multi_label, self.num_labels, self._from_logits = bool(multi_label), num_labels, bool(from_logits)
        if isinstance(label_weights, dict) and label_weights.get("class_name") in ("__tensor__", "__numpy__"):
            label_weights = label_weights["config"]["value"]  # as Keras saves the tensor it keeps
        self.label_weights = None if label_weights is None else [float(w) for w in np.ravel(label_weights)]
        self._built = False
        if not self.multi_label:
            self._build(None)
        elif num_labels:
            self._build((None, num_labels))

    @property
    def thresholds(self):
        """The thresholds used, including -1e-7 and 1 + 1e-7 at the ends."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {len(shape)}. "
                                 f"Full shape received for `y_pred`: {shape}")
            size = (self.num_thresholds, shape[1])
        else:
            size = (self.num_thresholds,)
        self.true_positives = self.add_variable(shape=size, name="true_positives")
        self.false_positives = self.add_variable(shape=size, name="false_positives")
        self.true_negatives = self.add_variable(shape=size, name="true_negatives")
        self.false_negatives = self.add_variable(shape=size, name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's confusion counts at every threshold.

        Args:
            y_true: the labels (non-zero is positive), the shape of ``y_pred``.
            y_pred: the predicted probabilities (logits with ``from_logits``).
            sample_weight: per-sample weights, or None.
        """
        with ops.stop_recording():
            y_pred = ops.convert_to_tensor(y_pred)
            if not self._built:
                self._build(y_pred.shape)
            if self._from_logits:
                y_pred = ops.sigmoid(y_pred)
            counts = {"tp": self.true_positives, "fp": self.false_positives, "tn": self.true_negatives,
                      "fn": self.false_negatives}
            update_confusion_matrix(counts, y_true, y_pred, self._thresholds, evenly=self._evenly,
                                    sample_weight=sample_weight, multi_label=self.multi_label,
                                    label_weights=None if self.multi_label else self.label_weights)

    def _average(self, by_threshold):
        if not self.multi_label:
            return ops.sum(by_threshold)
        by_label = ops.sum(by_threshold, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        weights = ops.convert_to_tensor(self.label_weights, dtype=by_label.dtype)
        return safe_divide(ops.sum(ops.multiply(by_label, weights)), ops.sum(weights))

    def _interpolated_pr(self):
        n, tp = self.num_thresholds, self.true_positives
        positives = ops.add(tp, self.false_positives)
        d_tp = ops.subtract(_head(tp, n), _tail(tp, n))
        d_positives = ops.subtract(_head(positives, n), _tail(positives, n))
        slope = safe_divide(d_tp, ops.maximum(d_positives, 0.0))
        intercept = ops.subtract(_tail(tp, n), ops.multiply(slope, _tail(positives, n)))
        both = ops.logical_and(ops.greater(_head(positives, n), 0.0), ops.greater(_tail(positives, n), 0.0))
        ratio = ops.where(both, safe_divide(_head(positives, n), ops.maximum(_tail(positives, n), 0.0)), 1.0)
        increments = safe_divide(ops.multiply(slope, ops.add(d_tp, ops.multiply(intercept, ops.log(ratio)))),
                                 ops.maximum(ops.add(_tail(tp, n), _tail(self.false_negatives, n)), 0.0))
        return self._average(increments)

    def _curve(self):
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = safe_divide(tp, ops.add(tp, fn))
        if self.curve == "ROC":
            return safe_divide(fp, ops.add(fp, tn)), recall
        if self.curve == "PR":
            return recall, safe_divide(tp, ops.add(tp, fp))
        scale = safe_divide(ops.add(tp, fn), ops.add(tn, fp))
        no_tp = ops.equal(tp, 0.0)
        recall_gain = ops.where(no_tp, 0.0, ops.subtract(1.0, ops.multiply(scale, safe_divide(fn, tp))))
        precision_gain = ops.where(no_tp, 1.0, ops.subtract(1.0, ops.multiply(scale, safe_divide(fp, tp))))
        return ops.maximum(recall_gain, 0.0), precision_gain

    def result(self):
        """The area under the curve (0 before any update)."""
        if not self._built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolated_pr()
        n = self.num_thresholds
        x, y = self._curve()
        if self.summation_method == "interpolation":
            heights = ops.divide(ops.add(_head(y, n), _tail(y, n)), 2.0)
        elif self.summation_method == "minoring":
            heights = ops.minimum(_head(y, n), _tail(y, n))
        else:
            heights = ops.maximum(_head(y, n), _tail(y, n))
        return self._average(ops.multiply(ops.subtract(_head(x, n), _tail(x, n)), heights))

    def get_config(self):
        """The base config plus every constructor argument (``thresholds`` only when they were given)."""
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": self.label_weights,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
