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
from kerasette.initializers._stft import STFT
from kerasette.initializers._structured import Identity, Orthogonal

registry.register("one")(Ones)  # Keras's extra aliases
registry.register("zero")(Zeros)

# Keras's function-style names and compatibility aliases are the classes themselves.
constant, ones, zeros, identity, orthogonal = Constant, Ones, Zeros, Identity, Orthogonal
glorot_normal, glorot_uniform, he_normal, he_uniform = GlorotNormal, GlorotUniform, HeNormal, HeUniform
lecun_normal, lecun_uniform, variance_scaling = LecunNormal, LecunUniform, VarianceScaling
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal
STFTInitializer = stft = STFT

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFT",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "stft",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]


def get(identifier):
    """Resolve an initializer from a name, a config dict, a class, an instance or a callable.

    Args:
        identifier: a name (``"he_normal"``), a dict from ``serialize``, a class (instantiated with its
            defaults), an instance or a callable (returned as is), or None.

    Returns:
        An initializer (None stays None).

    Raises:
        ValueError: for an unknown name (the message lists the valid names).
    """
    return registry.get(identifier)


def serialize(initializer):
    """``{"class_name": ..., "config": ...}`` for an initializer instance.

    Args:
        initializer: an ``Initializer`` instance.

    Returns:
        A JSON-friendly dict.

    Example:
        >>> from kerasette import initializers
        >>> initializers.serialize(initializers.HeNormal(seed=1))
        {'class_name': 'HeNormal', 'config': {'seed': 1}}
    """
    return registry.serialize(initializer)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name).

    Args:
        config: a dict from ``serialize``, or a name.
        custom_objects: a dict of the user's classes by name, or None.

    Returns:
        A new initializer.

    Raises:
        ValueError: for an unknown class name.
    """
    return registry.deserialize(config, custom_objects)
