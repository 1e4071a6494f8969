"""In-place optimizer updates: fused backend steps that write into Variables (not differentiable, not in ``ops``)."""

from __future__ import annotations

from typing import Sequence, Tuple

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, _shape
from kerasette.ops._types import TensorLike
from kerasette.ops.stateless import in_stateless_scope
from kerasette.ops.tensor import Tensor, Variable


def _check_update(op: str, variable: Variable, pairs: Sequence[Tuple[str, TensorLike]]) -> None:
    shape = variable.shape
    for name, value in pairs:
        if tuple(_shape(value)) != shape:
            raise ValueError(f"`{op}`: `{name}` has shape {tuple(_shape(value))}, expected {shape} (the variable's).")


def _fused(update, variable, gradient, slots, scalars):
    """``update(variable, gradient, *slots, *scalars)`` on the backend arrays, in place.

    Inside a ``StatelessScope`` it runs on copies and the scope records the results (the Variables stay as
    they were), as every other state update does there.
    """
    variables = [variable] + list(slots)
    if in_stateless_scope():
        arrays = [_backend().copy(v.data) for v in variables]
    else:
        arrays = [v.data for v in variables]
    update(arrays[0], _data(gradient), *arrays[1:], *scalars)
    if in_stateless_scope():
        for target, array in zip(variables, arrays):
            target.assign(Tensor(array))


def adam_update(
    variable: Variable,
    gradient: TensorLike,
    momentum: Variable,
    velocity: Variable,
    alpha: float,
    beta_1: float,
    beta_2: float,
    epsilon: float,
) -> Variable:
    """One Adam step, in place on the Variables ``variable``, ``momentum`` and ``velocity``.

    ``momentum += (gradient - momentum) * (1 - beta_1)``,
    ``velocity += (gradient**2 - velocity) * (1 - beta_2)``,
    ``variable -= momentum * alpha / (sqrt(velocity) + epsilon)``: the composite formula of
    ``optimizers.Adam`` with the same rounding, fused by the backend so no temporaries are allocated.

    Args:
        variable: the Variable updated.
        gradient: its gradient, of the variable's shape.
        momentum: the first-moment slot, of the variable's shape.
        velocity: the second-moment slot, of the variable's shape.
        alpha: the step size with the bias correction folded in.
        beta_1: the decay of the first moment.
        beta_2: the decay of the second moment.
        epsilon: the constant added to ``sqrt(velocity)``.

    Returns:
        ``variable``.

    Raises:
        ValueError: when a shape differs from the variable's.
    """
    _check_update("adam_update", variable, [("gradient", gradient), ("momentum", momentum), ("velocity", velocity)])
    _fused(_backend().adam_update, variable, gradient, [momentum, velocity],
           [float(alpha), float(beta_1), float(beta_2), float(epsilon)])
    return variable


def rmsprop_update(
    variable: Variable,
    gradient: TensorLike,
    velocity: Variable,
    learning_rate: float,
    rho: float,
    epsilon: float,
) -> Variable:
    """One plain RMSprop step, in place on the Variables ``variable`` and ``velocity``.

    ``velocity = velocity * rho + gradient**2 * (1 - rho)``,
    ``variable -= gradient * learning_rate / sqrt(velocity + epsilon)``, with the rounding of the
    composite formula in ``optimizers.RMSprop``.

    Args:
        variable: the Variable updated.
        gradient: its gradient, of the variable's shape.
        velocity: the running mean of squared gradients, of the variable's shape.
        learning_rate: the step size.
        rho: the decay of ``velocity``.
        epsilon: the constant added under the square root.

    Returns:
        ``variable``.

    Raises:
        ValueError: when a shape differs from the variable's.
    """
    _check_update("rmsprop_update", variable, [("gradient", gradient), ("velocity", velocity)])
    _fused(_backend().rmsprop_update, variable, gradient, [velocity],
           [float(learning_rate), float(rho), float(epsilon)])
    return variable


def swap_values(first: Variable, second: Variable) -> None:
    """Exchange the values of two Variables of one shape, in place (one copy on the backend, no host transfer).

    ``SwapEMAWeights`` uses it to put an optimizer's moving averages into the model and back.

    Args:
        first: a Variable.
        second: a Variable of the same shape.

    Raises:
        ValueError: when the shapes differ.
    """
    _check_update("swap_values", first, [("second", second)])
    saved = _backend().copy(first.data)
    first.assign(second)
    second.assign(saved)
