"""Cross-entropy stability: logits vs probabilities agree, and +-1000 logits stay finite."""

import numpy as np
import pytest

from kerasette import losses, ops

RNG = np.random.default_rng(1)
LOGITS = RNG.normal(size=(5, 4)) * 2
LABELS = np.array([3, 0, 2, 1, 1])
ONE_HOT = np.eye(4)[LABELS]
BIN = (RNG.random((5, 2)) > 0.5).astype(np.float64)
BIN_LOGITS = RNG.normal(size=(5, 2)) * 2
EXTREME = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
EXTREME_LABELS = np.array([1, 0])
EXTREME_BIN = np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]])
EXTREME_BIN_TRUE = np.array([[0.0], [1.0], [1.0], [0.0]])


def _t(x):
    return ops.convert_to_tensor(np.asarray(x))


def _plain_probs(tensor):
    """The same probabilities, without the logits a softmax/sigmoid attaches."""
    return _t(tensor.numpy())


@pytest.mark.parametrize(
    "make, y_true, logits, activation",
    [
        (losses.CategoricalCrossentropy, ONE_HOT, LOGITS, ops.softmax),
        (losses.SparseCategoricalCrossentropy, LABELS, LOGITS, ops.softmax),
        (losses.BinaryCrossentropy, BIN, BIN_LOGITS, ops.sigmoid),
    ],
    ids=["cce", "scce", "bce"],
)
def test_logits_probabilities_and_activation_outputs_agree(make, y_true, logits, activation):
    from_logits = float(make(from_logits=True)(y_true, _t(logits)))
    via_activation = float(make()(y_true, activation(_t(logits))))
    via_plain_probs = float(make()(y_true, _plain_probs(activation(_t(logits)))))
    assert via_activation == pytest.approx(from_logits, rel=1e-12)
    assert via_plain_probs == pytest.approx(from_logits, rel=1e-7)


def _loss_and_grad(loss, y_true, logits, activation=None):
    z = _t(logits)
    with ops.GradientTape() as tape:
        tape.watch(z)
        value = loss(y_true, activation(z) if activation else z)
    (grad,) = tape.gradient(value, [z])
    return float(value), grad.numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_extreme_logits(from_logits, dtype):
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    value, grad = _loss_and_grad(loss, EXTREME_LABELS, EXTREME.astype(dtype), None if from_logits else ops.softmax)
    shifted = EXTREME - EXTREME.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    assert value == pytest.approx(-log_probs[[0, 1], EXTREME_LABELS].mean(), rel=1e-6)  # about 2000
    expected = (np.exp(log_probs) - np.eye(3)[EXTREME_LABELS]) / 2
    np.testing.assert_allclose(grad, expected, atol=1e-6)


@pytest.mark.parametrize("from_logits", [True, False])
def test_categorical_extreme_logits(from_logits):
    loss = losses.CategoricalCrossentropy(from_logits=from_logits, label_smoothing=0.1)
    value, grad = _loss_and_grad(loss, np.eye(3)[EXTREME_LABELS], EXTREME, None if from_logits else ops.softmax)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value > 1000


@pytest.mark.parametrize("from_logits", [True, False])
def test_binary_extreme_logits(from_logits):
    loss = losses.BinaryCrossentropy(from_logits=from_logits)
    value, grad = _loss_and_grad(loss, EXTREME_BIN_TRUE, EXTREME_BIN, None if from_logits else ops.sigmoid)
    assert value == pytest.approx(2000.0 / 4, rel=1e-9)
    np.testing.assert_allclose(grad, (np.array([[1.0], [0.0], [1.0], [0.0]]) - EXTREME_BIN_TRUE) / 4, atol=1e-9)


def test_binary_extreme_logits_with_rank1_targets():
    # Targets (N,) against a sigmoid output (N, 1): the logits survive the rank alignment.
    value, grad = _loss_and_grad(losses.BinaryCrossentropy(), EXTREME_BIN_TRUE[:, 0], EXTREME_BIN, ops.sigmoid)
    assert value == pytest.approx(500.0, rel=1e-9)
    assert np.all(np.isfinite(grad))


def test_plain_probabilities_of_zero_and_one_stay_finite():
    p = _t(np.array([[0.0, 1.0, 0.0]]))
    with ops.GradientTape() as tape:
        tape.watch(p)
        value = losses.CategoricalCrossentropy()(np.array([[1.0, 0.0, 0.0]]), p)
    (grad,) = tape.gradient(value, [p])
    assert np.isfinite(float(value)) and np.all(np.isfinite(grad.numpy()))


def test_softmax_output_with_binary_loss_uses_the_probabilities():
    # The logits of a softmax are not sigmoid logits: binary_crossentropy must read the probabilities.
    logits = _t(np.array([[2.0, -1.0], [0.5, 1.5]]))
    probs = ops.softmax(logits)
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = float(losses.BinaryCrossentropy()(y, _plain_probs(probs)))
    assert float(losses.BinaryCrossentropy()(y, probs)) == pytest.approx(expected, rel=1e-12)


def test_sigmoid_output_with_categorical_loss_uses_the_probabilities():
    logits = _t(np.array([[2.0, -1.0, 0.3]]))
    probs = ops.sigmoid(logits)
    y = np.array([[0.0, 0.0, 1.0]])
    expected = float(losses.CategoricalCrossentropy()(y, _plain_probs(probs)))
    assert float(losses.CategoricalCrossentropy()(y, probs)) == pytest.approx(expected, rel=1e-12)


def test_from_logits_on_a_softmax_output_warns_and_uses_its_logits():
    logits = _t(LOGITS)
    expected = float(losses.SparseCategoricalCrossentropy(from_logits=True)(LABELS, logits))
    with pytest.warns(UserWarning, match="came from a softmax"):
        value = losses.SparseCategoricalCrossentropy(from_logits=True)(LABELS, ops.softmax(logits))
    assert float(value) == pytest.approx(expected, rel=1e-12)


def test_no_numpy_warnings_on_extreme_inputs():
    # pytest turns warnings into errors, so overflow in exp/log anywhere would fail here.
    z = _t(np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=np.float32))
    for loss in (losses.BinaryCrossentropy(from_logits=True), losses.CategoricalCrossentropy(from_logits=True)):
        assert np.isfinite(float(loss(np.array([[1.0, 0.0], [1.0, 0.0]]), z)))
    assert np.isfinite(float(losses.BinaryCrossentropy()(np.array([[1.0, 0.0]]), ops.sigmoid(z[0:1]))))
