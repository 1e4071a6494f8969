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

from kerasette.losses import binary_focal_crossentropy, categorical_focal_crossentropy
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
from kerasette.metrics._at_constraint import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from kerasette.metrics._auc import AUC
from kerasette.metrics._base import Mean, MeanMetricWrapper, Metric, registry, safe_divide
from kerasette.metrics._confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from kerasette.metrics._correlation import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from kerasette.metrics._f_score import F1Score, FBetaScore
from kerasette.metrics._hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from kerasette.metrics._iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from kerasette.metrics._probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from kerasette.metrics._r2_score import R2Score
from kerasette.metrics._regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    huber,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)
from kerasette.metrics._sum import Sum

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence

__all__ = [
    "AUC",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "ConcordanceCorrelation",
    "CosineSimilarity",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "OneHotIoU",
    "OneHotMeanIoU",
    "PearsonCorrelation",
    "Poisson",
    "Precision",
    "PrecisionAtRecall",
    "R2Score",
    "Recall",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "concordance_correlation",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "pearson_correlation",
    "poisson",
    "resolve",
    "safe_divide",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
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
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    log_cosh: LogCoshError,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    pearson_correlation: PearsonCorrelation,
    concordance_correlation: ConcordanceCorrelation,
}


def get(identifier):
    """A ``Metric`` from a name, a config dict, a class, an instance or a function.

    A function of ``kerasette.metrics`` gives an instance of the matching class; another function
    ``fn(y_true, y_pred)`` is wrapped in ``MeanMetricWrapper``. Use ``resolve`` for what
    ``compile(metrics=[...])`` does with ``"accuracy"``.

    Args:
        identifier: a name (``"sparse_categorical_accuracy"``, ``"mae"``...), a
            ``{"class_name": ..., "config": ...}`` dict, a ``Metric`` class or instance, or a function.

    Returns:
        A ``Metric`` instance.

    Raises:
        ValueError: for an unknown name (the message lists the valid names) or an
            identifier that is not a metric.

    Example:
        >>> from kerasette import metrics
        >>> metrics.get("mae")
        <MeanAbsoluteError name='mean_absolute_error'>
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
        try:
            return cls(name=identifier)
        except TypeError as error:  # IoU(num_classes, target_class_ids), PrecisionAtRecall(recall)...
            raise ValueError(f"The metric {identifier!r} cannot be built from its name alone ({error}). Pass an "
                             f"instance instead, e.g. `metrics.{cls.__name__}(...)`.") from None
    return get(identifier)


def serialize(metric):
    """``{"class_name": ..., "config": ...}`` for a metric instance.

    Args:
        metric: a ``Metric`` instance.

    Returns:
        A JSON-friendly dict.
    """
    return registry.serialize(metric)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name).

    Args:
        config: a dict from ``serialize``, or a name.
        custom_objects: a dict of the user's classes and functions by name, or None.

    Returns:
        A new ``Metric`` with fresh state.

    Raises:
        ValueError: for an unknown class name.
    """
    return registry.deserialize(config, custom_objects)
