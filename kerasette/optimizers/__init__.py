"""Optimizers (``keras.optimizers``): SGD, Adam, RMSprop, Adagrad, Adadelta, and schedules.

``get("adam")`` returns a fresh ``Adam()``; ``serialize``/``deserialize``
round-trip ``{"class_name": ..., "config": ...}``.
"""

from kerasette.optimizers import schedules
from kerasette.optimizers.adadelta import Adadelta
from kerasette.optimizers.adagrad import Adagrad
from kerasette.optimizers.adam import Adam
from kerasette.optimizers.base import Optimizer, _registry
from kerasette.optimizers.rmsprop import RMSprop
from kerasette.optimizers.sgd import SGD


def serialize(optimizer):
    """``{"class_name": ..., "config": optimizer.get_config()}``."""
    return _registry.serialize(optimizer)


def deserialize(config, custom_objects=None):
    """An optimizer from ``serialize``'s output or a name; class names match case-insensitively."""
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        config = dict(config, class_name=_canonical(config["class_name"], custom_objects))
    elif isinstance(config, str):
        config = _canonical(config, custom_objects)
    return _registry.deserialize(config, custom_objects)


def get(identifier, custom_objects=None):
    """Resolve an optimizer from an instance, a name ("adam"), a config dict or a class.

    Raises:
        ValueError: for unknown names (the message lists the known ones) and other identifiers.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier, custom_objects)
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. "
        f"Expected an Optimizer instance, a name (one of {_registry.names()}) or a config dict."
    )


def _canonical(name, custom_objects):
    if (custom_objects and name in custom_objects) or name in _registry.names():
        return name
    return name.lower() if name.lower() in _registry.names() else name


__all__ = [
    "Optimizer",
    "SGD",
    "Adam",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "schedules",
    "get",
    "serialize",
    "deserialize",
]
