"""Loss API: reductions, sample weights, configs, get/serialize/deserialize and errors."""

import numpy as np
import pytest

from kerasette import losses, ops

Y = np.array([[0.0, 1.0], [1.0, 1.0], [0.5, 0.0]])
P = np.array([[1.0, 1.0], [0.0, 3.0], [0.5, 2.0]])
PER_SAMPLE = ((Y - P) ** 2).mean(-1)  # [0.5, 2.5, 2.0]


@pytest.mark.parametrize(
    "reduction, expected",
    [("sum_over_batch_size", PER_SAMPLE.mean()), ("mean", PER_SAMPLE.mean()), ("sum", PER_SAMPLE.sum()),
     ("none", PER_SAMPLE), (None, PER_SAMPLE)],
)
def test_reductions(reduction, expected):
    out = losses.MeanSquaredError(reduction=reduction)(Y, ops.convert_to_tensor(P))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("weights", [np.array([2.0, 0.0, 1.0]), np.array([[2.0], [0.0], [1.0]]), [2.0, 0.0, 1.0]])
def test_sample_weight_is_a_weighted_sum_over_batch_size(weights):
    out = losses.MeanSquaredError()(Y, ops.convert_to_tensor(P), sample_weight=weights)
    assert float(out) == pytest.approx((2 * 0.5 + 0 * 2.5 + 1 * 2.0) / 3, rel=1e-12)


def test_sample_weight_with_sum_and_none():
    w = np.array([2.0, 0.0, 1.0])
    out = losses.MeanSquaredError(reduction="sum")(Y, ops.convert_to_tensor(P), sample_weight=w)
    assert float(out) == pytest.approx(3.0, rel=1e-12)
    out = losses.MeanSquaredError(reduction="none")(Y, ops.convert_to_tensor(P), sample_weight=w)
    np.testing.assert_allclose(out.numpy(), PER_SAMPLE * w, rtol=1e-12)


def test_scalar_sample_weight_scales_the_loss():
    out = losses.MeanSquaredError()(Y, ops.convert_to_tensor(P), sample_weight=3.0)
    assert float(out) == pytest.approx(3 * PER_SAMPLE.mean(), rel=1e-12)


def test_ignore_class_averages_over_the_remaining_samples():
    logits = np.array([[1.0, 2.0, 0.5], [0.3, 0.1, 0.2], [2.0, -1.0, 0.0]])
    labels = np.array([1, 2, 0])
    per_sample = losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")(labels, logits).numpy()
    masked = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2, reduction="none")
    np.testing.assert_allclose(masked(labels, logits).numpy(), [per_sample[0], 0.0, per_sample[2]])
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)
    assert float(loss(labels, logits)) == pytest.approx((per_sample[0] + per_sample[2]) / 2, rel=1e-6)
    assert float(loss(np.array([2, 2, 2]), logits)) == 0.0  # everything ignored


def test_float32_stays_float32():
    out = losses.CategoricalCrossentropy()(np.eye(3), ops.convert_to_tensor(np.full((3, 3), 1 / 3, dtype=np.float32)))
    assert out.dtype == "float32"


def test_keras_default_names_and_configs():
    assert losses.CategoricalCrossentropy().get_config() == {
        "name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False,
        "label_smoothing": 0.0, "axis": -1}
    assert losses.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False,
        "ignore_class": None}
    assert losses.BinaryCrossentropy().name == "binary_crossentropy"
    assert losses.MeanSquaredError().get_config() == {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}
    assert losses.MeanAbsoluteError().name == "mean_absolute_error"
    assert losses.Huber().name == "huber_loss"


CONFIGURED = [
    losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, axis=-1, reduction="sum", name="cce"),
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0, reduction="none"),
    losses.BinaryCrossentropy(label_smoothing=0.2, name="bce"),
    losses.MeanSquaredError(reduction="sum"),
    losses.MeanAbsoluteError(name="l1_loss"),
    losses.Huber(delta=2.5),
    losses.LossFunctionWrapper(losses.mean_absolute_error, reduction="sum"),
]


