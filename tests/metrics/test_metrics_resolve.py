"""metrics.resolve (compile's accuracy choice and names), get, configs and errors."""

import numpy as np
import pytest

from kerasette import losses, metrics


@pytest.mark.parametrize(
    "loss, output_shape, cls",
    [
        ("binary_crossentropy", (None, 1), metrics.BinaryAccuracy),
        ("binary_crossentropy", (None, 5), metrics.BinaryAccuracy),  # multi-label
        (losses.BinaryCrossentropy(from_logits=True), (None, 3), metrics.BinaryAccuracy),
        (losses.binary_crossentropy, (None, 3), metrics.BinaryAccuracy),
        ("mse", (None, 1), metrics.BinaryAccuracy),  # one output unit
        ("sparse_categorical_crossentropy", (None, 10), metrics.SparseCategoricalAccuracy),
        (losses.SparseCategoricalCrossentropy(from_logits=True), (None, 10), metrics.SparseCategoricalAccuracy),
        ("categorical_crossentropy", (None, 10), metrics.CategoricalAccuracy),
        (losses.CategoricalCrossentropy(), (None, 10), metrics.CategoricalAccuracy),
        (None, (None, 10), metrics.CategoricalAccuracy),
    ],
)
@pytest.mark.parametrize("name", ["accuracy", "acc"])
def test_accuracy_choice_keeps_the_user_name(loss, output_shape, cls, name):
    metric = metrics.resolve(name, loss, output_shape)
    assert type(metric) is cls
    assert metric.name == name


def test_accuracy_choice_from_target_shape_for_a_custom_loss():
    def custom(y_true, y_pred):
        return y_pred

    def pick(target_shape):
        return type(metrics.resolve("accuracy", custom, (None, 4), target_shape=target_shape))

    assert pick((100,)) is metrics.SparseCategoricalAccuracy
    assert pick((100, 1)) is metrics.SparseCategoricalAccuracy
    assert pick((100, 4)) is metrics.CategoricalAccuracy


def test_resolved_accuracy_computes_the_right_thing():
    metric = metrics.resolve("accuracy", "sparse_categorical_crossentropy", (None, 3))
    metric.update_state(np.array([2, 0, 1]), np.array([[0.1, 0.2, 0.7], [0.1, 0.8, 0.1], [0.3, 0.6, 0.1]]))
    assert float(metric.result()) == pytest.approx(2 / 3)
    metric = metrics.resolve("acc", "binary_crossentropy", (None, 1))
    metric.update_state(np.array([1, 0, 0]), np.array([[0.9], [0.2], [0.6]]))
    assert float(metric.result()) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "name, cls",
    [("mse", metrics.MeanSquaredError), ("mae", metrics.MeanAbsoluteError),
     ("mean_squared_error", metrics.MeanSquaredError), ("mean_absolute_error", metrics.MeanAbsoluteError),
     ("categorical_accuracy", metrics.CategoricalAccuracy),
     ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
     ("binary_accuracy", metrics.BinaryAccuracy), ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
     ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
     ("MeanSquaredError", metrics.MeanSquaredError)],
)
def test_resolve_strings_keep_their_name(name, cls):
    metric = metrics.resolve(name, "mse", (None, 3))
    assert type(metric) is cls and metric.name == name


def test_resolve_instances_classes_functions_and_dicts():
    instance = metrics.TopKCategoricalAccuracy(k=2, name="top2")
    assert metrics.resolve(instance, "categorical_crossentropy", (None, 5)) is instance
    assert type(metrics.resolve(metrics.BinaryAccuracy)) is metrics.BinaryAccuracy
    from_function = metrics.resolve(metrics.sparse_categorical_accuracy)
    assert type(from_function) is metrics.SparseCategoricalAccuracy
    assert from_function.name == "sparse_categorical_accuracy"
    from_dict = metrics.resolve({"class_name": "BinaryAccuracy", "config": {"threshold": 0.3, "name": "ba"}})
    assert (from_dict.name, from_dict._fn_kwargs["threshold"]) == ("ba", 0.3)


def test_resolve_wraps_a_custom_function():
    def max_error(y_true, y_pred):
        from kerasette import ops

        return ops.max(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)

    metric = metrics.resolve(max_error, "mse", (None, 2))
    assert isinstance(metric, metrics.MeanMetricWrapper) and metric.name == "max_error"
    metric.update_state(np.array([[0.0, 1.0], [2.0, 2.0]]), np.array([[0.5, 1.0], [2.0, 5.0]]))
    assert float(metric.result()) == pytest.approx((0.5 + 3.0) / 2)


def test_get_gives_metric_instances():
    assert type(metrics.get("accuracy")) is metrics.Accuracy
    assert type(metrics.get("acc")) is metrics.Accuracy
    assert type(metrics.get("mse")) is metrics.MeanSquaredError
    assert type(metrics.get(metrics.mean_absolute_error)) is metrics.MeanAbsoluteError


@pytest.mark.parametrize("bad", ["accuracyy", "f1"])
def test_unknown_names_list_the_valid_ones(bad):
    with pytest.raises(ValueError, match=f"Unknown metric: '{bad}'") as info:
        metrics.resolve(bad, "mse", (None, 1))
    assert "'sparse_categorical_accuracy'" in str(info.value)


def test_bad_identifiers():
    with pytest.raises(ValueError, match="received None"):
        metrics.resolve(None)
    with pytest.raises(ValueError, match="Could not interpret metric"):
        metrics.get(3.5)


CONFIGURED = [
    metrics.Mean(name="avg"),
    metrics.Accuracy(name="exact"),
    metrics.BinaryAccuracy(threshold=0.3),
    metrics.CategoricalAccuracy(),
    metrics.SparseCategoricalAccuracy(name="acc"),
    metrics.TopKCategoricalAccuracy(k=3),
    metrics.SparseTopKCategoricalAccuracy(k=2, name="top2"),
    metrics.MeanSquaredError(),
    metrics.MeanAbsoluteError(name="mae"),
    metrics.MeanMetricWrapper(metrics.binary_accuracy, name="wrapped", threshold=0.2),
]


@pytest.mark.parametrize("metric", CONFIGURED, ids=lambda m: type(m).__name__)
def test_config_round_trip(metric):
    config = metrics.serialize(metric)
    assert config["class_name"] == type(metric).__name__
    clone = metrics.deserialize(config)
    assert type(clone) is type(metric) and clone.get_config() == metric.get_config()
    assert clone.name == metric.name and clone.variables[0] is not metric.variables[0]


def test_keras_configs():
    assert metrics.BinaryAccuracy().get_config() == {"name": "binary_accuracy", "dtype": "float32", "threshold": 0.5}
    assert metrics.SparseTopKCategoricalAccuracy().get_config() == {
        "name": "sparse_top_k_categorical_accuracy", "dtype": "float32", "k": 5}
    assert metrics.Mean().get_config() == {"name": "mean", "dtype": "float32"}


def test_docstring_examples():
    import doctest

    import kerasette.metrics
    import kerasette.metrics._base

    assert doctest.testmod(kerasette.metrics).failed == 0
    assert doctest.testmod(kerasette.metrics._base).failed == 0
