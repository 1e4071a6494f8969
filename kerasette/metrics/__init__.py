"""Metrics, named and parameterised as in ``keras.metrics``.

``compile(metrics=["accuracy"])`` turns each entry into a ``Metric`` with
``resolve``; the training loop calls ``update_state(y_true, y_pred)`` each
step, reads ``result()`` for the logs, and ``reset_state()`` each epoch.

>>> from kerasette import metrics
>>> m = metrics.resolve("accuracy", loss="sparse_categorical_crossentropy", output_shape=(None, 3))
>>> m.update_state([2, 0], [[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]])
>>> m.name, float(m.result())
('accuracy', 0.5)
"""

from kerasette.metrics._accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    MeanAbsoluteError,
    MeanSquaredError,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from kerasette.metrics._base import Mean, MeanMetricWrapper, Metric, registry, safe_divide

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "Mean",
    "MeanAbsoluteError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "Metric",
    "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "deserialize",
    "get",
    "mae",
    "mean_absolute_error",
    "mean_squared_error",
    "mse",
    "resolve",
    "safe_divide",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]

_FUNCTION_CLASSES = {
    accuracy: Accuracy,
    binary_accuracy: BinaryAccuracy,
    categorical_accuracy: CategoricalAccuracy,
    sparse_categorical_accuracy: SparseCategoricalAccuracy,
    top_k_categorical_accuracy: TopKCategoricalAccuracy,
    sparse_top_k_categorical_accuracy: SparseTopKCategoricalAccuracy,
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
}


def get(identifier):
    """A ``Metric`` from a name, a config dict, a class, an instance or a function.

    Raises:
        ValueError: for an unknown name (the message lists the valid names) or an
            identifier that is not a metric.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, (str, dict)) or (isinstance(identifier, type) and issubclass(identifier, Metric)):
        return registry.get(identifier)
    if callable(identifier) and not isinstance(identifier, type):
        cls = _FUNCTION_CLASSES.get(identifier)
        return cls() if cls else MeanMetricWrapper(identifier)
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def _accuracy_class(loss, output_shape, target_shape):
    from kerasette import losses

    loss = losses.get(loss) if loss is not None else None
    fn = getattr(loss, "fn", None)
    if isinstance(loss, losses.BinaryCrossentropy) or fn is losses.binary_crossentropy:
        return BinaryAccuracy
    if output_shape is not None and len(output_shape) and output_shape[-1] == 1:
        return BinaryAccuracy
    if isinstance(loss, losses.SparseCategoricalCrossentropy) or fn is losses.sparse_categorical_crossentropy:
        return SparseCategoricalAccuracy
    if target_shape is not None and output_shape is not None:
        if len(target_shape) < len(output_shape) or (len(target_shape) and target_shape[-1] == 1):
            return SparseCategoricalAccuracy
    return CategoricalAccuracy


def resolve(identifier, loss=None, output_shape=None, target_shape=None):
    """The ``Metric`` that ``compile(metrics=[identifier])`` should track.

    ``"accuracy"``/``"acc"`` picks as Keras does: binary accuracy for a binary
    cross-entropy loss or a one-unit output, sparse categorical accuracy for a
    sparse categorical cross-entropy loss (or, with another loss, integer
    targets as ``target_shape`` shows), else categorical accuracy. A string's
    metric keeps the string as its name, so History keys are what the user wrote.

    Args:
        identifier: a name, a ``Metric`` (class or instance), a config dict or a function.
        loss: the compiled loss (name, ``Loss`` or function), or None.
        output_shape: the model output's shape, batch as None.
        target_shape: optional shape of the targets, used only to tell sparse labels apart.

    Returns:
        A ``Metric`` instance.

    Raises:
        ValueError: for an unknown name or an identifier that is not a metric.
    """
    if identifier is None:
        raise ValueError("Expected a metric, received None.")
    if isinstance(identifier, str):
        if identifier.lower() in ("accuracy", "acc"):
            return _accuracy_class(loss, output_shape, target_shape)(name=identifier)
        cls = registry.lookup(identifier)
        return cls(name=identifier)
    return get(identifier)


def serialize(metric):
    """``{"class_name": ..., "config": ...}`` for a metric instance."""
    return registry.serialize(metric)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name)."""
    return registry.deserialize(config, custom_objects)