@pytest.mark.parametrize("loss", CONFIGURED, ids=lambda loss: type(loss).__name__)
def test_config_round_trip(loss):
    config = losses.serialize(loss)
    assert config["class_name"] == type(loss).__name__
    clone = losses.deserialize(config)
    assert type(clone) is type(loss) and clone.get_config() == loss.get_config()
    clone = type(loss).from_config(loss.get_config())
    y, p = np.array([[0.0, 1.0, 0.0]]), np.array([[0.2, 0.5, 0.3]])
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        y = np.array([1])
    np.testing.assert_allclose(clone(y, p).numpy(), loss(y, p).numpy())


@pytest.mark.parametrize(
    "name, cls",
    [("categorical_crossentropy", "CategoricalCrossentropy"),
     ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"),
     ("binary_crossentropy", "BinaryCrossentropy"), ("bce", "BinaryCrossentropy"),
     ("mean_squared_error", "MeanSquaredError"), ("mse", "MeanSquaredError"), ("MSE", "MeanSquaredError"),
     ("mean_absolute_error", "MeanAbsoluteError"), ("mae", "MeanAbsoluteError"), ("huber", "Huber"),
     ("huber_loss", "Huber"), ("CategoricalCrossentropy", "CategoricalCrossentropy")],
)
def test_get_by_name_gives_an_instance(name, cls):
    loss = losses.get(name)
    assert type(loss) is getattr(losses, cls)
    assert isinstance(loss, losses.Loss)


def test_get_by_function_dict_class_and_instance():
    assert type(losses.get(losses.binary_crossentropy)) is losses.BinaryCrossentropy
    assert type(losses.get(losses.mse)) is losses.MeanSquaredError
    loss = losses.get({"class_name": "Huber", "config": {"delta": 3.0}})
    assert loss.delta == 3.0
    assert type(losses.get(losses.MeanAbsoluteError)) is losses.MeanAbsoluteError
    instance = losses.SparseCategoricalCrossentropy(from_logits=True)
    assert losses.get(instance) is instance
    assert losses.get(None) is None


def test_get_wraps_a_custom_function():
    def squared_log_error(y_true, y_pred):
        return ops.mean(ops.square(ops.subtract(ops.log1p(y_true), ops.log1p(y_pred))), axis=-1)

    loss = losses.get(squared_log_error)
    assert isinstance(loss, losses.LossFunctionWrapper) and loss.name == "squared_log_error"
    expected = ((np.log1p(Y) - np.log1p(P)) ** 2).mean()
    assert float(loss(Y, P)) == pytest.approx(expected, rel=1e-12)


def test_serialize_builtin_function_gives_its_name():
    assert losses.serialize(losses.mean_squared_error) == "mean_squared_error"
    assert type(losses.deserialize("mean_squared_error")) is losses.MeanSquaredError


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown loss: 'sparse_categorical_crossentropyy'") as info:
        losses.get("sparse_categorical_crossentropyy")
    assert "'sparse_categorical_crossentropy'" in str(info.value)


@pytest.mark.parametrize(
    "make, match",
    [(lambda: losses.MeanSquaredError(reduction="average"), "reduction"),
     (lambda: losses.CategoricalCrossentropy(label_smoothing=1.5), "label_smoothing"),
     (lambda: losses.Huber(delta=0.0), "delta"),
     (lambda: losses.get(42), "Could not interpret loss")],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_shape_mismatch_errors_name_the_loss():
    with pytest.raises(ValueError, match="categorical_crossentropy.*sparse_categorical_crossentropy"):
        losses.CategoricalCrossentropy()(np.array([0, 1]), np.array([[0.5, 0.5], [0.2, 0.8]]))
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy.*one-hot"):
        losses.SparseCategoricalCrossentropy()(np.eye(3)[:2], np.array([[0.5, 0.4, 0.1], [0.2, 0.7, 0.1]]))
    with pytest.raises(ValueError, match="binary_crossentropy"):
        losses.BinaryCrossentropy()(np.zeros((2, 3)), np.full((2, 2), 0.5))


def test_docstring_examples():
    import doctest

    import kerasette.losses

    assert doctest.testmod(kerasette.losses).failed == 0
