"""The losses added for issue 13 against real Keras 3 (torch backend), on numpy and OpenCL.

Every case builds the same class with the same arguments in both libraries and
calls it on the same float32 arrays; Keras's number is computed in the test (see
``tests/keras_reference.py``). Function forms are compared per sample.
"""

import numpy as np
import pytest
from keras_reference import keras, keras_value

from kerasette import losses, ops

RNG = np.random.default_rng(13)


def f32(x):
    return np.asarray(x, dtype=np.float32)


def softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


POS_TRUE, POS_PRED = f32(RNG.uniform(0.0, 3.0, (5, 3))), f32(RNG.uniform(0.1, 3.0, (5, 3)))
REG_TRUE, REG_PRED = f32(RNG.normal(size=(5, 3))), f32(RNG.normal(size=(5, 3)) * 2)
DIST_TRUE, DIST_PRED = f32(softmax(RNG.normal(size=(5, 4)))), f32(softmax(RNG.normal(size=(5, 4))))
DIST_TRUE[0, 1] = 0.0  # a zero target probability (clipped to 1e-7 as in Keras)
BIN = f32(RNG.integers(0, 2, (5, 3)))
SIGNED = f32(BIN * 2 - 1)
SCORES = f32(RNG.normal(size=(5, 3)))
B_LOGITS = f32(RNG.normal(size=(5, 3)) * 3)
B_PROBS = f32(1 / (1 + np.exp(-B_LOGITS)))
LABELS = np.array([0, 2, 1, 3, 2])
ONE_HOT = f32(np.eye(4)[LABELS])
LOGITS = f32(RNG.normal(size=(5, 4)) * 2)
PROBS = f32(softmax(LOGITS))
MASK_TRUE = f32(RNG.integers(0, 2, (2, 4, 4, 1)))
MASK_PRED = f32(RNG.uniform(0, 1, (2, 4, 4, 1)))
CTC_LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 1, 2]])
CTC_LOGITS = f32(RNG.normal(size=(3, 9, 5)))
CIRCLE_LABELS = np.array([0, 1, 0, 2, 1, 2])
EMBEDDINGS = RNG.normal(size=(6, 4))
EMBEDDINGS = f32(EMBEDDINGS / np.linalg.norm(EMBEDDINGS, axis=1, keepdims=True))
W5 = f32([0.3, 1.0, 0.0, 2.0, 0.7])

CASES = [
    ("KLDivergence", {}, DIST_TRUE, DIST_PRED, None),
    ("KLDivergence", {"reduction": "sum"}, DIST_TRUE, DIST_PRED, W5),
    ("Poisson", {}, POS_TRUE, POS_PRED, None),
    ("Poisson", {}, POS_TRUE, POS_PRED, W5),
    ("CosineSimilarity", {}, REG_TRUE, REG_PRED, None),
    ("CosineSimilarity", {"axis": 0, "reduction": "none"}, REG_TRUE, REG_PRED, None),
    ("Hinge", {}, BIN, SCORES, None),
    ("Hinge", {}, SIGNED, SCORES, W5),
    ("Hinge", {"reduction": "none"}, f32([1.0, 0.0, 1.0]), f32([[0.3], [-0.2], [2.0]]), None),
    ("SquaredHinge", {}, BIN, SCORES, None),
    ("SquaredHinge", {"reduction": "mean_with_sample_weight"}, SIGNED, SCORES, W5),
    ("CategoricalHinge", {}, ONE_HOT, LOGITS, None),
    ("CategoricalHinge", {"reduction": "sum"}, ONE_HOT, LOGITS, W5),
    ("LogCosh", {}, REG_TRUE, REG_PRED, None),
    ("LogCosh", {}, REG_TRUE, REG_PRED * 100, W5),
    ("MeanSquaredLogarithmicError", {}, POS_TRUE, POS_PRED, None),
    ("MeanSquaredLogarithmicError", {}, REG_TRUE, REG_PRED, W5),  # negatives count as 1e-7
    ("MeanAbsolutePercentageError", {}, REG_TRUE, REG_PRED, None),
    ("MeanAbsolutePercentageError", {"reduction": "none"}, f32([[0.0, 2.0]]), f32([[0.5, 1.0]]), None),
    ("BinaryFocalCrossentropy", {}, BIN, B_PROBS, None),
    ("BinaryFocalCrossentropy", {"gamma": 3.0, "from_logits": True}, BIN, B_LOGITS, W5),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "label_smoothing": 0.1}, BIN,
     B_PROBS, None),
    ("BinaryFocalCrossentropy", {}, f32([1.0, 0.0, 1.0]), f32([[0.8], [0.3], [0.4]]), None),
    ("CategoricalFocalCrossentropy", {}, ONE_HOT, PROBS, None),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "gamma": 1.0, "alpha": 0.5}, ONE_HOT, LOGITS, W5),
    ("CategoricalFocalCrossentropy", {"label_smoothing": 0.2, "alpha": [0.1, 0.2, 0.3, 0.4]}, ONE_HOT, PROBS,
     None),
    ("CategoricalGeneralizedCrossEntropy", {}, LABELS, PROBS, None),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, LABELS, PROBS, W5),
    ("Dice", {}, MASK_TRUE, MASK_PRED, None),
    ("Dice", {"axis": [1, 2, 3]}, MASK_TRUE, MASK_PRED, f32([0.25, 1.0])),
    ("Tversky", {}, MASK_TRUE, MASK_PRED, None),
    ("Tversky", {"alpha": 0.7, "beta": 0.3, "axis": [1, 2, 3], "reduction": "none"}, MASK_TRUE, MASK_PRED, None),
    ("Circle", {}, CIRCLE_LABELS, EMBEDDINGS, None),
    ("Circle", {"gamma": 4.0, "margin": 0.25}, CIRCLE_LABELS, EMBEDDINGS, f32([1, 0.5, 2, 1, 0, 1])),
    ("Circle", {"gamma": 4.0, "remove_diagonal": False, "reduction": "none"}, CIRCLE_LABELS, EMBEDDINGS, None),
    ("CTC", {}, CTC_LABELS, CTC_LOGITS, None),
    ("CTC", {"reduction": "none"}, CTC_LABELS, CTC_LOGITS * 4, None),
    ("CTC", {"reduction": "sum"}, CTC_LABELS, CTC_LOGITS, f32([0.5, 1.0, 2.0])),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_loss_matches_keras(backend, case):
    name, kwargs, y_true, y_pred, weight = CASES[case]
    expected = keras_value(("loss", case), lambda: getattr(keras.losses, name)(**kwargs)(y_true, y_pred,
                                                                                          sample_weight=weight))
    out = getattr(losses, name)(**kwargs)(y_true, ops.convert_to_tensor(y_pred), sample_weight=weight)
    assert isinstance(out, ops.Tensor) and out.dtype == "float32"
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=2e-5, atol=2e-6)


