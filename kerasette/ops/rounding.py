"""Rounding, remainders and NaN-aware elementwise ops.

floor, ceil, round, trunc, fmod, mod, floor_divide, divide_no_nan, nextafter, heaviside, fmax, fmin, fabs,
nan_to_num.

The step functions (floor, ceil, round, trunc, floor_divide) have a zero gradient, as in JAX: a model may
use them without cutting its variables off from the tape.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast
from kerasette.ops._promote import float_pair, is_float, tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.creation import zeros_like
from kerasette.ops.elementwise import (
    _binary,
    abs,
    divide,
    equal,
    greater,
    less,
    maximum,
    minimum,
    multiply,
    negative,
    where,
)
from kerasette.ops.logic import isnan, isneginf, isposinf
from kerasette.ops.tensor import Tensor

absolute = abs


def _zero_gradient(g):
    return zeros_like(g)


def _step(primitive, x):
    return make_tensor(getattr(_backend(), primitive)(_data(x)), (x,), [_zero_gradient])


def floor(x: TensorLike) -> Tensor:
    """The largest integer not greater than ``x``, elementwise (zero gradient).

    Args:
        x: the input tensor; integers and booleans are computed in float32, as in Keras.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.floor([-1.5, 0.5, 2.0]).numpy().tolist()
        [-2.0, 0.0, 2.0]
    """
    return _step("floor", to_float(x))


def ceil(x: TensorLike) -> Tensor:
    """The smallest integer not less than ``x``, elementwise (zero gradient).

    Args:
        x: the input tensor; integers and booleans are computed in float32, as in Keras.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.ceil([-1.5, 0.5, 2.0]).numpy().tolist()
        [-1.0, 1.0, 2.0]
    """
    return _step("ceil", to_float(x))


def trunc(x: TensorLike) -> Tensor:
    """``x`` rounded towards zero, elementwise (zero gradient); integers pass through.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape and dtype.

    Example:
        >>> from kerasette import ops
        >>> ops.trunc([-1.7, 1.7]).numpy().tolist()
        [-1.0, 1.0]
    """
    x = tensor(x)
    return _step("trunc", x) if is_float(x.dtype) else x


def round(x: TensorLike, decimals: int = 0) -> Tensor:  # noqa: A001
    """``x`` rounded to ``decimals`` decimals, halves to even, as ``np.round`` (zero gradient).

    Args:
        x: the input tensor.
        decimals: the number of decimals to keep; negative values round to tens, hundreds...

    Returns:
        A Tensor of the same shape and dtype.

    Example:
        >>> from kerasette import ops
        >>> ops.round([0.5, 1.5, 2.5, -0.5]).numpy().tolist()
        [0.0, 2.0, 2.0, -0.0]
        >>> import numpy as np
        >>> ops.round(np.array([1234, 1250]), -2).numpy().tolist()
        [1200, 1200]
    """
    x = tensor(x)
    decimals = int(decimals)
    if not is_float(x.dtype):
        if decimals >= 0:
            return x
        as_float = cast(x, "float64")
        return cast(multiply(_step("rint", divide(as_float, 10.0 ** -decimals)), 10.0 ** -decimals), x.dtype)
    if decimals == 0:
        return _step("rint", x)
    if decimals > 0:
        return divide(_step("rint", multiply(x, 10.0 ** decimals)), 10.0 ** decimals)
    return multiply(_step("rint", divide(x, 10.0 ** -decimals)), 10.0 ** -decimals)


def _remainder(primitive, quotient_rounding, x1, x2):
    """For fmod and mod: the gradient is 1 for the dividend and -round(x1 / x2) for the divisor (floats only)."""
    x1 = tensor(x1)
    x2 = x2 if isinstance(x2, (int, float)) else tensor(x2)
    floating = is_float(x1.dtype) or isinstance(x2, float) or (isinstance(x2, Tensor) and is_float(x2.dtype))

    def grad_b(g):
        return negative(multiply(g, Tensor(getattr(_backend(), quotient_rounding)(_data(divide(x1, x2))))))

    return _binary(primitive, x1, x2, (lambda g: g) if floating else None, grad_b if floating else None)


def fmod(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The remainder of ``x1 / x2`` with the sign of ``x1`` (C's fmod), elementwise.

    Args:
        x1: the dividends.
        x2: the divisors (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.fmod([-7.0, 7.0], [3.0, -3.0]).numpy().tolist()
        [-1.0, 1.0]
    """
    return _remainder("fmod", "trunc", x1, x2)


