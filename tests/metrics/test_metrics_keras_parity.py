"""The metrics added for issue 13 against real Keras 3 (torch backend), on numpy and OpenCL.

Each case feeds the same batches (with and without sample weights) to the same
class in both libraries through several ``update_state`` calls and compares the
result after the first batch and after the last; then it resets and checks the
metric starts over. Keras's numbers are computed in the test (``tests/keras_reference.py``).
"""

import numpy as np
import pytest
from keras_reference import keras, keras_value, numpy_of, quiet
from kerasette.backends import current

import kerasette
from kerasette import metrics, ops

RNG = np.random.default_rng(7)


def f32(x):
    return np.asarray(x, dtype=np.float32)


def softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def binary(n=8):
    """0/1 labels of shape (n, 1) and probabilities that mostly agree with them."""
    labels = f32(RNG.integers(0, 2, (n, 1)))
    return labels, f32(np.clip(labels * 0.4 + RNG.uniform(0, 0.6, (n, 1)), 0, 1))


def multilabel(n=8, k=3):
    labels = f32(RNG.integers(0, 2, (n, k)))
    return labels, f32(np.clip(labels * 0.3 + RNG.uniform(0, 0.7, (n, k)), 0, 1))


def categorical(n=8, k=4):
    labels = RNG.integers(0, k, n)
    return f32(np.eye(k)[labels]), f32(softmax(RNG.normal(size=(n, k)) * 2 + np.eye(k)[labels]))


def regression(n=8, k=3, low=None):
    if low is not None:
        return f32(RNG.uniform(low, 3, (n, k))), f32(RNG.uniform(low + 0.1, 3, (n, k)))
    y = f32(RNG.normal(size=(n, k)))
    return y, f32(y + RNG.normal(size=(n, k)) * 0.7)


def weights(n=8):
    return f32(RNG.uniform(0, 2, n))


def batches(make, weighted=(False, True, False)):
    return [(*make(), weights() if w else None) for w in weighted]


SEG_TRUE = RNG.integers(0, 3, (3, 4, 4))
SEG_PRED = np.where(RNG.random((3, 4, 4)) < 0.6, SEG_TRUE, RNG.integers(0, 3, (3, 4, 4)))
SEG_SCORES = f32(softmax(RNG.normal(size=(3, 4, 4, 3)) + 2 * np.eye(3)[SEG_PRED]))
SEG_ONE_HOT = f32(np.eye(3)[SEG_TRUE])
INT_WEIGHTS = RNG.integers(0, 3, (3, 4, 4))  # integer weights: IoU's state is int32, as in Keras

