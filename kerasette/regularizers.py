"""Weight regularizers, named and parameterised as in ``keras.regularizers``.

A regularizer maps a weight tensor to a scalar penalty that the model adds to
its loss: ``Dense(10, kernel_regularizer="l2")`` or ``L2(1e-4)``.

>>> from kerasette import ops, regularizers
>>> float(regularizers.L1(0.5)(ops.convert_to_tensor([1.0, -2.0])))
1.5
"""

import math

import numpy as np

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
    """Base class: ``regularizer(weight)`` returns a scalar penalty tensor.

    The base class itself is the zero penalty; subclasses implement ``__call__`` and, when they take
    arguments, ``get_config``.

    Example:
        >>> from kerasette import ops, regularizers
        >>> class MaxAbs(regularizers.Regularizer):
        ...     def __call__(self, weight):
        ...         return ops.max(ops.abs(weight))
        >>> float(MaxAbs()(ops.convert_to_tensor([1.0, -3.0])))
        3.0
    """

    def __call__(self, weight):
        """The penalty for ``weight``, a scalar tensor (0 for the base class).

        Args:
            weight: the weight tensor.

        Returns:
            A scalar Tensor.
        """
        return ops.zeros((), dtype=ops.convert_to_tensor(weight).dtype)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Rebuild a regularizer from ``get_config()``'s output.

        Args:
            config: a dict from ``get_config``.

        Returns:
            A new regularizer.
        """
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@_registry.register("l1")
class L1(Regularizer):
    """Penalty ``l1 * sum(|w|)``.

    Args:
        l1: the L1 factor, a non-negative float.

    Raises:
        ValueError: if ``l1`` is negative or not a finite number.

    Example:
        >>> from kerasette import layers, regularizers
        >>> dense = layers.Dense(10, kernel_regularizer=regularizers.L1(1e-4))
    """

    def __init__(self, l1=0.01):
        self.l1 = _factor(l1, "l1")

    def __call__(self, weight):
        """The penalty for ``weight``, a scalar tensor."""
        return ops.multiply(ops.sum(ops.abs(weight)), self.l1)

    def get_config(self):
        """``{"l1": l1}``."""
        return {"l1": self.l1}


@_registry.register("l2")
class L2(Regularizer):
    """Penalty ``l2 * sum(w ** 2)``.

    Args:
        l2: the L2 factor, a non-negative float.

    Raises:
        ValueError: if ``l2`` is negative or not a finite number.

    Example:
        >>> from kerasette import ops, regularizers
        >>> float(regularizers.L2(0.5)(ops.convert_to_tensor([1.0, -2.0])))
        2.5
    """

    def __init__(self, l2=0.01):
        self.l2 = _factor(l2, "l2")

    def __call__(self, weight):
        """The penalty for ``weight``, a scalar tensor."""
        return ops.multiply(ops.sum(ops.square(weight)), self.l2)

    def get_config(self):
        """``{"l2": l2}``."""
        return {"l2": self.l2}


@_registry.register("l1_l2")
class L1L2(Regularizer):
    """Penalty ``l1 * sum(|w|) + l2 * sum(w ** 2)`` (both factors default to 0).

    Args:
        l1: the L1 factor, a non-negative float (None counts as 0).
        l2: the L2 factor, a non-negative float (None counts as 0).

    Raises:
        ValueError: if a factor is negative or not a finite number.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, weight):
        """The penalty for ``weight``, a scalar tensor."""
        penalty = ops.multiply(ops.sum(ops.abs(weight)), self.l1)
        return ops.add(penalty, ops.multiply(ops.sum(ops.square(weight)), self.l2))

    def get_config(self):
        """``{"l1": l1, "l2": l2}``."""
        return {"l1": self.l1, "l2": self.l2}


@_registry.register("orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Penalty pushing the rows (or columns) of a 2-D weight towards mutual orthogonality.

    The rows (``mode="rows"``) or columns are L2-normalized (norms below ``epsilon()`` taken as
    ``epsilon()``); the penalty is ``factor * 0.5 * mean |<r_i, r_j>|`` over the pairs ``i != j``
    (the sum of the off-diagonal dot products divided by the number of pairs), as Keras computes it.

    Args:
        factor: the penalty factor, a non-negative float. Defaults to 0.01.
        mode: ``"rows"`` or ``"columns"``. Defaults to ``"rows"``.

    Raises:
        ValueError: ``factor`` is negative or not finite, or ``mode`` is neither value; calling it on a
            weight that is not 2-D.

    Example:
        >>> from kerasette import ops, regularizers
        >>> penalty = regularizers.OrthogonalRegularizer(factor=1.0)
        >>> round(float(penalty(ops.convert_to_tensor([[1.0, 0.0], [1.0, 1.0]]))), 4)
        0.7071
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _factor(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(f'Invalid value for argument `mode`. Expected one of {{"rows", "columns"}}. '
                             f"Received: mode={mode!r}")
        self.mode = mode

    def __call__(self, weight):
        """The penalty for ``weight``, a scalar tensor."""
        from kerasette import config

        weight = ops.convert_to_tensor(weight)
        if weight.ndim != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={weight.shape}")
        axis = 1 if self.mode == "rows" else 0
        norms = ops.sqrt(ops.sum(ops.square(weight), axis=axis, keepdims=True))
        unit = ops.divide(weight, ops.maximum(norms, config.epsilon()))
        product = ops.matmul(unit, ops.transpose(unit)) if axis == 1 else ops.matmul(ops.transpose(unit), unit)
        size = weight.shape[1 - axis]
        off_diagonal = ops.convert_to_tensor(1.0 - np.eye(size), weight.dtype)
        pairs = size * (size - 1.0) / 2.0
        total = ops.sum(ops.abs(ops.multiply(product, off_diagonal)))
        return ops.multiply(ops.divide(total, pairs), self.factor * 0.5)

    def get_config(self):
        """``{"factor": factor, "mode": mode}``."""
        return {"factor": self.factor, "mode": self.mode}


def get(identifier):
    """Resolve a regularizer from a name (``"l2"`` gives ``L2()``), a config, a class or a callable.

    Args:
        identifier: a name, a dict from ``serialize``, a class (instantiated with its defaults), an
            instance or a callable (returned as is), or None.

    Returns:
        A regularizer, or None.

    Raises:
        ValueError: for an unknown name (the message lists the valid names).
    """
    return _registry.get(identifier)


def serialize(regularizer):
    """``{"class_name": ..., "config": ...}`` for a regularizer instance.

    Args:
        regularizer: a ``Regularizer`` instance.

    Returns:
        A JSON-friendly dict.

    Example:
        >>> from kerasette import regularizers
        >>> regularizers.serialize(regularizers.L2(0.001))
        {'class_name': 'L2', 'config': {'l2': 0.001}}
    """
    return _registry.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize`` (also accepts a name).

    Args:
        config: a dict from ``serialize``, or a name.
        custom_objects: a dict of the user's classes by name, or None.

    Returns:
        A new regularizer.

    Raises:
        ValueError: for an unknown class name.
    """
    return _registry.deserialize(config, custom_objects)


# Keras 3's lowercase names are the classes themselves: ``regularizers.l2(1e-4)`` is ``L2(1e-4)``.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer
