"""Optimizers (``keras.optimizers``): the optimizer classes, their registry, and schedules.

SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Nadam, Adamax, Lion, Ftrl, Adafactor, Lamb, Muon and
ScheduleFreeAdamW; the ``LossScaleOptimizer`` and ``MultiOptimizer`` (with ``OptimizerMap``) wrappers.

``get("adam")`` returns a fresh ``Adam()``; ``serialize``/``deserialize``
round-trip ``{"class_name": ..., "config": ...}``.
"""

from kerasette.optimizers import schedules
from kerasette.optimizers.adadelta import Adadelta
from kerasette.optimizers.adafactor import Adafactor
from kerasette.optimizers.adagrad import Adagrad
from kerasette.optimizers.adam import Adam
from kerasette.optimizers.adamax import Adamax
from kerasette.optimizers.adamw import AdamW
from kerasette.optimizers.base import Optimizer, _registry
from kerasette.optimizers.ftrl import Ftrl
from kerasette.optimizers.lamb import Lamb
from kerasette.optimizers.lion import Lion
from kerasette.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kerasette.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from kerasette.optimizers.muon import Muon
from kerasette.optimizers.nadam import Nadam
from kerasette.optimizers.rmsprop import RMSprop
from kerasette.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from kerasette.optimizers.sgd import SGD


def serialize(optimizer):
    """``{"class_name": ..., "config": optimizer.get_config()}``.

    Args:
        optimizer: an ``Optimizer`` instance.

    Returns:
        A JSON-friendly dict (the optimizer's state is not included).

    Example:
        >>> from kerasette import optimizers
        >>> config = optimizers.serialize(optimizers.SGD(learning_rate=0.5))
        >>> config["class_name"], config["config"]["learning_rate"]
        ('SGD', 0.5)
    """
    return _registry.serialize(optimizer)


def deserialize(config, custom_objects=None):
    """An optimizer from ``serialize``'s output or a name; class names match case-insensitively.

    Args:
        config: a dict from ``serialize`` (ours or Keras's), or a name.
        custom_objects: a dict of the user's classes by name, or None.

    Returns:
        A new optimizer.

    Raises:
        ValueError: for an unknown class name.
    """
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        config = dict(config, class_name=_canonical(config["class_name"], custom_objects))
    elif isinstance(config, str):
        config = _canonical(config, custom_objects)
    return _registry.deserialize(config, custom_objects)


def get(identifier, custom_objects=None):
    """Resolve an optimizer from an instance, a name ("adam"), a config dict or a class.

    Args:
        identifier: an ``Optimizer`` instance (returned as is), a name, a dict from ``serialize`` or an
            ``Optimizer`` class (instantiated with its defaults).
        custom_objects: a dict of the user's classes by name, or None.

    Returns:
        An ``Optimizer``.

    Raises:
        ValueError: for unknown names (the message lists the known ones) and other identifiers.

    Example:
        >>> from kerasette import optimizers
        >>> opt = optimizers.get("adam")
        >>> type(opt).__name__, opt.learning_rate
        ('Adam', 0.001)
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
    "AdamW",
    "Nadam",
    "Adamax",
    "Lion",
    "Ftrl",
    "Adafactor",
    "Lamb",
    "LossScaleOptimizer",
    "Muon",
    "ScheduleFreeAdamW",
    "MultiOptimizer",
    "OptimizerMap",
    "schedules",
    "get",
    "serialize",
    "deserialize",
]
