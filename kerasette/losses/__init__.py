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
from kerasette.losses._regression import (
    Huber,
    MeanAbsoluteError,
    MeanSquaredError,
    huber,
    mean_absolute_error,
    mean_squared_error,
)

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_FUNCTION_CLASSES = {
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    huber: Huber,
}

__all__ = [
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "Huber",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "SparseCategoricalCrossentropy",
    "binary_crossentropy",
    "categorical_crossentropy",
    "deserialize",
    "get",
    "huber",
    "mae",
    "mean_absolute_error",
    "mean_squared_error",
    "mse",
    "reduce_weighted_values",
    "serialize",
    "sparse_categorical_crossentropy",
    "squeeze_or_expand_to_same_rank",
]


def get(identifier):
    """Resolve a loss for ``compile``: a name, a config dict, a ``Loss``, or a function.

    Names of functions (``"mse"``, ``"categorical_crossentropy"``) give an
    instance of the matching class; a plain function ``fn(y_true, y_pred)``
    returning per-sample losses is wrapped in ``LossFunctionWrapper``.

    Returns:
        A ``Loss`` instance (None stays None).

    Raises:
        ValueError: for an unknown name (the message lists the valid names).
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
    """``{"class_name": ..., "config": ...}`` for a loss instance, a name for a built-in function."""
    return registry.serialize(loss)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize``; names resolve as in ``get``."""
    return registry.deserialize(config, custom_objects)
