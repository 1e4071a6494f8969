"""Every loss's gradient against float64 central finite differences."""

import numpy as np
import pytest
from finite_differences import central_difference

from kerasette import losses, ops

RNG = np.random.default_rng(2)
LOGITS = RNG.normal(size=(4, 3)) * 1.5
LOGITS[0, 1] = 0.0  # a logit exactly at 0 (where softplus has its kink-free midpoint)
PROBS = RNG.uniform(0.1, 0.9, size=(4, 3))
LABELS = np.array([2, 0, 1, 1])
ONE_HOT = np.eye(3)[LABELS]
BIN = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
REG_TRUE = RNG.normal(size=(4, 3))
REG_PRED = REG_TRUE + np.array([[0.3, -2.0, 0.7], [-0.4, 1.6, 0.2], [2.5, -0.1, -0.6], [0.9, 0.05, -1.7]])
WEIGHTS = np.array([0.5, 2.0, 1.0, 0.0])


def identity(x):
    return x


CASES = [
    ("cce_probs", losses.CategoricalCrossentropy(), ONE_HOT, PROBS, identity),
    ("cce_probs_smoothing", losses.CategoricalCrossentropy(label_smoothing=0.2), ONE_HOT, PROBS, identity),
    ("cce_logits", losses.CategoricalCrossentropy(from_logits=True), ONE_HOT, LOGITS, identity),
    ("cce_softmax", losses.CategoricalCrossentropy(), ONE_HOT, LOGITS, ops.softmax),
    ("scce_probs", losses.SparseCategoricalCrossentropy(), LABELS, PROBS, identity),
    ("scce_logits", losses.SparseCategoricalCrossentropy(from_logits=True), LABELS, LOGITS, identity),
    ("scce_softmax", losses.SparseCategoricalCrossentropy(), LABELS[:, None], LOGITS, ops.softmax),
    ("scce_ignore", losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1), LABELS, LOGITS,
     identity),
    ("bce_probs", losses.BinaryCrossentropy(), BIN, PROBS, identity),
    ("bce_logits", losses.BinaryCrossentropy(from_logits=True), BIN, LOGITS, identity),
    ("bce_logits_smoothing", losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), BIN, LOGITS,
     identity),
    ("bce_sigmoid", losses.BinaryCrossentropy(), BIN, LOGITS, ops.sigmoid),
    ("mse", losses.MeanSquaredError(), REG_TRUE, REG_PRED, identity),
    ("mae", losses.MeanAbsoluteError(), REG_TRUE, REG_PRED, identity),
    ("huber", losses.Huber(delta=1.0), REG_TRUE, REG_PRED, identity),
    ("mse_sum", losses.MeanSquaredError(reduction="sum"), REG_TRUE, REG_PRED, identity),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("loss, y_true, x, transform", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(loss, y_true, x, transform, weighted):
    sample_weight = WEIGHTS if weighted else None

    def value(array):
        return float(loss(y_true, transform(ops.convert_to_tensor(array)), sample_weight=sample_weight))

    t = ops.convert_to_tensor(x.copy())
    assert t.dtype == "float64"
    with ops.GradientTape() as tape:
        tape.watch(t)
        out = loss(y_true, transform(t), sample_weight=sample_weight)
    (grad,) = tape.gradient(out, [t])
    assert grad.dtype == "float64"
    np.testing.assert_allclose(grad.numpy(), central_difference(value, x.copy()), rtol=1e-5, atol=1e-8)


def test_gradient_of_logits_is_softmax_minus_targets():
    z = ops.convert_to_tensor(LOGITS.copy())
    with ops.GradientTape() as tape:
        tape.watch(z)
        out = losses.SparseCategoricalCrossentropy()(LABELS, ops.softmax(z))
    (grad,) = tape.gradient(out, [z])
    probs = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)
    np.testing.assert_allclose(grad.numpy(), (probs - ONE_HOT) / 4, rtol=1e-10, atol=1e-12)


def test_gradient_reaches_model_variables():
    w = ops.Variable(np.array([[0.2, -0.4], [0.1, 0.3]], dtype=np.float32), name="kernel")
    x = ops.convert_to_tensor(np.array([[1.0, 2.0], [-1.0, 0.5]], dtype=np.float32))
    with ops.GradientTape() as tape:
        out = losses.BinaryCrossentropy()(np.array([[1.0, 0.0], [0.0, 1.0]]), ops.sigmoid(ops.matmul(x, w)))
    (grad,) = tape.gradient(out, [w])
    assert grad is not None and grad.shape == (2, 2) and np.all(np.isfinite(grad.numpy()))