CASES = [
    ("TruePositives", {}, batches(binary)),
    ("TruePositives", {"thresholds": [0.15, 0.5, 0.85]}, batches(multilabel)),
    ("FalsePositives", {"thresholds": 0.3}, batches(binary)),
    ("TrueNegatives", {"thresholds": [0.0, 0.5, 1.0]}, batches(multilabel)),  # evenly spaced: Keras's buckets
    ("FalseNegatives", {}, batches(multilabel)),
    ("Precision", {}, batches(binary)),
    ("Precision", {"thresholds": [0.2, 0.6]}, batches(multilabel)),
    ("Precision", {"top_k": 2}, batches(categorical)),
    ("Precision", {"class_id": 1}, batches(categorical)),
    ("Precision", {"top_k": 1, "class_id": 3, "thresholds": 0.3}, batches(categorical)),
    ("Recall", {}, batches(binary)),
    ("Recall", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, batches(multilabel)),
    ("Recall", {"top_k": 2, "class_id": 0}, batches(categorical)),
    ("AUC", {}, batches(binary)),
    ("AUC", {"num_thresholds": 7}, batches(multilabel)),
    ("AUC", {"curve": "PR"}, batches(binary)),
    ("AUC", {"curve": "PR", "summation_method": "minoring"}, batches(multilabel)),
    ("AUC", {"summation_method": "majoring", "num_thresholds": 11}, batches(binary)),
    ("AUC", {"curve": "PRGAIN"}, batches(binary)),
    ("AUC", {"multi_label": True}, batches(multilabel)),
    ("AUC", {"multi_label": True, "num_labels": 3, "label_weights": [0.2, 0.5, 0.3], "curve": "PR"},
     batches(multilabel)),
    ("AUC", {"label_weights": [0.2, 0.5, 0.3]}, batches(multilabel)),
    ("AUC", {"thresholds": [0.1, 0.35, 0.5, 0.9]}, batches(binary)),
    ("AUC", {"thresholds": [0.25, 0.5, 0.75]}, batches(multilabel)),  # evenly spaced once 0 and 1 are added
    ("AUC", {"from_logits": True}, [(y, f32(p * 8 - 4), w) for y, p, w in batches(binary)]),
    ("SensitivityAtSpecificity", {"specificity": 0.6}, batches(binary)),
    ("SensitivityAtSpecificity", {"specificity": 0.4, "num_thresholds": 1}, batches(binary)),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "class_id": 2}, batches(categorical)),
    ("PrecisionAtRecall", {"recall": 0.5, "num_thresholds": 30}, batches(multilabel)),
    ("RecallAtPrecision", {"precision": 0.6}, batches(binary)),
    ("F1Score", {}, batches(categorical)),
    ("F1Score", {"average": "micro", "threshold": 0.4}, batches(multilabel)),
    ("F1Score", {"average": "macro"}, batches(categorical)),
    ("FBetaScore", {"average": "weighted", "beta": 2.0, "threshold": 0.5}, batches(multilabel)),
    ("FBetaScore", {"beta": 0.5}, batches(categorical)),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, [(SEG_TRUE, SEG_PRED, None)] * 2),
    ("IoU", {"num_classes": 3, "target_class_ids": [1], "ignore_class": 0}, [(SEG_TRUE, SEG_PRED, INT_WEIGHTS)]),
    ("MeanIoU", {"num_classes": 3}, [(SEG_TRUE, SEG_PRED, None), (SEG_TRUE, SEG_PRED, INT_WEIGHTS)]),
    ("MeanIoU", {"num_classes": 3, "dtype": "float32"}, [(SEG_TRUE, SEG_PRED, f32(RNG.uniform(0, 1, (3, 4, 4))))]),
    ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False}, [(SEG_TRUE, SEG_SCORES, None)]),
    ("BinaryIoU", {}, [(*binary(), None), (*binary(), RNG.integers(0, 3, 8))]),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, batches(multilabel, (False, False))),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1, 2]}, [(SEG_ONE_HOT, SEG_SCORES, None)]),
    ("OneHotMeanIoU", {"num_classes": 3}, [(SEG_ONE_HOT, SEG_SCORES, None), (SEG_ONE_HOT, SEG_SCORES, INT_WEIGHTS)]),
    ("R2Score", {}, batches(regression)),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, batches(regression)),
    ("R2Score", {"class_aggregation": None}, batches(regression)),
    ("R2Score", {"num_regressors": 2}, batches(regression)),
    ("PearsonCorrelation", {}, batches(regression)),
    ("PearsonCorrelation", {"axis": 0}, batches(regression, (False, False))),
    ("ConcordanceCorrelation", {}, batches(regression)),
    ("RootMeanSquaredError", {}, batches(regression)),
    ("LogCoshError", {}, batches(regression)),
    ("CosineSimilarity", {}, batches(regression)),
    ("CosineSimilarity", {"axis": 0}, batches(regression, (False, False))),
    ("MeanAbsolutePercentageError", {}, batches(regression)),
    ("MeanSquaredLogarithmicError", {}, batches(lambda: regression(low=0.0))),
    ("KLDivergence", {}, batches(categorical)),
    ("Poisson", {}, batches(lambda: regression(low=0.0))),
    ("Hinge", {}, batches(multilabel)),
    ("SquaredHinge", {}, batches(multilabel)),
    ("CategoricalHinge", {}, batches(categorical)),
    ("BinaryCrossentropy", {}, batches(multilabel)),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
     [(y, f32(p * 6 - 3), w) for y, p, w in batches(multilabel)]),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, batches(categorical)),
    ("SparseCategoricalCrossentropy", {}, [(y.argmax(-1), p, w) for y, p, w in batches(categorical)]),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1},
     [(y.argmax(-1), p, w) for y, p, w in batches(categorical)]),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, [(y.argmax(-1), p, w) for y, p, w in batches(categorical)]),
    ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True},
     [(y.argmax(-1), f32(np.argsort(-p, axis=-1)), w) for y, p, w in batches(categorical)]),
    ("MeanMetricWrapper", {"fn": "log_cosh"}, batches(regression)),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