FUNCTIONS = [
    ("kl_divergence", {}, DIST_TRUE, DIST_PRED),
    ("poisson", {}, POS_TRUE, POS_PRED),
    ("cosine_similarity", {"axis": -1}, REG_TRUE, REG_PRED),
    ("hinge", {}, BIN, SCORES),
    ("squared_hinge", {}, SIGNED, SCORES),
    ("categorical_hinge", {}, ONE_HOT, LOGITS),
    ("log_cosh", {}, REG_TRUE, REG_PRED),
    ("mean_squared_logarithmic_error", {}, POS_TRUE, POS_PRED),
    ("mean_absolute_percentage_error", {}, REG_TRUE, REG_PRED),
    ("binary_focal_crossentropy", {"gamma": 1.5}, BIN, B_PROBS),
    ("categorical_focal_crossentropy", {"from_logits": True}, ONE_HOT, LOGITS),
    ("categorical_generalized_cross_entropy", {"q": 0.7}, LABELS, PROBS),
    ("dice", {"axis": (1, 2)}, MASK_TRUE, MASK_PRED),
    ("tversky", {"alpha": 0.2, "beta": 0.8}, MASK_TRUE, MASK_PRED),
    ("circle", {"gamma": 10.0}, CIRCLE_LABELS, EMBEDDINGS),
    ("ctc", {}, CTC_LABELS, CTC_LOGITS),
]


@pytest.mark.parametrize("case", range(len(FUNCTIONS)), ids=[f[0] for f in FUNCTIONS])
def test_function_form_matches_keras(backend, case):
    name, kwargs, y_true, y_pred = FUNCTIONS[case]
    ks_true, ks_pred = keras.ops.convert_to_tensor(y_true), keras.ops.convert_to_tensor(y_pred)  # not numpy arrays
    expected = keras_value(("function", case), lambda: getattr(keras.losses, name)(ks_true, ks_pred, **kwargs))
    out = getattr(losses, name)(y_true, ops.convert_to_tensor(y_pred), **kwargs)
    np.testing.assert_allclose(out.numpy(), expected, rtol=2e-5, atol=2e-6)


