"""Confusion-matrix counts at a list of thresholds, accumulated into state variables on the device.

The shared engine of ``TruePositives``..., ``Precision``, ``Recall``, the
"X at Y" metrics and ``AUC``. It follows Keras's ``update_confusion_matrix_variables``:

- a prediction is positive at threshold ``t`` when ``y_pred > t`` (strictly);
- a label is positive when it is non-zero;
- for evenly spaced thresholds (``i / (n - 1)``, as AUC's) predictions are clipped
  to [0, 1] and bucketed the way Keras buckets them: positive at threshold ``i``
  when ``y_pred * (n - 1) > i``, and always at ``i = 0`` when the first threshold
  sits below 0 (AUC's ``-epsilon``).

No sort, cumsum or scatter is needed: every (prediction, threshold) pair is
compared at once, in chunks that keep the comparison matrix small.
"""

import numpy as np

from kerasette import ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # what top_k filtering gives the predictions outside the top k
CONDITIONS = ("tp", "fp", "tn", "fn")
_CHUNK = 1 << 22  # at most this many (prediction, threshold) pairs per comparison matrix


def parse_thresholds(thresholds, default):
    """Thresholds as a list of floats, each checked to lie in [0, 1].

    Args:
        thresholds: None, a float, or a list/tuple of floats.
        default: the threshold used for None.

    Returns:
        A list of floats.

    Raises:
        ValueError: for a threshold outside [0, 1] (or None inside a list).
    """
    if thresholds is None:
        return [float(default)]
    values = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
    invalid = [t for t in values if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 1]
    if invalid or not values:
        raise ValueError(f"Invalid value for argument `thresholds`. Expected floats in [0, 1]. Received: "
                         f"thresholds={thresholds!r}")
    return [float(t) for t in values]


def evenly_spaced(thresholds):
    """Whether ``thresholds`` are ``i / (n - 1)`` for ``i = 0..n-1`` (n >= 3), within 1e-7, as Keras tests it.

    Args:
        thresholds: a list of floats.

    Returns:
        A bool.
    """
    n = len(thresholds)
    return n >= 3 and bool(np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=1e-7))


def top_k_mask(x, k):
    """1.0 for the ``k`` largest entries along the last axis, else 0.0 (ties: the earlier index wins).

    Args:
        x: a tensor of scores.
        k: how many entries to keep.

    Returns:
        A float tensor shaped like ``x``.
    """
    classes = x.shape[-1]
    mine, theirs = ops.expand_dims(x, -1), ops.expand_dims(x, -2)
    earlier = ops.convert_to_tensor(np.tril(np.ones((classes, classes)), -1), dtype=x.dtype)
    beaten_by = ops.add(ops.cast(ops.greater(theirs, mine), x.dtype),
                        ops.multiply(ops.cast(ops.equal(theirs, mine), x.dtype), earlier))
    return ops.cast(ops.less(ops.sum(beaten_by, axis=-1), float(k)), x.dtype)


def _above(y_pred, thresholds, evenly):
    """A 0/1 tensor ``y_pred.shape + (n,)``: 1 where the prediction counts as positive at threshold i."""
    n = len(thresholds)
    if evenly:
        steps = ops.convert_to_tensor(np.arange(n), dtype=y_pred.dtype)
        above = ops.cast(ops.greater(ops.expand_dims(ops.multiply(y_pred, float(n - 1)), -1), steps), y_pred.dtype)
        if thresholds[0] < 0.0 or thresholds[-1] > 1.0:  # Keras's relu on the bucket index
            above = ops.maximum(above, ops.convert_to_tensor(np.eye(1, n)[0], dtype=y_pred.dtype))
        return above
    levels = ops.convert_to_tensor(np.asarray(thresholds), dtype=y_pred.dtype)
    return ops.cast(ops.greater(ops.expand_dims(y_pred, -1), levels), y_pred.dtype)


