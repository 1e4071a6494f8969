"""Weight constraints, named and parameterised as in ``keras.constraints``.

A constraint is a projection the optimizer applies to a weight after each update:
``Dense(10, kernel_constraint="non_neg")`` or ``kernel_constraint=MaxNorm(2.0)``. As in Keras 3,
``Optimizer.apply`` runs ``variable.assign(variable.constraint(variable))`` for every updated variable
that has one (``Layer.add_weight(constraint=...)`` sets it).

>>> from kerasette import constraints, ops
>>> constraints.NonNeg()(ops.convert_to_tensor([-1.0, 2.0])).numpy().tolist()
[0.0, 2.0]
"""

import numbers

from kerasette import config, ops
from kerasette.registry import Registry

_registry = Registry("constraint")


def _axis(value):
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)) and value and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value
    ):
        return [int(v) for v in value]
    raise ValueError(f"Invalid value for argument `axis`. Expected an int or a list of ints. Received: axis={value!r}")


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Invalid value for argument `{name}`. Expected a number. Received: {name}={value!r}")
    return value


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=True))


@_registry.register("constraint")
class Constraint:
    """Base class for weight constraints: ``constraint(w)`` returns the projected weight.

    Subclasses override ``__call__`` (and ``get_config`` when they take arguments); the base returns ``w``
    unchanged.

    Example:
        >>> from kerasette import constraints, ops
        >>> class Clip01(constraints.Constraint):
        ...     def __call__(self, w):
        ...         return ops.clip(w, 0.0, 1.0)
        >>> Clip01()(ops.convert_to_tensor([-1.0, 0.5, 3.0])).numpy().tolist()
        [0.0, 0.5, 1.0]
    """

    def __call__(self, w):
        """Return the projection of ``w``.

        Args:
            w: the weight (a tensor or variable).

        Returns:
            A tensor of the same shape.
        """
        return w

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict.

        Returns:
            A dict such that ``type(self).from_config(config)`` makes an equivalent constraint.
        """
        return {}

    @classmethod
    def from_config(cls, config):
        """Create a constraint from the output of ``get_config``.

        Args:
            config: a dict of constructor arguments.

        Returns:
            A new constraint.
        """
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@_registry.register("max_norm")
class MaxNorm(Constraint):
    """Constrains the weights incident to each unit to have a norm at most ``max_value``.

    Each slice along ``axis`` is rescaled by ``clip(norm, 0, max_value) / (epsilon + norm)``.

    Args:
        max_value: the maximum norm. Defaults to 2.
        axis: int or list of ints, the axes the norms are computed over. For a Dense kernel
            ``(input_dim, units)`` the default 0 constrains each unit's incoming weights; for a Conv2D kernel
            ``(rows, cols, in, filters)`` use ``[0, 1, 2]``.

    Example:
        >>> from kerasette import constraints, ops
        >>> w = ops.convert_to_tensor([[3.0, 0.3], [4.0, 0.4]])
        >>> [[round(v, 4) for v in row] for row in constraints.MaxNorm(1.0)(w).numpy().tolist()]
        [[0.6, 0.3], [0.8, 0.4]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = _number(max_value, "max_value")
        self.axis = _axis(axis)

    def __call__(self, w):
        """Return the projection of ``w``.

        Args:
            w: the weight (a tensor or variable).

        Returns:
            A tensor of the same shape.
        """
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0.0, float(self.max_value))
        return ops.multiply(w, ops.divide(desired, ops.add(norms, config.epsilon())))

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"max_value": self.max_value, "axis": self.axis}


@_registry.register("non_neg")
class NonNeg(Constraint):
    """Constrains the weights to be non-negative: ``maximum(w, 0)``."""

    def __call__(self, w):
        """Return the projection of ``w``.

        Args:
            w: the weight (a tensor or variable).

        Returns:
            A tensor of the same shape.
        """
        return ops.maximum(ops.convert_to_tensor(w), 0.0)


@_registry.register("unit_norm")
class UnitNorm(Constraint):
    """Constrains the weights incident to each unit to have unit norm: ``w / (epsilon + norm)``.

    Args:
        axis: int or list of ints, the axes the norms are computed over (see ``MaxNorm``). Defaults to 0.
    """

    def __init__(self, axis=0):
        self.axis = _axis(axis)

    def __call__(self, w):
        """Return the projection of ``w``.

        Args:
            w: the weight (a tensor or variable).

        Returns:
            A tensor of the same shape.
        """
        w = ops.convert_to_tensor(w)
        return ops.divide(w, ops.add(_norms(w, self.axis), config.epsilon()))

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"axis": self.axis}


@_registry.register("min_max_norm")
class MinMaxNorm(Constraint):
    """Constrains the norm of the weights incident to each unit to lie in ``[min_value, max_value]``.

    Each slice along ``axis`` is rescaled to the norm ``rate * clip(norm, min_value, max_value) +
    (1 - rate) * norm``: ``rate=1`` enforces the bounds strictly, a smaller rate moves towards them at each
    step.

    Args:
        min_value: the minimum norm. Defaults to 0.
        max_value: the maximum norm. Defaults to 1.
        rate: the rate of enforcement, in [0, 1]. Defaults to 1.
        axis: int or list of ints, the axes the norms are computed over (see ``MaxNorm``). Defaults to 0.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = _number(min_value, "min_value")
        self.max_value = _number(max_value, "max_value")
        self.rate = _number(rate, "rate")
        self.axis = _axis(axis)

    def __call__(self, w):
        """Return the projection of ``w``.

        Args:
            w: the weight (a tensor or variable).

        Returns:
            A tensor of the same shape.
        """
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = ops.clip(norms, float(self.min_value), float(self.max_value))
        desired = ops.add(ops.multiply(clipped, float(self.rate)), ops.multiply(norms, 1.0 - self.rate))
        return ops.multiply(w, ops.divide(desired, ops.add(norms, config.epsilon())))

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


# Keras's function-style names are the classes themselves.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm


def get(identifier):
    """Resolve a constraint from a name, a config dict, a class, an instance or a callable.

    Args:
        identifier: None, a name (``"max_norm"``, ``"MaxNorm"``, ``"non_neg"``...), a config dict from
            ``serialize`` or a Keras file, a class, or a callable (returned as is).

    Returns:
        A constraint (None stays None).

    Raises:
        ValueError: for an unknown name or an identifier that is not a constraint.

    Example:
        >>> from kerasette import constraints
        >>> constraints.get("max_norm")
        MaxNorm(max_value=2, axis=0)
    """
    return _registry.get(identifier)


def serialize(constraint):
    """``{"class_name": ..., "config": ...}`` for a constraint instance (None stays None).

    Args:
        constraint: a constraint with ``get_config``.

    Returns:
        The config dict.

    Example:
        >>> from kerasette import constraints
        >>> constraints.serialize(constraints.UnitNorm(axis=1))
        {'class_name': 'UnitNorm', 'config': {'axis': 1}}
    """
    return _registry.serialize(constraint)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name).

    Args:
        config: a name or a ``{"class_name", "config"}`` dict.
        custom_objects: a dict of the user's constraint classes by name, or None.

    Returns:
        A new constraint.

    Raises:
        ValueError: for an unknown class name or a malformed config.
    """
    return _registry.deserialize(config, custom_objects)


__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get", "max_norm", "min_max_norm",
    "non_neg", "serialize", "unit_norm",
]