def _build(library, name, kwargs):
    kwargs = dict(kwargs)
    if "fn" in kwargs:
        kwargs["fn"] = getattr(library.metrics, kwargs["fn"])
    return getattr(library.metrics, name)(**kwargs)


_EXPECTED = {}


def _keras_results(case):
    """Keras's result after each batch of the case (computed once, for both backends)."""
    if case not in _EXPECTED:
        name, kwargs, feed = CASES[case]
        metric = _build(keras, name, kwargs)
        results = []
        for y_true, y_pred, weight in feed:
            quiet(lambda y_true=y_true, y_pred=y_pred, weight=weight: metric.update_state(y_true, y_pred,
                                                                                       sample_weight=weight))
            results.append(numpy_of(quiet(metric.result)))
        _EXPECTED[case] = results
    return _EXPECTED[case]


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_metric_matches_keras(backend, case):
    name, kwargs, feed = CASES[case]
    expected = _keras_results(case)
    metric = _build(kerasette, name, kwargs)
    for i, (y_true, y_pred, weight) in enumerate(feed):
        metric.update_state(y_true, ops.convert_to_tensor(y_pred), sample_weight=weight)
        result = metric.result()
        assert isinstance(result, ops.Tensor) and result.dtype == "float32"
        if i in (0, len(feed) - 1):
            np.testing.assert_allclose(result.numpy(), expected[i], rtol=1e-5, atol=1e-6)
    metric.reset_state()
    y_true, y_pred, weight = feed[0]
    metric.update_state(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(metric.result().numpy(), expected[0], rtol=1e-5, atol=1e-6)


READERS = [
    ("AUC", {}), ("AUC", {"multi_label": True, "num_labels": 3, "curve": "PR"}), ("Precision", {"top_k": 2}),
    ("Recall", {"thresholds": [0.3, 0.6]}), ("PrecisionAtRecall", {"recall": 0.5}), ("F1Score", {"average": "macro"}),
    ("MeanIoU", {"num_classes": 3, "sparse_y_true": False, "sparse_y_pred": False, "dtype": "float32"}),
    ("R2Score", {}), ("Sum", {}), ("TruePositives", {}), ("FBetaScore", {"beta": 2.0, "threshold": 0.5}),
]


@pytest.mark.parametrize("name, kwargs", READERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(READERS)])
def test_update_state_never_reads_the_device(backend, monkeypatch, name, kwargs):
    metric = getattr(metrics, name)(**kwargs)
    y, p = multilabel(6)
    y, p = ops.convert_to_tensor(y), ops.convert_to_tensor(p)
    metric.update_state(y, p)  # builds lazily-created state outside the check

    def no_host_reads(_):
        raise AssertionError("update_state read a tensor back to the host")

    host_read = current().to_numpy
    monkeypatch.setattr(current(), "to_numpy", no_host_reads)
    if isinstance(metric, metrics.Sum):
        metric.update_state(p, sample_weight=ops.ones((6,)))
    else:
        metric.update_state(y, p, sample_weight=ops.ones((6,)))
    result = metric.result()
    monkeypatch.setattr(current(), "to_numpy", host_read)  # not undo(): that would also undo the backend fixture
    assert np.all(np.isfinite(result.numpy()))


def test_sum_matches_keras():
    feed = [(f32([1.0, 3.0, 5.0]), None), (f32([[1.0, 2.0], [3.0, 4.0]]), f32([0.5, 2.0])), (f32(4.0), None)]
    theirs, ours = keras.metrics.Sum(), metrics.Sum()
    for values, weight in feed:
        theirs.update_state(values, sample_weight=weight)
        ours.update_state(values, sample_weight=weight)
    assert float(ours.result()) == pytest.approx(float(keras_value("sum", theirs.result)), rel=1e-6)


