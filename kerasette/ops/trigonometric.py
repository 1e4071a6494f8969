"""Differentiable trigonometric and hyperbolic functions, angle conversions and ``sinc``."""

from __future__ import annotations

import math as _math

from kerasette.backends import current as _backend
from kerasette.ops._factories import float_unary
from kerasette.ops._helpers import _data
from kerasette.ops._promote import float_pair, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.elementwise import add, divide, equal, multiply, negative, sqrt, square, subtract, where
from kerasette.ops.shapes import _unbroadcast
from kerasette.ops.tensor import Tensor

sin = float_unary("sin", "sin", "Sine", lambda g, x: multiply(g, cos(x)))
cos = float_unary("cos", "cos", "Cosine", lambda g, x: negative(multiply(g, sin(x))))
tan = float_unary("tan", "tan", "Tangent", lambda g, y: multiply(g, add(square(y), 1.0)), uses_output=True)
arcsin = float_unary("arcsin", "arcsin", "Inverse sine, in [-pi/2, pi/2]",
                     lambda g, x: divide(g, sqrt(subtract(1.0, square(x)))))
arccos = float_unary("arccos", "arccos", "Inverse cosine, in [0, pi]",
                     lambda g, x: negative(divide(g, sqrt(subtract(1.0, square(x))))))
arctan = float_unary("arctan", "arctan", "Inverse tangent, in [-pi/2, pi/2]",
                     lambda g, x: divide(g, add(square(x), 1.0)))
sinh = float_unary("sinh", "sinh", "Hyperbolic sine", lambda g, x: multiply(g, cosh(x)))
cosh = float_unary("cosh", "cosh", "Hyperbolic cosine", lambda g, x: multiply(g, sinh(x)))
arcsinh = float_unary("arcsinh", "arcsinh", "Inverse hyperbolic sine",
                      lambda g, x: divide(g, sqrt(add(square(x), 1.0))))
arccosh = float_unary("arccosh", "arccosh", "Inverse hyperbolic cosine (for x >= 1)",
                      lambda g, x: divide(g, sqrt(subtract(square(x), 1.0))))
arctanh = float_unary("arctanh", "arctanh", "Inverse hyperbolic tangent (for -1 < x < 1)",
                      lambda g, x: divide(g, subtract(1.0, square(x))))


def _binary_float(primitive, x1, x2, grad_1, grad_2):
    a, b = float_pair(x1, x2)
    out = getattr(_backend(), primitive)(_data(a), _data(b))
    return make_tensor(out, (a, b), [lambda g: _unbroadcast(grad_1(g, a, b), a.shape),
                                     lambda g: _unbroadcast(grad_2(g, a, b), b.shape)])


def arctan2(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The angle of the point ``(x2, x1)``: ``arctan(x1 / x2)`` in the right quadrant, in [-pi, pi].

    Args:
        x1: the y coordinates.
        x2: the x coordinates (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.arctan2([1.0, -1.0], [-1.0, -1.0]).numpy().tolist()]
        [2.3562, -2.3562]
    """

    def norm2(a, b):
        return add(square(a), square(b))

    return _binary_float("arctan2", x1, x2, lambda g, a, b: divide(multiply(g, b), norm2(a, b)),
                         lambda g, a, b: negative(divide(multiply(g, a), norm2(a, b))))


def hypot(x1: TensorLike, x2: TensorLike) -> Tensor:
    """``sqrt(x1**2 + x2**2)`` elementwise, without overflow or underflow in the squares.

    Args:
        x1: the first leg.
        x2: the second leg (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.hypot([3.0, 5.0], [4.0, 12.0]).numpy().tolist()
        [5.0, 13.0]
    """
    a, b = float_pair(x1, x2)
    data = _backend().hypot(_data(a), _data(b))
    h = Tensor(data)
    return make_tensor(data, (a, b), [lambda g: _unbroadcast(divide(multiply(g, a), h), a.shape),
                                      lambda g: _unbroadcast(divide(multiply(g, b), h), b.shape)])


def deg2rad(x: TensorLike) -> Tensor:
    """Degrees to radians: ``x * pi / 180``.

    Args:
        x: angles in degrees.

    Returns:
        A float Tensor of the same shape.
    """
    return multiply(to_float(x), _math.pi / 180.0)


def rad2deg(x: TensorLike) -> Tensor:
    """Radians to degrees: ``x * 180 / pi``.

    Args:
        x: angles in radians.

    Returns:
        A float Tensor of the same shape.
    """
    return multiply(to_float(x), 180.0 / _math.pi)


def sinc(x: TensorLike) -> Tensor:
    """The normalized sinc function ``sin(pi x) / (pi x)``, 1 at 0.

    Args:
        x: the input tensor.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.sinc([0.0, 0.5, 1.5]).numpy().tolist()]
        [1.0, 0.6366, -0.2122]
    """
    x = to_float(x)
    at_zero = equal(x, 0.0)
    safe = multiply(where(at_zero, 1.0, x), _math.pi)
    return where(at_zero, 1.0, divide(sin(safe), safe))
