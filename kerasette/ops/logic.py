"""Logical ops, floating-point predicates, closeness tests, membership, and complex views of real tensors.

The complex views are real, imag, conj, angle and isreal.

kerasette tensors hold real numbers only (the OpenCL backend has no complex dtype), so ``real`` and
``conj`` return their input, ``imag`` zeros and ``isreal`` True, as numpy does for real arrays.
"""

from __future__ import annotations

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data
from kerasette.ops._promote import is_float, tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.creation import ones_like, zeros_like
from kerasette.ops.elementwise import (
    abs,
    add,
    equal,
    isfinite,
    less_equal,
    logical_and,
    multiply,
    subtract,
    where,
)
from kerasette.ops.tensor import Tensor


def _operand(x):
    return x if isinstance(x, (bool, int, float)) else tensor(x)


def logical_or(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise ``x1 or x2`` (nonzero counts as True), with broadcasting.

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A boolean Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.logical_or([True, False, False], [False, False, True]).numpy().tolist()
        [True, False, True]
    """
    return Tensor(_backend().logical_or(_data(_operand(x1)), _data(_operand(x2))))


def logical_xor(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise exclusive or (nonzero counts as True), with broadcasting.

    Args:
        x1: the first operand.
        x2: the second operand.

    Returns:
        A boolean Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.logical_xor([True, True], [False, True]).numpy().tolist()
        [True, False]
    """
    return Tensor(_backend().logical_xor(_data(_operand(x1)), _data(_operand(x2))))


def _predicate(primitive, x):
    return Tensor(getattr(_backend(), primitive)(_data(tensor(x))))


def isnan(x: TensorLike) -> Tensor:
    """Elementwise test for NaN.

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of the same shape (False everywhere for integers).

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.isnan([1.0, np.nan]).numpy().tolist()
        [False, True]
    """
    return _predicate("isnan", x)


def isinf(x: TensorLike) -> Tensor:
    """Elementwise test for positive or negative infinity.

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of the same shape.
    """
    return _predicate("isinf", x)


def isposinf(x: TensorLike) -> Tensor:
    """Elementwise test for positive infinity.

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.isposinf([np.inf, -np.inf, 0.0]).numpy().tolist()
        [True, False, False]
    """
    x = tensor(x)
    return logical_and(isinf(x), equal(signbit(x), False))


def isneginf(x: TensorLike) -> Tensor:
    """Elementwise test for negative infinity.

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of the same shape.
    """
    x = tensor(x)
    return logical_and(isinf(x), signbit(x))


def signbit(x: TensorLike) -> Tensor:
    """Elementwise test of the sign bit: True for negative numbers and for -0.0.

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.signbit([-2.0, -0.0, 0.0, 3.0]).numpy().tolist()
        [True, True, False, False]
    """
    return _predicate("signbit", x)


def isclose(x1: TensorLike, x2: TensorLike, rtol: float = 1e-5, atol: float = 1e-8,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|x1 - x2| <= atol + rtol * |x2|``, as ``np.isclose``; equal infinities are close.

    Args:
        x1: the first operand.
        x2: the second operand (broadcast against ``x1``).
        rtol: the relative tolerance.
        atol: the absolute tolerance.
        equal_nan: whether two NaNs count as close.

    Returns:
        A boolean Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> ops.isclose([1.0, 1.0], [1.0 + 1e-9, 1.1]).numpy().tolist()
        [True, False]
    """
    a, b = to_float(x1), to_float(x2)
    finite = logical_and(isfinite(a), isfinite(b))
    fa, fb = where(finite, a, 0.0), where(finite, b, 0.0)  # no inf - inf
    close = less_equal(abs(subtract(fa, fb)), add(multiply(abs(fb), rtol), atol))
    out = where(finite, close, equal(a, b))
    if equal_nan:
        out = logical_or(out, logical_and(isnan(a), isnan(b)))
    return out


def allclose(x1: TensorLike, x2: TensorLike, rtol: float = 1e-5, atol: float = 1e-8,
             equal_nan: bool = False) -> Tensor:
    """Whether every element pair is close (``isclose``).

    Args:
        x1: the first operand.
        x2: the second operand (broadcast against ``x1``).
        rtol: the relative tolerance.
        atol: the absolute tolerance.
        equal_nan: whether two NaNs count as close.

    Returns:
        A boolean scalar Tensor.

    Example:
        >>> from kerasette import ops
        >>> bool(ops.allclose([1.0, 2.0], [1.0, 2.0 + 1e-7]))
        True
    """
    return Tensor(_backend().all(_data(isclose(x1, x2, rtol, atol, equal_nan))))


def isin(x1: TensorLike, x2: TensorLike, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Elementwise test whether each element of ``x1`` is among the elements of ``x2``.

    Each element is compared with every element of ``x2`` on the device (memory ``x1.size * x2.size``).

    Args:
        x1: the values to test.
        x2: the values to look for, any shape (flattened).
        assume_unique: accepted for numpy compatibility; the result does not depend on it.
        invert: return the opposite: True where the element is not in ``x2``.

    Returns:
        A boolean Tensor shaped like ``x1``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.isin(np.array([[1, 5], [3, 2]]), np.array([2, 3])).numpy().tolist()
        [[False, False], [True, True]]
    """
    from kerasette.ops.shapes import reshape

    a, b = tensor(x1), tensor(x2)
    hits = equal(reshape(a, a.shape + (1,)), reshape(b, (-1,)))
    found = Tensor(_backend().any(_data(hits), (a.ndim,), False))
    return equal(found, False) if invert else found


def real(x: TensorLike) -> Tensor:
    """The real part of ``x``: ``x`` itself, since kerasette tensors are real.

    Args:
        x: the input tensor.

    Returns:
        ``x`` as a Tensor.
    """
    return tensor(x)


def imag(x: TensorLike) -> Tensor:
    """The imaginary part of ``x``: zeros, since kerasette tensors are real.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of zeros shaped like ``x``.
    """
    return zeros_like(tensor(x))


def conj(x: TensorLike) -> Tensor:
    """The complex conjugate of ``x``: ``x`` itself, since kerasette tensors are real (alias ``conjugate``).

    Args:
        x: the input tensor.

    Returns:
        ``x`` as a Tensor.
    """
    return tensor(x)


conjugate = conj


def isreal(x: TensorLike) -> Tensor:
    """Elementwise test for a zero imaginary part: True everywhere, since kerasette tensors are real.

    Args:
        x: the input tensor.

    Returns:
        A boolean Tensor of True shaped like ``x``.
    """
    return ones_like(tensor(x), dtype="bool")


def angle(x: TensorLike) -> Tensor:
    """The argument of ``x`` as a complex number: 0 for positive reals, pi for negative ones.

    Args:
        x: the input tensor.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.angle([2.0, -2.0]).numpy().tolist()]
        [0.0, 3.1416]
    """
    from kerasette.ops.trigonometric import arctan2

    x = to_float(x)
    return arctan2(zeros_like(x), x) if is_float(x.dtype) else x
