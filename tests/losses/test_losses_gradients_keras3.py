"""Gradients of the losses added for issue 13 against float64 central finite differences, on numpy and OpenCL.

The inputs stay away from kinks (hinge margins at 0, ties in a max, the clipping
bounds), where a one-sided derivative is as right as any other.
"""

import numpy as np
import pytest
from finite_differences import central_difference

from kerasette import losses, ops

RNG = np.random.default_rng(5)


def identity(x):
    return x


def normalized(x):
    return ops.divide(x, ops.sqrt(ops.sum(ops.square(x), axis=-1, keepdims=True)))


def softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


LOGITS = RNG.normal(size=(4, 3)) * 1.5
PROBS = RNG.uniform(0.1, 0.9, size=(4, 3))
DIST = softmax(RNG.normal(size=(4, 3)))
BIN = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
LABELS = np.array([2, 0, 1, 1])
ONE_HOT = np.eye(3)[LABELS]
SCORES = np.array([[0.3, -1.4, 2.2], [-0.6, 0.5, 1.7], [1.3, 0.2, -0.4], [-1.8, 0.8, 0.1]])  # no margin at 0
REG_TRUE = RNG.normal(size=(4, 3))
REG_PRED = REG_TRUE + np.array([[0.3, -2.0, 0.7], [-0.4, 1.6, 0.2], [2.5, -0.1, -0.6], [0.9, 0.05, -1.7]])
POSITIVE = RNG.uniform(0.2, 3.0, size=(4, 3))
MASK = (RNG.random((2, 3, 3, 1)) > 0.5).astype(np.float64)
MASK_PRED = RNG.uniform(0.05, 0.95, size=(2, 3, 3, 1))
CTC_LABELS = np.array([[1, 2, 2], [3, 1, 0]])
CTC_LOGITS = RNG.normal(size=(2, 6, 4))
CIRCLE_LABELS = np.array([0, 1, 0, 1, 2])
EMBEDDINGS = RNG.normal(size=(5, 3))
WEIGHTS = np.array([0.5, 2.0, 1.0, 0.0])

CASES = [
    ("hinge", losses.Hinge(), BIN, SCORES, identity),
    ("squared_hinge", losses.SquaredHinge(), BIN * 2 - 1, SCORES, identity),
    ("categorical_hinge", losses.CategoricalHinge(), ONE_HOT, SCORES, identity),
    ("kl_divergence", losses.KLDivergence(), DIST, LOGITS, ops.softmax),
    ("poisson", losses.Poisson(), POSITIVE, REG_PRED, ops.exp),
    ("mape", losses.MeanAbsolutePercentageError(), REG_TRUE, REG_PRED, identity),
    ("msle", losses.MeanSquaredLogarithmicError(), POSITIVE, POSITIVE[::-1].copy(), identity),
    ("log_cosh", losses.LogCosh(), REG_TRUE, REG_PRED * 10, identity),
    ("cosine_similarity", losses.CosineSimilarity(), REG_TRUE, REG_PRED, identity),
    ("binary_focal_probs", losses.BinaryFocalCrossentropy(), BIN, PROBS, identity),
    ("binary_focal_logits", losses.BinaryFocalCrossentropy(from_logits=True, apply_class_balancing=True), BIN,
     LOGITS, identity),
    ("binary_focal_sigmoid", losses.BinaryFocalCrossentropy(gamma=3.0, label_smoothing=0.1), BIN, LOGITS,
     ops.sigmoid),
    ("categorical_focal_probs", losses.CategoricalFocalCrossentropy(), ONE_HOT, PROBS, identity),
    ("categorical_focal_logits", losses.CategoricalFocalCrossentropy(from_logits=True, alpha=[0.2, 0.3, 0.5]),
     ONE_HOT, LOGITS, identity),
    ("categorical_focal_softmax", losses.CategoricalFocalCrossentropy(gamma=1.0), ONE_HOT, LOGITS, ops.softmax),
    ("generalized_cross_entropy", losses.CategoricalGeneralizedCrossEntropy(q=0.3), LABELS, LOGITS, ops.softmax),
    ("dice", losses.Dice(), MASK, MASK_PRED, identity),
    ("dice_per_image", losses.Dice(axis=(1, 2, 3)), MASK, MASK_PRED, identity),
    ("tversky", losses.Tversky(alpha=0.7, beta=0.3, axis=(1, 2, 3)), MASK, MASK_PRED, identity),
    ("circle", losses.Circle(gamma=4.0), CIRCLE_LABELS, EMBEDDINGS, normalized),
    ("ctc", losses.CTC(), CTC_LABELS, CTC_LOGITS, identity),
]
WEIGHTED = {"dice_per_image": np.array([0.5, 2.0]), "tversky": np.array([0.5, 2.0]), "ctc": np.array([0.5, 2.0]),
            "circle": np.array([0.5, 2.0, 1.0, 0.0, 1.5])}


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(backend, case, weighted):
    name, loss, y_true, x, transform = CASES[case]
    sample_weight = WEIGHTED.get(name, WEIGHTS) if weighted and name not in ("dice",) else None

    def value(array):
        return float(loss(y_true, transform(ops.convert_to_tensor(array)), sample_weight=sample_weight))

    t = ops.convert_to_tensor(x.copy())
    assert t.dtype == "float64"
    with ops.GradientTape() as tape:
        tape.watch(t)
        out = loss(y_true, transform(t), sample_weight=sample_weight)
    (grad,) = tape.gradient(out, [t])
    assert grad.dtype == "float64"
    expected = central_difference(value, x.copy())
    assert np.abs(expected).max() > 1e-4  # the loss depends on its input here
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-5, atol=1e-8)


def test_gradients_reach_a_float32_model_through_the_new_losses(backend):
    w = ops.Variable(np.array([[0.2, -0.4, 0.1], [0.3, 0.5, -0.2]], dtype=np.float32), name="kernel")
    x = ops.convert_to_tensor(np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, 1.0]], dtype=np.float32))
    for loss, y_true in [(losses.CategoricalFocalCrossentropy(), ONE_HOT), (losses.Hinge(), BIN),
                         (losses.CTC(), np.array([[1], [2], [1], [0]])[:, :1])]:
        with ops.GradientTape() as tape:
            logits = ops.matmul(x, w)
            y_pred = ops.softmax(logits) if isinstance(loss, losses.CategoricalFocalCrossentropy) else logits
            if isinstance(loss, losses.CTC):
                y_pred = ops.reshape(logits, (4, 1, 3))
            out = loss(y_true, y_pred)
        (grad,) = tape.gradient(out, [w])
        assert grad is not None and grad.dtype == "float32" and np.all(np.isfinite(grad.numpy()))
        assert np.abs(grad.numpy()).max() > 0