def mod(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The remainder of ``x1 / x2`` with the sign of ``x2`` (Python's ``%``), elementwise.

    Args:
        x1: the dividends.
        x2: the divisors (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.mod([-7.0, 7.0], [3.0, -3.0]).numpy().tolist()
        [2.0, -2.0]
    """
    return _remainder("mod", "floor", x1, x2)


def floor_divide(x1: TensorLike, x2: TensorLike) -> Tensor:
    """``floor(x1 / x2)`` elementwise, as Python's ``//`` (zero gradient).

    Args:
        x1: the dividends.
        x2: the divisors (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.floor_divide([-7.0, 7.0], [2.0, 2.0]).numpy().tolist()
        [-4.0, 3.0]
    """
    x1 = tensor(x1)
    x2 = x2 if isinstance(x2, (int, float)) else tensor(x2)
    return _binary("floor_divide", x1, x2, _zero_gradient, _zero_gradient)


def divide_no_nan(x1: TensorLike, x2: TensorLike) -> Tensor:
    """``x1 / x2``, but 0 where ``x2`` is 0 (no NaN or infinity from a zero divisor).

    Args:
        x1: the numerators.
        x2: the denominators (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.divide_no_nan([1.0, 2.0], [0.0, 4.0]).numpy().tolist()
        [0.0, 0.5]
    """
    a, b = float_pair(x1, x2)
    zero = equal(b, 0.0)
    return where(zero, 0.0, divide(a, where(zero, 1.0, b)))


def nextafter(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The next representable float after ``x1`` in the direction of ``x2`` (not differentiable).

    Args:
        x1: the starting values.
        x2: the directions (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> step = ops.nextafter(np.array([1.0]), np.array([2.0])) - 1.0
        >>> step.numpy().tolist() == [float(np.finfo(np.float64).eps)]
        True
    """
    a, b = float_pair(x1, x2)
    return Tensor(_backend().nextafter(_data(a), _data(b)))


def heaviside(x1: TensorLike, x2: TensorLike) -> Tensor:
    """The Heaviside step: 0 where ``x1 < 0``, 1 where ``x1 > 0``, ``x2`` where ``x1 == 0``.

    Args:
        x1: the input values.
        x2: the values at 0 (broadcast against ``x1``).

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.heaviside([-1.0, 0.0, 2.0], 0.5).numpy().tolist()
        [0.0, 0.5, 1.0]
    """
    a, b = float_pair(x1, x2)
    return where(less(a, 0.0), 0.0, where(greater(a, 0.0), 1.0, b))


def fmax(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise maximum that ignores NaNs: a NaN loses to a number (NaN only if both are NaN).

    Args:
        x1: the first operand.
        x2: the second operand (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.fmax([1.0, np.nan, np.nan], [np.nan, 2.0, np.nan]).numpy().tolist()
        [1.0, 2.0, nan]
    """
    x1, x2 = tensor(x1), tensor(x2)
    return where(isnan(x2), x1, where(isnan(x1), x2, maximum(x1, x2)))


def fmin(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise minimum that ignores NaNs: a NaN loses to a number (NaN only if both are NaN).

    Args:
        x1: the first operand.
        x2: the second operand (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.fmin([1.0, np.nan], [np.nan, 2.0]).numpy().tolist()
        [1.0, 2.0]
    """
    x1, x2 = tensor(x1), tensor(x2)
    return where(isnan(x2), x1, where(isnan(x1), x2, minimum(x1, x2)))


def fabs(x: TensorLike) -> Tensor:
    """Absolute value as a float tensor (integers and booleans become float32, as in Keras).

    Args:
        x: the input tensor.

    Returns:
        A float Tensor of the same shape.
    """
    return abs(to_float(x))


def nan_to_num(x: TensorLike, nan: float = 0.0, posinf: Optional[float] = None,
               neginf: Optional[float] = None) -> Tensor:
    """``x`` with NaN replaced by ``nan`` and infinities by ``posinf`` / ``neginf``.

    Args:
        x: the input tensor.
        nan: the value for NaNs.
        posinf: the value for +inf (None: the dtype's largest finite value).
        neginf: the value for -inf (None: the dtype's most negative finite value).

    Returns:
        A Tensor of the same shape and dtype (integers pass through).

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.0]), posinf=9.0).numpy().tolist()
        [0.0, 9.0, -1.7976931348623157e+308, 1.0]
    """
    x = tensor(x)
    if not is_float(x.dtype):
        return x
    info = np.finfo(np.dtype(x.dtype))
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    out = where(isnan(x), nan, x)
    return where(isposinf(x), posinf, where(isneginf(x), neginf, out))

