"""Weight regularizers, named and parameterised as in ``keras.regularizers``.

A regularizer maps a weight tensor to a scalar penalty that the model adds to
its loss: ``Dense(10, kernel_regularizer="l2")`` or ``L2(1e-4)``.

>>> from kerasette import ops, regularizers
>>> float(regularizers.L1(0.5)(ops.convert_to_tensor([1.0, -2.0])))
1.5
"""

import math

from kerasette import ops
from kerasette.registry import Registry

_registry = Registry("regularizer")


def _factor(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a non-negative float. Received: {name}={value!r}"
        )
    return float(value)


@_registry.register()
class Regularizer:
    """Base class: ``regularizer(weight)`` returns a scalar penalty tensor."""

    def __call__(self, weight):
        return ops.zeros((), dtype=ops.convert_to_tensor(weight).dtype)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Rebuild a regularizer from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@_registry.register("l1")
class L1(Regularizer):
    """Penalty ``l1 * sum(|w|)``.

    Raises:
        ValueError: if ``l1`` is negative or not a finite number.
    """

    def __init__(self, l1=0.01):
        self.l1 = _factor(l1, "l1")

    def __call__(self, weight):
        return ops.multiply(ops.sum(ops.abs(weight)), self.l1)

    def get_config(self):
        return {"l1": self.l1}


@_registry.register("l2")
class L2(Regularizer):
    """Penalty ``l2 * sum(w ** 2)``.

    Raises:
        ValueError: if ``l2`` is negative or not a finite number.
    """

    def __init__(self, l2=0.01):
        self.l2 = _factor(l2, "l2")

    def __call__(self, weight):
        return ops.multiply(ops.sum(ops.square(weight)), self.l2)

    def get_config(self):
        return {"l2": self.l2}


@_registry.register("l1_l2")
class L1L2(Regularizer):
    """Penalty ``l1 * sum(|w|) + l2 * sum(w ** 2)`` (both factors default to 0).

    Raises:
        ValueError: if a factor is negative or not a finite number.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, weight):
        penalty = ops.multiply(ops.sum(ops.abs(weight)), self.l1)
        return ops.add(penalty, ops.multiply(ops.sum(ops.square(weight)), self.l2))

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def get(identifier):
    """Resolve a regularizer from a name (``"l2"`` gives ``L2()``), a config, a class or a callable.

    Raises:
        ValueError: for an unknown name (the message lists the valid names).
    """
    return _registry.get(identifier)


def serialize(regularizer):
    """``{"class_name": ..., "config": ...}`` for a regularizer instance."""
    return _registry.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name)."""
    return _registry.deserialize(config, custom_objects)
