"""Loss values pinned to real Keras 3.15.1 numbers and to hand-written numpy.

The literal numbers came from keras 3.15.1 (KERAS_BACKEND=torch, float32)
calling the same class with the same arguments on the arrays below.
"""

import numpy as np
import pytest

from kerasette import losses, ops

Y_ONE_HOT = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=np.float32)
Y_SPARSE = np.array([1, 2, 0])
PROBS = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]], dtype=np.float32)
LOGITS = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.3, -0.2, 1.5]], dtype=np.float32)
WEIGHTS = np.array([0.3, 0.7, 1.0], dtype=np.float32)
B_TRUE = np.array([[0, 1], [0, 0]], dtype=np.float32)
B_PROBS = np.array([[0.6, 0.4], [0.4, 0.6]], dtype=np.float32)
B_LOGITS = np.array([[-18.6, 0.51], [2.94, -12.8]], dtype=np.float32)
REG_PRED = np.array([[1, 1], [1, 0]], dtype=np.float32)

L = losses
KERAS = [
    ("cce", L.CategoricalCrossentropy(), (Y_ONE_HOT, PROBS), {}, 1.3211054801940918),
    ("cce_smoothing", L.CategoricalCrossentropy(label_smoothing=0.1), (Y_ONE_HOT, PROBS), {}, 1.494550347328186),
    ("cce_weighted", L.CategoricalCrossentropy(), (Y_ONE_HOT, PROBS), {"sample_weight": WEIGHTS}, 1.0788785219),
    ("cce_sum", L.CategoricalCrossentropy(reduction="sum"), (Y_ONE_HOT, PROBS), {}, 3.9633164405822754),
    ("cce_mean_with_sample_weight", L.CategoricalCrossentropy(reduction="mean_with_sample_weight"),
     (Y_ONE_HOT, PROBS), {"sample_weight": WEIGHTS}, 1.6183178424835205),
    ("cce_logits", L.CategoricalCrossentropy(from_logits=True), (Y_ONE_HOT, LOGITS), {}, 1.0811920166015625),
    ("cce_logits_smoothing", L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2),
     (Y_ONE_HOT, LOGITS), {}, 1.1656365394592285),
    ("scce", L.SparseCategoricalCrossentropy(), (Y_SPARSE, PROBS), {}, 1.3211054801940918),
    ("scce_logits_weighted", L.SparseCategoricalCrossentropy(from_logits=True), (Y_SPARSE, LOGITS),
     {"sample_weight": WEIGHTS}, 0.7286195158958435),
    ("scce_ignore_class", L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
     (np.array([1, -1, 0]), LOGITS), {}, 1.5011323690414429),
    ("scce_ignore_class_weighted", L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
     (np.array([1, -1, 0]), LOGITS), {"sample_weight": WEIGHTS}, 1.0084701776504517),
    ("bce", L.BinaryCrossentropy(), (B_TRUE, B_PROBS), {}, 0.8149244785308838),
    ("bce_logits", L.BinaryCrossentropy(from_logits=True), (B_TRUE, B_LOGITS), {}, 0.8654580116271973),
    ("bce_logits_smoothing", L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), (B_TRUE, B_LOGITS),
     {}, 1.2275831699371338),
    ("bce_weighted", L.BinaryCrossentropy(), (B_TRUE, B_PROBS), {"sample_weight": np.array([1.0, 0.0])},
     0.4581453800201416),
    ("bce_rank1_targets", L.BinaryCrossentropy(), (np.array([1.0, 0, 1]), np.array([[0.9], [0.2], [0.4]])),
     {}, 0.41493162512779236),
    ("mse", L.MeanSquaredError(), (B_TRUE, REG_PRED), {}, 0.5),
    ("mse_weighted", L.MeanSquaredError(), (B_TRUE, REG_PRED), {"sample_weight": np.array([0.7, 0.3])}, 0.25),
    ("mse_rank1_targets", L.MeanSquaredError(), (np.array([1.0, 2, 3]), np.array([[1.5], [2.0], [2.0]])), {},
     0.4166666567325592),
    ("mae", L.MeanAbsoluteError(), (B_TRUE, REG_PRED), {}, 0.5),
    ("huber", L.Huber(), (B_TRUE, B_PROBS), {}, 0.1550000011920929),
    ("huber_delta", L.Huber(delta=0.3), (np.array([[0.0, 1, 2]]), np.array([[0.1, 2.5, 1.0]])), {},
     0.22166667878627777),
]


@pytest.mark.parametrize("loss, args, kwargs, expected", [c[1:] for c in KERAS], ids=[c[0] for c in KERAS])
def test_matches_keras(loss, args, kwargs, expected):
    y_true, y_pred = args
    out = loss(y_true, ops.convert_to_tensor(np.asarray(y_pred, dtype=np.float32)), **kwargs)
    assert isinstance(out, ops.Tensor) and out.shape == ()
    assert float(out) == pytest.approx(expected, rel=2e-6, abs=1e-7)


def test_keras_per_sample_values():
    out = losses.CategoricalCrossentropy(reduction="none")(Y_ONE_HOT, PROBS)
    np.testing.assert_allclose(out.numpy(), [0.051293306, 2.3025851, 1.6094379], rtol=1e-6)
    out = losses.BinaryCrossentropy(reduction="none")(B_TRUE, B_PROBS)
    np.testing.assert_allclose(out.numpy(), [0.91629076, 0.71355820], rtol=1e-6)


