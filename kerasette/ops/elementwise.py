"""Differentiable elementwise ops: arithmetic with broadcasting, comparisons, and unary math."""

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _PY_SCALARS, _data, _shape, _unary, _unary_using_output
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.shapes import _unbroadcast
from kerasette.ops.tensor import Tensor


def _binary(primitive, a, b, grad_a, grad_b):
    out = getattr(_backend(), primitive)(_data(a), _data(b))
    fns = [
        (lambda g: _unbroadcast(grad_a(g), _shape(a))) if grad_a else None,
        (lambda g: _unbroadcast(grad_b(g), _shape(b))) if grad_b else None,
    ]
    return make_tensor(out, (a, b), fns)


# ----- binary --------------------------------------------------------------
def add(a, b):
    return _binary("add", a, b, lambda g: g, lambda g: g)


def subtract(a, b):
    return _binary("subtract", a, b, lambda g: g, negative)


def multiply(a, b):
    return _binary("multiply", a, b, lambda g: multiply(g, b), lambda g: multiply(g, a))


def divide(a, b):
    return _binary(
        "divide", a, b, lambda g: divide(g, b), lambda g: negative(divide(multiply(g, a), square(b)))
    )


true_divide = divide


def power(a, b):
    def grad_b(g):
        log_a = log(a) if isinstance(a, Tensor) else float(np.log(a))  # a Python float stays weak
        return multiply(g, multiply(power(a, b), log_a))

    def grad_a(g):
        b_minus_1 = b - 1 if isinstance(b, _PY_SCALARS) else subtract(b, 1)
        return multiply(g, multiply(b, power(a, b_minus_1)))

    return _binary("power", a, b, grad_a, grad_b)


def _select(g, condition):
    """``g`` where ``condition`` holds, else 0 (used in gradients, never recorded)."""
    return Tensor(_backend().where(_data(condition), g.data, 0.0))


def maximum(a, b):
    return _binary(
        "maximum", a, b, lambda g: _select(g, greater_equal(a, b)), lambda g: _select(g, less(a, b))
    )


def minimum(a, b):
    return _binary(
        "minimum", a, b, lambda g: _select(g, less_equal(a, b)), lambda g: _select(g, greater(a, b))
    )


def _comparison(primitive):
    def op(a, b):
        return Tensor(getattr(_backend(), primitive)(_data(a), _data(b)))

    op.__name__ = primitive
    op.__doc__ = f"Elementwise {primitive} (not differentiable)."
    return op


equal = _comparison("equal")
not_equal = _comparison("not_equal")
greater = _comparison("greater")
greater_equal = _comparison("greater_equal")
less = _comparison("less")
less_equal = _comparison("less_equal")
logical_and = _comparison("logical_and")


def where(condition, x1, x2):
    out = _backend().where(_data(condition), _data(x1), _data(x2))
    fns = [
        None,
        lambda g: _unbroadcast(_select(g, condition), _shape(x1)),
        lambda g: _unbroadcast(_select(g, logical_not(condition)), _shape(x2)),
    ]
    return make_tensor(out, (condition, x1, x2), fns)


def logical_not(x):
    return equal(x, False)


# ----- unary ---------------------------------------------------------------
def negative(x):
    return _unary("negative", x, negative)


def abs(x):  # noqa: A001
    return _unary("abs", x, lambda g: multiply(g, sign(x)))


def sign(x):
    return Tensor(_backend().sign(_data(x)))


def square(x):
    return _unary("square", x, lambda g: multiply(g, multiply(x, 2.0)))


def sqrt(x):
    return _unary_using_output("sqrt", x, lambda g, y: divide(g, multiply(y, 2.0)))


def exp(x):
    return _unary_using_output("exp", x, lambda g, y: multiply(g, y))


def log(x):
    return _unary("log", x, lambda g: divide(g, x))


def log1p(x):
    return _unary("log1p", x, lambda g: divide(g, add(x, 1.0)))


def tanh(x):
    return _unary_using_output("tanh", x, lambda g, y: multiply(g, subtract(1.0, square(y))))


def sigmoid(x):
    out = _unary_using_output("sigmoid", x, lambda g, y: multiply(g, multiply(y, subtract(1.0, y))))
    out.logits, out.logits_from = x, "sigmoid"
    return out


def erf(x):
    return _unary("erf", x, lambda g: multiply(g, multiply(exp(negative(square(x))), 2.0 / np.sqrt(np.pi))))


def clip(x, x_min, x_max):
    def grad(g):
        return _select(g, logical_and(greater_equal(x, x_min), less_equal(x, x_max)))

    return _unary("clip", x, grad, _data(x_min), _data(x_max))


def isfinite(x):
    return Tensor(_backend().isfinite(_data(x)))


def stop_gradient(x):
    return Tensor(_data(x))