def test_string_names_resolve_to_the_classes():
    names = {"kld": "KLDivergence", "KLD": "KLDivergence", "kl_divergence": "KLDivergence", "poisson": "Poisson",
             "mape": "MeanAbsolutePercentageError", "MSLE": "MeanSquaredLogarithmicError", "log_cosh": "LogCosh",
             "hinge": "Hinge", "squared_hinge": "SquaredHinge", "categorical_hinge": "CategoricalHinge",
             "cosine_similarity": "CosineSimilarity", "binary_focal_crossentropy": "BinaryFocalCrossentropy",
             "categorical_focal_crossentropy": "CategoricalFocalCrossentropy", "dice": "Dice", "tversky": "Tversky",
             "circle": "Circle", "ctc": "CTC",
             "categorical_generalized_cross_entropy": "CategoricalGeneralizedCrossEntropy"}
    for name, class_name in names.items():
        assert type(losses.get(name)).__name__ == class_name
    assert isinstance(losses.get(losses.poisson), losses.Poisson)
    assert isinstance(losses.get(losses.ctc), losses.CTC)
    assert losses.mape is losses.mean_absolute_percentage_error and losses.KLD is losses.kl_divergence


def test_ctc_matches_a_brute_force_sum_over_alignments():
    """-log of the sum, over every path of length T that collapses to the labels, of the path's probability."""
    import itertools

    logits = RNG.normal(size=(1, 4, 3))
    probs = softmax(logits[0])
    labels = [1, 2]
    total = 0.0
    for path in itertools.product(range(3), repeat=4):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
        if collapsed == labels:
            total += np.prod([probs[t, c] for t, c in enumerate(path)])
    out = losses.ctc(np.array([[1, 2, 0]]), ops.convert_to_tensor(logits))
    np.testing.assert_allclose(out.numpy(), [-np.log(total)], rtol=1e-10)


def test_dice_over_the_batch_is_one_value_and_weights_still_apply():
    whole = losses.Dice()(MASK_TRUE, MASK_PRED)
    assert whole.shape == ()
    per_image = losses.Dice(axis=(1, 2, 3), reduction="none")(MASK_TRUE, MASK_PRED)
    assert per_image.shape == (2,)
    weighted = losses.Dice(axis=(1, 2, 3))(MASK_TRUE, MASK_PRED, sample_weight=[1.0, 0.0])
    assert float(weighted) == pytest.approx(float(per_image.numpy()[0]) / 2, rel=1e-6)


@pytest.mark.parametrize("make, message", [
    (lambda: losses.CategoricalGeneralizedCrossEntropy(q=1.5), "q"),
    (lambda: losses.BinaryFocalCrossentropy(gamma=-1.0), "gamma"),
    (lambda: losses.BinaryFocalCrossentropy(label_smoothing=2.0), "label_smoothing"),
    (lambda: losses.CategoricalFocalCrossentropy(alpha=-0.5), "alpha"),
    (lambda: losses.Dice(axis="spatial"), "axis"),
    (lambda: losses.Hinge(reduction="average"), "reduction"),
])
def test_bad_arguments_name_the_argument(make, message):
    with pytest.raises(ValueError, match=f"`{message}`"):
        make()


def test_generalized_cross_entropy_takes_column_labels():
    column = losses.CategoricalGeneralizedCrossEntropy()(LABELS[:, None], PROBS)
    assert float(column) == pytest.approx(float(losses.CategoricalGeneralizedCrossEntropy()(LABELS, PROBS)))


@pytest.mark.parametrize("loss, y_true, output_shape, message", [
    (losses.Hinge(), np.zeros((5, 2)), (None, 3), "do not match"),
    (losses.BinaryFocalCrossentropy(), np.array([[0.0], [2.0]]), (None, 1), r"values in \[0, 1\]"),
    (losses.CategoricalFocalCrossentropy(), np.array([0, 2, 1]), (None, 3), "one-hot"),
    (losses.CategoricalGeneralizedCrossEntropy(), np.array([0, 3]), (None, 3), r"in \[0, 3\)"),
    (losses.Circle(), np.zeros((4, 3)), (None, 8), "one integer label per sample"),
    (losses.CTC(), np.zeros((4,)), (None, 9, 5), "label sequences"),
    (losses.Dice(), np.zeros((2, 4, 4, 2)), (None, 4, 4, 1), "do not match"),
])
def test_check_targets_names_the_loss_and_the_problem(loss, y_true, output_shape, message):
    with pytest.raises(ValueError, match=message) as error:
        loss.check_targets(y_true, output_shape)
    assert f"`{loss.name}`" in str(error.value)


def test_categorical_focal_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        losses.categorical_focal_crossentropy(LABELS, PROBS)


def test_ctc_rejects_wrong_ranks_and_bad_labels():
    with pytest.raises(ValueError, match="y_true"):
        losses.ctc(np.array([1, 2]), CTC_LOGITS)
    with pytest.raises(ValueError, match="y_pred"):
        losses.ctc(CTC_LABELS, CTC_LOGITS[0])
    with pytest.raises(ValueError, match=r"in \[0, 5\)"):
        losses.CTC().check_targets(np.array([[1, 7]]), (None, 9, 5))