def _chunks(size, per_item):
    step = max(1, _CHUNK // max(per_item, 1))
    return [(start, min(start + step, size)) for start in range(0, size, step)]


def _counts(wanted, positive, negative, y_pred, thresholds, evenly):
    """``{condition: counts}`` summed over the first axis; counts are ``(n,)`` or ``(n, labels)``."""
    totals = {}
    rest = tuple(y_pred.shape[1:])
    for start, stop in _chunks(y_pred.shape[0], int(np.prod(rest, dtype=np.int64)) * len(thresholds)):
        def part(x, start=start, stop=stop):
            return x if (start, stop) == (0, y_pred.shape[0]) else x[start:stop]

        above = _above(part(y_pred), thresholds, evenly)
        below = ops.subtract(1.0, above)
        pairs = {"tp": (positive, above), "fp": (negative, above), "fn": (positive, below), "tn": (negative, below)}
        for key in wanted:
            labels, predicted = pairs[key]
            count = ops.sum(ops.multiply(ops.expand_dims(part(labels), -1), predicted), axis=0)
            totals[key] = count if key not in totals else ops.add(totals[key], count)
    # (labels, n) -> (n, labels) for multi-label counts
    return {key: ops.transpose(value) if len(value.shape) == 2 else value for key, value in totals.items()}


def update_confusion_matrix(variables, y_true, y_pred, thresholds, evenly=False, top_k=None, class_id=None,
                            sample_weight=None, multi_label=False, label_weights=None):
    """Add one batch's weighted confusion counts at each threshold to ``variables``.

    Args:
        variables: a dict from ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` to state variables of shape
            ``(len(thresholds),)`` (or ``(len(thresholds), labels)`` with ``multi_label``).
        y_true: the labels (non-zero counts as positive).
        y_pred: the predictions, usually probabilities.
        thresholds: a list of floats.
        evenly: whether ``thresholds`` are evenly spaced (see ``evenly_spaced``).
        top_k: keep only the ``top_k`` largest predictions of each sample (the others become negative).
        class_id: count only this class (the last axis's index).
        sample_weight: per-sample (or per-element) weights, or None.
        multi_label: count each label (the last axis) separately.
        label_weights: per-label weights along the last axis (without ``multi_label``), or None.

    Raises:
        ValueError: for an unknown condition, or ``class_id`` with rank-1 predictions.
    """
    unknown = [key for key in variables if key not in CONDITIONS]
    if unknown:
        raise ValueError(f"Unknown confusion matrix conditions {unknown}. Expected keys among {CONDITIONS}.")
    dtype = next(iter(variables.values())).dtype
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), dtype)
    y_true = ops.cast(ops.convert_to_tensor(y_true), dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(ops.convert_to_tensor(sample_weight), dtype), -1)
        sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)[1]
    if top_k is not None:
        keep = top_k_mask(y_pred, top_k)
        y_pred = ops.add(ops.multiply(y_pred, keep), ops.multiply(ops.subtract(1.0, keep), NEG_INF))
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape (num_samples, "
                             f"num_classes), found shape: {y_pred.shape}")
        y_true, y_pred = y_true[..., class_id:class_id + 1], y_pred[..., class_id:class_id + 1]
    weights = None if sample_weight is None else ops.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        label_weights = ops.broadcast_to(ops.convert_to_tensor(label_weights, dtype=dtype), y_pred.shape)
        weights = label_weights if weights is None else ops.multiply(weights, label_weights)
    if evenly:
        y_pred = ops.clip(y_pred, 0.0, 1.0)
    positive = ops.cast(ops.not_equal(y_true, 0.0), dtype)
    negative = ops.subtract(1.0, positive)
    if weights is not None:
        positive, negative = ops.multiply(positive, weights), ops.multiply(negative, weights)
    if not multi_label:
        positive, negative, y_pred = (ops.reshape(x, (-1,)) for x in (positive, negative, y_pred))
    # Keras's evenly spaced path gets FN and TN as totals minus TP and FP; the other compares directly.
    direct = set(variables)
    if evenly:
        direct = (direct - {"fn", "tn"}) | ({"tp"} if "fn" in direct else set()) | ({"fp"} if "tn" in direct else set())
    counts = _counts(sorted(direct), positive, negative, y_pred, thresholds, evenly)
    if evenly and "fn" in variables:
        counts["fn"] = ops.subtract(ops.sum(positive, axis=0), counts["tp"])
    if evenly and "tn" in variables:
        counts["tn"] = ops.subtract(ops.sum(negative, axis=0), counts["fp"])
    for key, variable in variables.items():
        variable.assign(ops.add(variable, counts[key]))
