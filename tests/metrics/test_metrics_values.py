"""Metric values pinned to Keras 3.15.1 numbers and numpy; accumulation across batches and reset.

Literal numbers came from keras 3.15.1 (KERAS_BACKEND=torch) calling
``update_state`` then ``result`` with the same arguments.
"""

import numpy as np
import pytest

from kerasette import metrics, ops

M = metrics
KERAS = [
    ("accuracy", M.Accuracy(), ([[1], [2], [3], [4]], [[0], [2], [3], [4]]), {}, 0.75),
    ("binary_accuracy", M.BinaryAccuracy(), ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]), {}, 0.75),
    ("binary_accuracy_threshold", M.BinaryAccuracy(threshold=0.7), ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]),
     {}, 1.0),
    ("categorical_accuracy", M.CategoricalAccuracy(), ([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]),
     {}, 0.5),
    ("categorical_accuracy_weighted", M.CategoricalAccuracy(),
     ([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), {"sample_weight": [0.7, 0.3]}, 0.3),
    ("sparse_categorical_accuracy", M.SparseCategoricalAccuracy(), ([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]),
     {}, 0.5),
    ("top_k_1", M.TopKCategoricalAccuracy(k=1), ([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), {}, 0.5),
    ("sparse_top_k_1", M.SparseTopKCategoricalAccuracy(k=1), ([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]), {}, 0.5),
    ("sparse_top_k_ties", M.SparseTopKCategoricalAccuracy(k=1), ([1, 0], [[0.5, 0.5, 0.1], [0.2, 0.7, 0.7]]), {},
     0.5),
    ("sparse_top_k_2", M.SparseTopKCategoricalAccuracy(k=2),
     ([0, 2, 1, 2], [[0.1, 0.5, 0.4], [0.2, 0.3, 0.5], [0.6, 0.1, 0.3], [0.3, 0.4, 0.3]]), {}, 0.5),
    ("mean_weighted", M.Mean(), ([1, 3, 5, 7],), {"sample_weight": [1, 1, 0, 0]}, 2.0),
    ("mean_squared_error", M.MeanSquaredError(), ([[0, 1], [0, 0]], [[1, 1], [0, 0]]), {}, 0.25),
]


@pytest.mark.parametrize("metric, args, kwargs, expected", [c[1:] for c in KERAS], ids=[c[0] for c in KERAS])
def test_matches_keras(metric, args, kwargs, expected):
    metric.reset_state()
    metric.update_state(*args, **kwargs)
    result = metric.result()
    assert isinstance(result, ops.Tensor) and result.shape == () and result.dtype == "float32"
    assert float(result) == pytest.approx(expected, rel=1e-6)


RNG = np.random.default_rng(3)
SCORES = RNG.random((50, 6))
LABELS = RNG.integers(0, 6, size=50)
ONE_HOT = np.eye(6)[LABELS]


def np_top_k(labels, scores, k):
    target = scores[np.arange(len(labels)), labels]
    return ((scores > target[:, None]).sum(-1) < k).mean()


@pytest.mark.parametrize(
    "metric, y_true, expected",
    [
        (M.SparseCategoricalAccuracy(), LABELS, (SCORES.argmax(-1) == LABELS).mean()),
        (M.SparseCategoricalAccuracy(), LABELS[:, None].astype(np.float32), (SCORES.argmax(-1) == LABELS).mean()),
        (M.CategoricalAccuracy(), ONE_HOT, (SCORES.argmax(-1) == LABELS).mean()),
        (M.TopKCategoricalAccuracy(), ONE_HOT, np_top_k(LABELS, SCORES, 5)),
        (M.TopKCategoricalAccuracy(k=2), ONE_HOT, np_top_k(LABELS, SCORES, 2)),
        (M.SparseTopKCategoricalAccuracy(k=3), LABELS, np_top_k(LABELS, SCORES, 3)),
    ],
    ids=["sparse", "sparse_n1_float", "categorical", "top5", "top2", "sparse_top3"],
)
def test_class_metrics_match_numpy(metric, y_true, expected):
    metric.update_state(y_true, SCORES)
    assert float(metric.result()) == pytest.approx(expected, rel=1e-6)
    assert 0.0 < expected < 1.0  # the data exercises both hits and misses


def test_regression_metrics_match_numpy():
    y, p = RNG.normal(size=(20, 3)), RNG.normal(size=(20, 3))
    mse, mae = M.MeanSquaredError(), M.MeanAbsoluteError()
    mse.update_state(y, p)
    mae.update_state(y, p)
    assert float(mse.result()) == pytest.approx(((y - p) ** 2).mean(), rel=1e-5)
    assert float(mae.result()) == pytest.approx(np.abs(y - p).mean(), rel=1e-5)


def test_binary_accuracy_with_rank1_targets_and_column_output():
    m = M.BinaryAccuracy()
    m.update_state(np.array([1, 0, 1, 0]), np.array([[0.7], [0.2], [0.4], [0.9]]))
    assert float(m.result()) == 0.5


def test_accumulates_across_batches_and_resets():
    m = M.SparseCategoricalAccuracy()
    batches = [(LABELS[i:i + 16], SCORES[i:i + 16]) for i in range(0, 50, 16)]  # sizes 16, 16, 16, 2
    hits = 0
    for seen, (y, s) in enumerate(batches, start=1):
        m.update_state(y, s)
        hits += (s.argmax(-1) == y).sum()
        count = sum(len(b[0]) for b in batches[:seen])
        assert float(m.result()) == pytest.approx(hits / count, rel=1e-6)
    m.reset_state()
    assert float(m.result()) == 0.0
    m.update_state([0], [[0.9, 0.1]])
    assert float(m.result()) == 1.0


def test_weighted_accumulation():
    m = M.Mean()
    m.update_state([1.0, 2.0], sample_weight=[1.0, 3.0])
    m.update_state([[4.0, 6.0]], sample_weight=[2.0])  # per-sample mean 5, weight 2
    assert float(m.result()) == pytest.approx((1 + 6 + 10) / (1 + 3 + 2))
    m.update_state(10.0)
    assert float(m.result()) == pytest.approx((17 + 10) / 7)


def test_empty_metric_is_zero():
    for metric in (M.Mean(), M.Accuracy(), M.MeanSquaredError()):
        assert float(metric.result()) == 0.0
    m = M.Mean()
    m.update_state([3.0], sample_weight=[0.0])
    assert float(m.result()) == 0.0


def test_call_updates_and_returns_the_running_result():
    m = M.Mean()
    assert float(m([2.0])) == 2.0
    assert float(m([4.0, 6.0])) == 4.0


def test_state_is_non_trainable_variables():
    m = M.CategoricalAccuracy()
    assert [v.name for v in m.variables] == ["total", "count"]
    assert all(isinstance(v, ops.Variable) and not v.trainable for v in m.variables)


def test_update_state_never_reads_the_device(monkeypatch):
    from kerasette.backends import current

    y = ops.convert_to_tensor(LABELS)
    s = ops.convert_to_tensor(SCORES)
    tracked = [M.SparseCategoricalAccuracy(), M.SparseTopKCategoricalAccuracy(k=2), M.Mean()]

    def no_host_reads(_):
        raise AssertionError("update_state read a tensor back to the host")

    monkeypatch.setattr(current(), "to_numpy", no_host_reads)
    tracked[0].update_state(y, s)
    tracked[1].update_state(y, s, sample_weight=ops.ones((50,)))
    tracked[2].update_state(s)
    monkeypatch.undo()
    assert float(tracked[2].result()) == pytest.approx(SCORES.mean(), rel=1e-6)


def test_update_inside_a_tape_does_not_record():
    seen = []

    def spy(y_true, y_pred):
        seen.append(ops.is_recording())
        return ops.abs(ops.subtract(y_true, y_pred))

    z = ops.convert_to_tensor(SCORES)
    with ops.GradientTape() as tape:
        tape.watch(z)
        assert ops.is_recording()
        M.MeanMetricWrapper(spy).update_state(SCORES, z)
    assert seen == [False]
