"""Bitwise and integer ops: and, or, xor, not, shifts, gcd and lcm (not differentiable).

They take integer or boolean tensors (shifts, gcd and lcm integers only), with numpy's broadcasting and
dtype promotion; a float operand is a TypeError, as in numpy.
"""

from __future__ import annotations

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data
from kerasette.ops._promote import tensor
from kerasette.ops._types import TensorLike
from kerasette.ops.tensor import Tensor


def _operand(x):
    return x if isinstance(x, (bool, int)) else tensor(x)


def _binary(primitive, x, y):
    return Tensor(getattr(_backend(), primitive)(_data(_operand(x)), _data(_operand(y))))


def bitwise_and(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise bitwise ``x & y`` (logical and for booleans).

    Args:
        x: an integer or boolean tensor.
        y: an integer or boolean tensor (broadcast against ``x``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.bitwise_and(np.array([12, 10]), np.array([10, 6])).numpy().tolist()
        [8, 2]
    """
    return _binary("bitwise_and", x, y)


def bitwise_or(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise bitwise ``x | y`` (logical or for booleans).

    Args:
        x: an integer or boolean tensor.
        y: an integer or boolean tensor (broadcast against ``x``).

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary("bitwise_or", x, y)


def bitwise_xor(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise bitwise ``x ^ y`` (exclusive or for booleans).

    Args:
        x: an integer or boolean tensor.
        y: an integer or boolean tensor (broadcast against ``x``).

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary("bitwise_xor", x, y)


def bitwise_invert(x: TensorLike) -> Tensor:
    """Elementwise bitwise ``~x`` (logical not for booleans); alias ``bitwise_not``.

    Args:
        x: an integer or boolean tensor.

    Returns:
        A Tensor of the same shape and dtype.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.bitwise_invert(np.array([0, 5], dtype="int32")).numpy().tolist()
        [-1, -6]
    """
    return Tensor(_backend().bitwise_invert(_data(tensor(x))))


bitwise_not = bitwise_invert


def bitwise_left_shift(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise ``x << y``; alias ``left_shift``. Shifting by the type's width or more gives 0.

    Args:
        x: an integer tensor.
        y: the shift counts, an integer tensor (broadcast against ``x``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.left_shift(np.array([1, 3]), np.array([4, 1])).numpy().tolist()
        [16, 6]
    """
    return _binary("left_shift", x, y)


def bitwise_right_shift(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise arithmetic ``x >> y``; alias ``right_shift``.

    Args:
        x: an integer tensor.
        y: the shift counts, an integer tensor (broadcast against ``x``).

    Returns:
        A Tensor of the broadcast shape.
    """
    return _binary("right_shift", x, y)


left_shift = bitwise_left_shift
right_shift = bitwise_right_shift


def gcd(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise greatest common divisor of ``|x1|`` and ``|x2|`` (``gcd(0, 0) = 0``).

    Args:
        x1: an integer tensor.
        x2: an integer tensor (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.gcd(np.array([12, -9, 0]), np.array([18, 6, 0])).numpy().tolist()
        [6, 3, 0]
    """
    return _binary("gcd", x1, x2)


def lcm(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise least common multiple of ``|x1|`` and ``|x2|`` (0 when either is 0).

    Args:
        x1: an integer tensor.
        x2: an integer tensor (broadcast against ``x1``).

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.lcm(np.array([4, -6]), np.array([6, 4])).numpy().tolist()
        [12, 12]
    """
    return _binary("lcm", x1, x2)
