"""In-place optimizer updates: fused backend steps that write into Variables (not differentiable, not in ``ops``)."""

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, _shape


def _check_update(op, variable, pairs):
    shape = variable.shape
    for name, value in pairs:
        if tuple(_shape(value)) != shape:
            raise ValueError(f"`{op}`: `{name}` has shape {tuple(_shape(value))}, expected {shape} (the variable's).")


def adam_update(variable, gradient, momentum, velocity, alpha, beta_1, beta_2, epsilon):
    """One Adam step, in place on the Variables ``variable``, ``momentum`` and ``velocity``.

    ``momentum += (gradient - momentum) * (1 - beta_1)``,
    ``velocity += (gradient**2 - velocity) * (1 - beta_2)``,
    ``variable -= momentum * alpha / (sqrt(velocity) + epsilon)``: the composite formula of
    ``optimizers.Adam`` with the same rounding, fused by the backend so no temporaries are allocated.
    """
    _check_update("adam_update", variable, [("gradient", gradient), ("momentum", momentum), ("velocity", velocity)])
    _backend().adam_update(variable.data, _data(gradient), momentum.data, velocity.data, float(alpha),
                           float(beta_1), float(beta_2), float(epsilon))
    return variable


def rmsprop_update(variable, gradient, velocity, learning_rate, rho, epsilon):
    """One plain RMSprop step, in place on the Variables ``variable`` and ``velocity``.

    ``velocity = velocity * rho + gradient**2 * (1 - rho)``,
    ``variable -= gradient * learning_rate / sqrt(velocity + epsilon)``, with the rounding of the
    composite formula in ``optimizers.RMSprop``.
    """
    _check_update("rmsprop_update", variable, [("gradient", gradient), ("velocity", velocity)])
    _backend().rmsprop_update(variable.data, _data(gradient), velocity.data, float(learning_rate), float(rho),
                              float(epsilon))
    return variable