# ----- hand-computed numpy references ------------------------------------------
def np_log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def np_cce_probs(y, p):
    p = np.clip(p / p.sum(axis=-1, keepdims=True), 1e-7, 1 - 1e-7)
    return -(y * np.log(p)).sum(axis=-1)


def np_bce_probs(y, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=-1)


RNG = np.random.default_rng(0)
R_LOGITS = RNG.normal(size=(6, 4)) * 3
R_LABELS = np.array([0, 3, 1, 1, 2, 0])
R_ONE_HOT = np.eye(4)[R_LABELS]
R_PROBS = np.exp(np_log_softmax(R_LOGITS))
R_BIN = (RNG.random((6, 3)) > 0.5).astype(np.float64)
R_BIN_LOGITS = RNG.normal(size=(6, 3)) * 2
R_REG_TRUE, R_REG_PRED = RNG.normal(size=(6, 3)), RNG.normal(size=(6, 3)) * 2


def _per_sample(loss, y_true, y_pred):
    return loss.call(ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)).numpy()


@pytest.mark.parametrize(
    "loss, y_true, y_pred, expected",
    [
        (losses.CategoricalCrossentropy(), R_ONE_HOT, R_PROBS, np_cce_probs(R_ONE_HOT, R_PROBS)),
        (losses.CategoricalCrossentropy(from_logits=True), R_ONE_HOT, R_LOGITS,
         -(R_ONE_HOT * np_log_softmax(R_LOGITS)).sum(-1)),
        (losses.SparseCategoricalCrossentropy(from_logits=True), R_LABELS, R_LOGITS,
         -np_log_softmax(R_LOGITS)[np.arange(6), R_LABELS]),
        (losses.SparseCategoricalCrossentropy(), R_LABELS[:, None].astype(np.float64), R_PROBS,
         -np.log(R_PROBS[np.arange(6), R_LABELS])),
        (losses.BinaryCrossentropy(), R_BIN, 1 / (1 + np.exp(-R_BIN_LOGITS)),
         np_bce_probs(R_BIN, 1 / (1 + np.exp(-R_BIN_LOGITS)))),
        (losses.BinaryCrossentropy(from_logits=True), R_BIN, R_BIN_LOGITS,
         np_bce_probs(R_BIN, 1 / (1 + np.exp(-R_BIN_LOGITS)))),
        (losses.MeanSquaredError(), R_REG_TRUE, R_REG_PRED, ((R_REG_TRUE - R_REG_PRED) ** 2).mean(-1)),
        (losses.MeanAbsoluteError(), R_REG_TRUE, R_REG_PRED, np.abs(R_REG_TRUE - R_REG_PRED).mean(-1)),
        (losses.Huber(delta=1.5), R_REG_TRUE, R_REG_PRED,
         np.where(np.abs(R_REG_PRED - R_REG_TRUE) <= 1.5, 0.5 * (R_REG_PRED - R_REG_TRUE) ** 2,
                  1.5 * np.abs(R_REG_PRED - R_REG_TRUE) - 0.5 * 1.5**2).mean(-1)),
    ],
    ids=["cce", "cce_logits", "scce_logits", "scce_n1_float_labels", "bce", "bce_logits", "mse", "mae", "huber"],
)
def test_per_sample_values_match_numpy(loss, y_true, y_pred, expected):
    out = _per_sample(loss, y_true, y_pred)
    assert out.shape == (6,)
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("labels", [R_LABELS, R_LABELS[:, None], R_LABELS.astype(np.float32),
                                    R_LABELS[:, None].astype(np.float64), R_LABELS.astype(np.int32)])
def test_sparse_accepts_label_shapes_and_dtypes(labels):
    out = losses.SparseCategoricalCrossentropy(from_logits=True)(labels, ops.convert_to_tensor(R_LOGITS))
    expected = -np_log_softmax(R_LOGITS)[np.arange(6), R_LABELS].mean()
    assert float(out) == pytest.approx(expected, rel=1e-12)


def test_sparse_equals_categorical_on_one_hot_labels():
    pred = ops.convert_to_tensor(R_PROBS)
    sparse = losses.SparseCategoricalCrossentropy()(R_LABELS, pred)
    dense = losses.CategoricalCrossentropy()(R_ONE_HOT, pred)
    assert float(sparse) == pytest.approx(float(dense), rel=1e-12)


def test_probabilities_are_clipped_as_keras_does():
    # A zero probability for the true class costs -log(1e-7), not infinity.
    out = losses.CategoricalCrossentropy()(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert float(out) == pytest.approx(-np.log(1e-7), rel=1e-6)
    out = losses.BinaryCrossentropy()(np.array([[1.0]]), np.array([[0.0]]))
    assert float(out) == pytest.approx(-np.log(1e-7), rel=1e-6)


def test_categorical_renormalises_probabilities():
    out = losses.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[1.0, 3.0]]))
    np.testing.assert_allclose(out.numpy(), [-np.log(0.75)], rtol=1e-6)


def test_functions_return_per_sample_values():
    out = losses.mean_squared_error(B_TRUE, REG_PRED)
    np.testing.assert_allclose(out.numpy(), [0.5, 0.5])
    assert losses.mse is losses.mean_squared_error and losses.mae is losses.mean_absolute_error
    out = losses.huber(B_TRUE, B_PROBS, delta=0.5)
    assert out.shape == (2,)
