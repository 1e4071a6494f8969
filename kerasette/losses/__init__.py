"""Losses, named and parameterised as in ``keras.losses``.

``compile(loss="sparse_categorical_crossentropy")`` resolves through ``get``,
which always returns a ``Loss`` instance. A loss instance is called as
``loss(y_true, y_pred, sample_weight=None)`` and returns a scalar tensor;
``loss.check_targets(y_numpy, model.output_shape)`` validates labels before
training.

>>> from kerasette import losses
>>> loss = losses.get("mse")
>>> round(float(loss([[0.0], [1.0]], [[1.0], [1.0]])), 3)
0.5
"""

from kerasette.losses._base import (
    Loss,
    LossFunctionWrapper,
    reduce_weighted_values,
    registry,
    squeeze_or_expand_to_same_rank,
)
from kerasette.losses._crossentropy import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from kerasette.losses._ctc import CTC, ctc
from kerasette.losses._focal import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
)
from kerasette.losses._hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from kerasette.losses._probabilistic import KLDivergence, Poisson, kl_divergence, poisson
from kerasette.losses._regression import (
    Huber,
    MeanAbsoluteError,
    MeanSquaredError,
    huber,
    mean_absolute_error,
    mean_squared_error,
)
from kerasette.losses._relative import (
    LogCosh,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)
from kerasette.losses._segmentation import Dice, Tversky, dice, tversky
from kerasette.losses._similarity import Circle, CosineSimilarity, circle, cosine_similarity

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence

_FUNCTION_CLASSES = {
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    huber: Huber,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    log_cosh: LogCosh,
    cosine_similarity: CosineSimilarity,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
    dice: Dice,
    tversky: Tversky,
    circle: Circle,
    ctc: CTC,
}

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CTC",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
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
    "poisson",
    "reduce_weighted_values",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "squeeze_or_expand_to_same_rank",
    "tversky",
]


def get(identifier):
    """Resolve a loss for ``compile``: a name, a config dict, a ``Loss``, or a function.

    Names of functions (``"mse"``, ``"categorical_crossentropy"``) give an
    instance of the matching class; a plain function ``fn(y_true, y_pred)``
    returning per-sample losses is wrapped in ``LossFunctionWrapper``.

    Args:
        identifier: a name (``"sparse_categorical_crossentropy"``, ``"mse"``...), a
            ``{"class_name": ..., "config": ...}`` dict, a ``Loss`` class or instance, a function, or None.

    Returns:
        A ``Loss`` instance (None stays None).

    Raises:
        ValueError: for an unknown name (the message lists the valid names).

    Example:
        >>> from kerasette import losses
        >>> losses.get("mse")
        <MeanSquaredError name='mean_squared_error'>
        >>> type(losses.get(losses.categorical_crossentropy)).__name__
        'CategoricalCrossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict, type)):
        return registry.get(identifier)
    if isinstance(identifier, Loss):
        return identifier
    if callable(identifier):
        if identifier in _FUNCTION_CLASSES:
            return _FUNCTION_CLASSES[identifier]()
        return LossFunctionWrapper(identifier)
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def serialize(loss):
    """``{"class_name": ..., "config": ...}`` for a loss instance, a name for a built-in function.

    Args:
        loss: a ``Loss`` instance or a loss function.

    Returns:
        A JSON-friendly dict, or a function's name.

    Example:
        >>> from kerasette import losses
        >>> losses.serialize(losses.Huber(delta=2.0))["config"]["delta"]
        2.0
    """
    return registry.serialize(loss)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize``; names resolve as in ``get``.

    Args:
        config: a dict from ``serialize``, or a name.
        custom_objects: a dict of the user's classes and functions by name, or None.

    Returns:
        A loss.

    Raises:
        ValueError: for an unknown class name.
    """
    return registry.deserialize(config, custom_objects)
