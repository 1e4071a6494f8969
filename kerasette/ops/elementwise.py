"""Differentiable elementwise ops: arithmetic with broadcasting, comparisons, and unary math."""

from __future__ import annotations

from typing import Callable

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _PY_SCALARS, _data, _shape, _unary, _unary_using_output
from kerasette.ops._types import TensorLike
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
def add(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise ``x1 + x2``, with numpy broadcasting.

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.add(ops.convert_to_tensor([1.0, 2.0]), 10.0).numpy().tolist()
        [11.0, 12.0]
    """
    return _binary("add", x1, x2, lambda g: g, lambda g: g)


def subtract(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise ``x1 - x2``, with numpy broadcasting.

    Args:
        x1: the first operand.
        x2: the operand subtracted.

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary("subtract", x1, x2, lambda g: g, negative)


def multiply(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise ``x1 * x2``, with numpy broadcasting.

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.multiply(ops.convert_to_tensor([[1.0], [2.0]]), ops.convert_to_tensor([1.0, 10.0])).numpy().tolist()
        [[1.0, 10.0], [2.0, 20.0]]
    """
    return _binary("multiply", x1, x2, lambda g: multiply(g, x2), lambda g: multiply(g, x1))


def divide(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise true division ``x1 / x2``, with numpy broadcasting (alias ``true_divide``).

    Args:
        x1: the numerator.
        x2: the denominator.

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary(
        "divide", x1, x2, lambda g: divide(g, x2), lambda g: negative(divide(multiply(g, x1), square(x2)))
    )


true_divide = divide


def power(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise ``x1 ** x2``, with numpy broadcasting.

    Args:
        x1: the base.
        x2: the exponent.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.power(ops.convert_to_tensor([2.0, 3.0]), 2.0).numpy().tolist()
        [4.0, 9.0]
    """

    def grad_b(g):
        log_a = log(x1) if isinstance(x1, Tensor) else float(np.log(x1))  # a Python float stays weak
        return multiply(g, multiply(power(x1, x2), log_a))

    def grad_a(g):
        b_minus_1 = x2 - 1 if isinstance(x2, _PY_SCALARS) else subtract(x2, 1)
        return multiply(g, multiply(x2, power(x1, b_minus_1)))

    return _binary("power", x1, x2, grad_a, grad_b)


def _select(g, condition):
    """``g`` where ``condition`` holds, else 0 (used in gradients, never recorded)."""
    return Tensor(_backend().where(_data(condition), g.data, 0.0))


def maximum(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise maximum of ``x1`` and ``x2``, with numpy broadcasting.

    Where the two are equal the gradient goes to ``x1``.

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary(
        "maximum", x1, x2, lambda g: _select(g, greater_equal(x1, x2)), lambda g: _select(g, less(x1, x2))
    )


def minimum(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise minimum of ``x1`` and ``x2``, with numpy broadcasting.

    Where the two are equal the gradient goes to ``x1``.

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary(
        "minimum", x1, x2, lambda g: _select(g, less_equal(x1, x2)), lambda g: _select(g, greater(x1, x2))
    )


def _comparison(primitive: str, formula: str) -> Callable[[TensorLike, TensorLike], Tensor]:
    def op(x1: TensorLike, x2: TensorLike) -> Tensor:
        return Tensor(getattr(_backend(), primitive)(_data(x1), _data(x2)))

    op.__name__ = op.__qualname__ = primitive
    op.__doc__ = f"""Elementwise ``{formula}``, with numpy broadcasting (not differentiable).

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A boolean Tensor of the broadcast shape.
    """
    return op


equal = _comparison("equal", "x1 == x2")
not_equal = _comparison("not_equal", "x1 != x2")
greater = _comparison("greater", "x1 > x2")
greater_equal = _comparison("greater_equal", "x1 >= x2")
less = _comparison("less", "x1 < x2")
less_equal = _comparison("less_equal", "x1 <= x2")
logical_and = _comparison("logical_and", "x1 and x2")


def where(condition: TensorLike, x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elements of ``x1`` where ``condition`` holds, else of ``x2`` (broadcast together).

    Unlike ``keras.ops.where``, ``x1`` and ``x2`` are required (there is no one-argument form
    returning indices). Gradients flow to ``x1`` and ``x2`` through the selected elements only.

    Args:
        condition: a boolean tensor.
        x1: the values taken where ``condition`` is True.
        x2: the values taken where ``condition`` is False.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([-1.0, 2.0])
        >>> ops.where(ops.greater(x, 0.0), x, 0.0).numpy().tolist()
        [0.0, 2.0]
    """
    out = _backend().where(_data(condition), _data(x1), _data(x2))
    fns = [
        None,
        lambda g: _unbroadcast(_select(g, condition), _shape(x1)),
        lambda g: _unbroadcast(_select(g, logical_not(condition)), _shape(x2)),
    ]
    return make_tensor(out, (condition, x1, x2), fns)


def logical_not(x: TensorLike) -> Tensor:
    """Elementwise ``not x`` (not differentiable).

    Args:
        x: a boolean tensor.

    Returns:
        A boolean Tensor of the same shape.
    """
    return equal(x, False)


# ----- unary ---------------------------------------------------------------
def negative(x: TensorLike) -> Tensor:
    """Elementwise ``-x``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return _unary("negative", x, negative)


def abs(x: TensorLike) -> Tensor:  # noqa: A001
    """Elementwise absolute value ``|x|``; its gradient is ``sign(x)`` (0 at 0).

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return _unary("abs", x, lambda g: multiply(g, sign(x)))


def sign(x: TensorLike) -> Tensor:
    """Elementwise sign: -1, 0 or 1 (not differentiable).

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape and dtype.
    """
    return Tensor(_backend().sign(_data(x)))


def square(x: TensorLike) -> Tensor:
    """Elementwise ``x ** 2``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.square(ops.convert_to_tensor([-2.0, 3.0])).numpy().tolist()
        [4.0, 9.0]
    """
    return _unary("square", x, lambda g: multiply(g, multiply(x, 2.0)))


def sqrt(x: TensorLike) -> Tensor:
    """Elementwise non-negative square root.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return _unary_using_output("sqrt", x, lambda g, y: divide(g, multiply(y, 2.0)))


def exp(x: TensorLike) -> Tensor:
    """Elementwise exponential ``e ** x``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return _unary_using_output("exp", x, lambda g, y: multiply(g, y))


def log(x: TensorLike) -> Tensor:
    """Elementwise natural logarithm.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return _unary("log", x, lambda g: divide(g, x))


def log1p(x: TensorLike) -> Tensor:
    """Elementwise ``log(1 + x)``, accurate for small ``x``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    return _unary("log1p", x, lambda g: divide(g, add(x, 1.0)))


def tanh(x: TensorLike) -> Tensor:
    """Elementwise hyperbolic tangent.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, with values in [-1, 1].
    """
    return _unary_using_output("tanh", x, lambda g, y: multiply(g, subtract(1.0, square(y))))


def sigmoid(x: TensorLike) -> Tensor:
    """Elementwise logistic sigmoid ``1 / (1 + exp(-x))``.

    The result remembers ``x`` as its logits, so the binary cross-entropy can use the stable
    logits form on it.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, with values in [0, 1].

    Example:
        >>> from kerasette import ops
        >>> ops.sigmoid(ops.convert_to_tensor([0.0])).numpy().tolist()
        [0.5]
    """
    out = _unary_using_output("sigmoid", x, lambda g, y: multiply(g, multiply(y, subtract(1.0, y))))
    out.logits, out.logits_from = x, "sigmoid"
    return out


def erf(x: TensorLike) -> Tensor:
    """Elementwise Gauss error function.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, with values in [-1, 1].
    """
    return _unary("erf", x, lambda g: multiply(g, multiply(exp(negative(square(x))), 2.0 / np.sqrt(np.pi))))


def clip(x: TensorLike, x_min: TensorLike, x_max: TensorLike) -> Tensor:
    """Limit the values of ``x`` to ``[x_min, x_max]``.

    The gradient passes where ``x_min <= x <= x_max`` and is 0 elsewhere.

    Args:
        x: the input tensor.
        x_min: the lower bound.
        x_max: the upper bound.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.clip(ops.convert_to_tensor([-2.0, 0.5, 3.0]), 0.0, 1.0).numpy().tolist()
        [0.0, 0.5, 1.0]
    """

    def grad(g):
        return _select(g, logical_and(greater_equal(x, x_min), less_equal(x, x_max)))

    return _unary("clip", x, grad, _data(x_min), _data(x_max))


def isfinite(x: TensorLike) -> Tensor:
    """Elementwise test for finiteness (not NaN and not infinite).

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of the same shape.
    """
    return Tensor(_backend().isfinite(_data(x)))


def stop_gradient(variable: TensorLike) -> Tensor:
    """The value of ``variable`` (any tensor), with no gradient flowing back through it.

    Args:
        variable: the input tensor (Keras's argument name).

    Returns:
        A Tensor with the same values, not recorded on the tape.
    """
    return Tensor(_data(variable))