def test_large_inputs_are_counted_in_chunks_with_the_same_result():
    """AUC on 40,000 predictions compares 8 million (prediction, threshold) pairs, in two chunks."""
    labels = RNG.integers(0, 2, 40_000)
    scores = np.clip(labels * 0.2 + RNG.uniform(0, 0.8, 40_000), 0, 1)
    whole, parts = metrics.AUC(), metrics.AUC()
    whole.update_state(labels, scores)
    for start in range(0, 40_000, 5_000):
        parts.update_state(labels[start:start + 5_000], scores[start:start + 5_000])
    for a, b in zip(whole.variables, parts.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    order = np.argsort(-scores)  # the exact ROC AUC from ranks, for scale
    tpr = np.cumsum(labels[order]) / labels.sum()
    fpr = np.cumsum(1 - labels[order]) / (1 - labels).sum()
    assert float(whole.result()) == pytest.approx(np.trapezoid(tpr, fpr), abs=2e-3)


def test_default_names_are_made_unique_as_keras_does():
    from kerasette.utils import naming

    naming.clear_session()
    names = [metrics.Precision().name, metrics.Precision().name, metrics.AUC().name, metrics.AUC(name="roc").name,
             metrics.TruePositives().name]
    assert names == ["precision", "precision_1", "auc", "roc", "true_positives"]


@pytest.mark.parametrize("make, message", [
    (lambda: metrics.Precision(thresholds=[0.5, 1.5]), "thresholds"),
    (lambda: metrics.Recall(top_k=0), "top_k"),
    (lambda: metrics.AUC(curve="ROCK"), "curve"),
    (lambda: metrics.AUC(summation_method="simpson"), "summation_method"),
    (lambda: metrics.AUC(num_thresholds=1), "num_thresholds"),
    (lambda: metrics.AUC(num_labels=3), "num_labels"),
    (lambda: metrics.AUC(thresholds=[0.5, 2.0]), "thresholds"),
    (lambda: metrics.F1Score(average="samples"), "average"),
    (lambda: metrics.FBetaScore(beta=2), "beta"),
    (lambda: metrics.F1Score(threshold=0.0), "threshold"),
    (lambda: metrics.R2Score(class_aggregation="mean"), "class_aggregation"),
    (lambda: metrics.R2Score(num_regressors=-1), "num_regressors"),
    (lambda: metrics.IoU(3, target_class_ids=[3]), "target_class_ids"),
    (lambda: metrics.PrecisionAtRecall(1.5), "recall"),
    (lambda: metrics.SpecificityAtSensitivity(0.5, num_thresholds=0), "num_thresholds"),
])
def test_bad_arguments_name_the_argument(make, message):
    with pytest.raises(ValueError, match=f"`{message}`"):
        make()


def test_string_names_build_the_classes_and_name_the_logs():
    for name, cls in [("auc", metrics.AUC), ("precision", metrics.Precision), ("f1_score", metrics.F1Score),
                      ("r2_score", metrics.R2Score), ("mape", metrics.MeanAbsolutePercentageError),
                      ("logcosh", metrics.LogCoshError), ("kld", metrics.KLDivergence),
                      ("bce", metrics.BinaryCrossentropy), ("true_positives", metrics.TruePositives),
                      ("root_mean_squared_error", metrics.RootMeanSquaredError)]:
        metric = metrics.resolve(name)
        assert type(metric) is cls and metric.name == name
    assert isinstance(metrics.get(metrics.hinge), metrics.Hinge)
    wrapped = metrics.get(metrics.binary_focal_crossentropy)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "binary_focal_crossentropy"
    with pytest.raises(ValueError, match="cannot be built from its name alone"):
        metrics.resolve("mean_iou")


def test_rank_errors():
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.F1Score().update_state(np.zeros((2, 3, 1)), np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="rank 2"):
        metrics.AUC(multi_label=True).update_state(np.zeros((4,)), np.zeros((4,)))
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=1).update_state(np.zeros((4,)), np.zeros((4,)))


def test_iou_warns_about_float_weights_with_its_integer_state_as_keras_does():
    m = metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="weight as `float`"):
        m.update_state([0, 1, 1], [0, 1, 0], sample_weight=np.array([0.5, 1.7, 1.0]))
    assert m.total_cm.numpy().tolist() == [[0, 0], [1, 1]]  # 0.5 -> 0 and 1.7 -> 1, as Keras's int cast


def test_adjusted_r2_falls_back_with_a_warning_when_there_are_too_few_samples():
    m = metrics.R2Score(num_regressors=5)
    m.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    plain = metrics.R2Score()
    plain.update_state([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    with pytest.warns(UserWarning, match="More independent predictors"):
        assert float(m.result()) == pytest.approx(float(plain.result()))
