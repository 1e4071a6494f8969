"""Differentiable exponentials, logarithms, roots and special functions (erfc, erfinv, i0)."""

from __future__ import annotations

import math as _math

from kerasette.backends import current as _backend
from kerasette.ops._factories import float_unary
from kerasette.ops._helpers import _data, _shape, cast
from kerasette.ops._promote import float_pair, is_int, tensor, to_float, with_gradient
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import (
    abs,
    add,
    divide,
    exp,
    log1p,
    maximum,
    multiply,
    negative,
    sigmoid,
    sqrt,
    square,
    subtract,
)
from kerasette.ops.shapes import _unbroadcast
from kerasette.ops.tensor import Tensor

_LN2 = _math.log(2.0)
_LN10 = _math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / _math.sqrt(_math.pi)

expm1 = float_unary("expm1", "expm1", "``exp(x) - 1``, accurate for small ``x``",
                    lambda g, y: multiply(g, add(y, 1.0)), uses_output=True)
exp2 = float_unary("exp2", "exp2", "``2 ** x``", lambda g, y: multiply(g, multiply(y, _LN2)), uses_output=True)
log2 = float_unary("log2", "log2", "Base-2 logarithm", lambda g, x: divide(g, multiply(x, _LN2)))
log10 = float_unary("log10", "log10", "Base-10 logarithm", lambda g, x: divide(g, multiply(x, _LN10)))
cbrt = float_unary("cbrt", "cbrt", "Cube root (negative for negative ``x``)",
                   lambda g, y: divide(g, multiply(square(y), 3.0)), uses_output=True)
erfc = float_unary("erfc", "erfc", "Complementary error function ``1 - erf(x)``, accurate where erf is near 1",
                   lambda g, x: negative(multiply(g, multiply(exp(negative(square(x))), _TWO_OVER_SQRT_PI))))
erfinv = float_unary("erfinv", "erfinv", "Inverse error function on (-1, 1) (+-inf at +-1, NaN outside)",
                     lambda g, y: multiply(g, multiply(exp(square(y)), _math.sqrt(_math.pi) / 2.0)),
                     uses_output=True)
i0 = float_unary("i0", "i0", "Modified Bessel function of the first kind, order 0",
                 lambda g, x: multiply(g, Tensor(_backend().i1(_data(x)))))


def reciprocal(x: TensorLike) -> Tensor:
    """``1 / x`` elementwise.

    Args:
        x: the input tensor.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.reciprocal([2.0, -4.0]).numpy().tolist()
        [0.5, -0.25]
    """
    return divide(1.0, to_float(x))


def rsqrt(x: TensorLike) -> Tensor:
    """``1 / sqrt(x)`` elementwise.

    Args:
        x: the input tensor.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.rsqrt([4.0, 0.25]).numpy().tolist()
        [0.5, 2.0]
    """
    return divide(1.0, sqrt(to_float(x)))


def logaddexp(x1: TensorLike, x2: TensorLike) -> Tensor:
    """``log(exp(x1) + exp(x2))`` without overflow.

    The gradient is ``sigmoid(x1 - x2)`` for ``x1`` and ``sigmoid(x2 - x1)`` for ``x2`` (1/2 each on ties).

    Args:
        x1: the first operand.
        x2: the second operand (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.logaddexp([0.0, 1000.0], [0.0, 1000.0]).numpy().tolist()]
        [0.6931, 1000.6932]
    """
    a, b = float_pair(x1, x2)

    def compute():
        return add(maximum(a, b), log1p(exp(negative(abs(subtract(a, b))))))

    return with_gradient(compute, (a, b), [
        lambda g: _unbroadcast(multiply(g, sigmoid(subtract(a, b))), _shape(a)),
        lambda g: _unbroadcast(multiply(g, sigmoid(subtract(b, a))), _shape(b)),
    ])


def logaddexp2(x1: TensorLike, x2: TensorLike) -> Tensor:
    """``log2(2**x1 + 2**x2)`` without overflow.

    Args:
        x1: the first operand.
        x2: the second operand (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.logaddexp2([1.0, 3.0], [1.0, 3.0]).numpy().tolist()
        [2.0, 4.0]
    """
    a, b = float_pair(x1, x2)
    return divide(logaddexp(multiply(a, _LN2), multiply(b, _LN2)), _LN2)


def ldexp(x1: TensorLike, x2: TensorLike) -> Tensor:
    """``x1 * 2 ** x2`` for integer exponents ``x2``.

    Args:
        x1: the mantissas.
        x2: integer exponents (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Raises:
        TypeError: when ``x2`` is not an integer tensor.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.ldexp([1.0, 3.0], np.array([3, -1])).numpy().tolist()
        [8.0, 1.5]
    """
    exponent = tensor(x2)
    if not is_int(exponent.dtype):
        raise TypeError(f"`ldexp` needs integer exponents `x2`. Received x2 of dtype {exponent.dtype}.")
    mantissa = to_float(x1)
    return multiply(mantissa, exp2(cast(exponent, mantissa.dtype)))
