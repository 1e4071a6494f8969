"""Weight initializers, named and parameterised as in ``keras.initializers``.

``Dense(10, kernel_initializer="he_normal")`` resolves the name through ``get``.

>>> from kerasette import initializers
>>> initializers.get("glorot_uniform")((784, 10)).shape
(784, 10)
"""

from kerasette.initializers._base import Constant, Initializer, Ones, Zeros, registry
from kerasette.initializers._random import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "deserialize",
    "get",
    "serialize",
]


def get(identifier):
    """Resolve an initializer from a name, a config dict, a class, an instance or a callable.

    Returns:
        An initializer (None stays None).

    Raises:
        ValueError: for an unknown name (the message lists the valid names).
    """
    return registry.get(identifier)


def serialize(initializer):
    """``{"class_name": ..., "config": ...}`` for an initializer instance."""
    return registry.serialize(initializer)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name)."""
    return registry.deserialize(config, custom_objects)
