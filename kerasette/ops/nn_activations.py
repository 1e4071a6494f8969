"""More activation functions of ``keras.ops`` (Keras's formulas), as composites of elementwise ops.

celu, glu, hard_shrink, hard_sigmoid, hard_silu (alias hard_swish), hard_tanh, log_sigmoid, soft_shrink,
softsign, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh_shrink, threshold.
"""

from __future__ import annotations

import numpy as np

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops._promote import normalize_axis, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import (
    abs,
    add,
    clip,
    divide,
    greater,
    less,
    less_equal,
    maximum,
    minimum,
    multiply,
    negative,
    sigmoid,
    sqrt,
    square,
    subtract,
    tanh,
    where,
)
from kerasette.ops.exponential import expm1
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import reshape
from kerasette.ops.tensor import Tensor


def celu(x: TensorLike, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: ``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``.

    Args:
        x: the input tensor.
        alpha: the scale of the negative part.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.celu([-1.0, 2.0]).numpy().tolist()]
        [-0.6321, 2.0]
    """
    x = to_float(x)
    return add(maximum(x, 0.0), multiply(expm1(divide(minimum(x, 0.0), alpha)), alpha))


def glu(x: TensorLike, axis: int = -1) -> Tensor:
    """Gated linear unit: the first half of ``x`` along ``axis`` times the sigmoid of the second half.

    Args:
        x: the input tensor; ``axis`` must have even length.
        axis: the axis to split.

    Returns:
        A Tensor with ``axis`` halved.

    Raises:
        ValueError: when ``axis`` has odd length.

    Example:
        >>> from kerasette import ops
        >>> ops.glu([[1.0, 2.0, 0.0, 0.0]]).numpy().tolist()
        [[0.5, 1.0]]
    """
    from kerasette.ops.manipulation import split

    x = to_float(x)
    axis = normalize_axis(axis, x.ndim, "glu")
    if x.shape[axis] % 2:
        raise ValueError(f"`glu` needs an even length along axis {axis}. Received shape {x.shape}.")
    first, second = split(x, 2, axis=axis)
    return multiply(first, sigmoid(second))


def hard_shrink(x: TensorLike, threshold: float = 0.5) -> Tensor:
    """``x`` where ``|x| > threshold``, else 0.

    Args:
        x: the input tensor.
        threshold: the threshold.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.hard_shrink([-1.0, 0.25, 0.75]).numpy().tolist()
        [-1.0, 0.0, 0.75]
    """
    x = to_float(x)
    return where(greater(abs(x), threshold), x, 0.0)


def hard_sigmoid(x: TensorLike) -> Tensor:
    """Piecewise-linear sigmoid: ``clip(x / 6 + 1 / 2, 0, 1)``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, in [0, 1].

    Example:
        >>> from kerasette import ops
        >>> ops.hard_sigmoid([-6.0, 0.0, 6.0]).numpy().tolist()
        [0.0, 0.5, 1.0]
    """
    x = to_float(x)
    return clip(add(divide(x, 6.0), 0.5), 0.0, 1.0)


def hard_silu(x: TensorLike) -> Tensor:
    """Hard SiLU (hard swish): ``x * hard_sigmoid(x)``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.hard_silu([-4.0, 0.0, 3.0]).numpy().tolist()
        [-0.0, 0.0, 3.0]
    """
    x = to_float(x)
    return multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


def hard_tanh(x: TensorLike) -> Tensor:
    """``clip(x, -1, 1)``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, in [-1, 1].
    """
    return clip(to_float(x), -1.0, 1.0)


def log_sigmoid(x: TensorLike) -> Tensor:
    """``log(sigmoid(x)) = -softplus(-x)``, without overflow.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, <= 0.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.log_sigmoid([0.0, -1000.0]).numpy().tolist()]
        [-0.6931, -1000.0]
    """
    from kerasette.ops.nn import softplus

    return negative(softplus(negative(to_float(x))))


def soft_shrink(x: TensorLike, threshold: float = 0.5) -> Tensor:
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0.

    Args:
        x: the input tensor.
        threshold: the threshold.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.soft_shrink([-1.0, 0.2, 0.75]).numpy().tolist()
        [-0.5, 0.0, 0.25]
    """
    x = to_float(x)
    return where(greater(x, threshold), subtract(x, threshold), where(less(x, -threshold), add(x, threshold), 0.0))


def softsign(x: TensorLike) -> Tensor:
    """``x / (1 + |x|)``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, in (-1, 1).

    Example:
        >>> from kerasette import ops
        >>> ops.softsign([-3.0, 1.0]).numpy().tolist()
        [-0.75, 0.5]
    """
    x = to_float(x)
    return divide(x, add(abs(x), 1.0))


def sparse_plus(x: TensorLike) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` for ``-1 < x < 1``, ``x`` above.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.sparse_plus([-2.0, 0.0, 2.0]).numpy().tolist()
        [0.0, 0.25, 2.0]
    """
    x = to_float(x)
    return where(less_equal(x, -1.0), 0.0, where(less(x, 1.0), multiply(square(add(x, 1.0)), 0.25), x))


def sparse_sigmoid(x: TensorLike) -> Tensor:
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 above.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape, in [0, 1].
    """
    return clip(multiply(add(to_float(x), 1.0), 0.5), 0.0, 1.0)


def sparsemax(x: TensorLike, axis: int = -1) -> Tensor:
    """Sparsemax (Martins and Astudillo, 2016): the Euclidean projection of ``x`` onto the probability simplex.

    Like softmax its values along ``axis`` sum to 1, but small logits get exactly 0. (Keras 3.15's backends
    compute the threshold from a sum of cumulative sums, which breaks that sum to 1 and their own docstring
    example; this follows the paper and that example: ``[-0.5, 0.0, 0.5]`` gives ``[0.0, 0.25, 0.75]``.)

    Args:
        x: the input tensor (logits).
        axis: the axis normalised.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.sparsemax([1.0, 2.0, 5.0]).numpy().tolist()
        [0.0, 0.0, 1.0]
    """
    from kerasette.ops.scans import cumsum
    from kerasette.ops.sorting import sort

    x = to_float(x)
    axis = normalize_axis(axis, x.ndim, "sparsemax")
    ordered = negative(sort(negative(x), axis=axis))  # descending
    sums = cumsum(ordered, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    ranks = reshape(convert_to_tensor(np.arange(1, x.shape[axis] + 1, dtype=x.dtype)), shape)
    support = greater(subtract(ordered, divide(subtract(sums, 1.0), ranks)), 0.0)
    k = _sum(cast(support, x.dtype), axis=axis, keepdims=True)
    tau = divide(subtract(_sum(where(support, ordered, 0.0), axis=axis, keepdims=True), 1.0), k)
    return maximum(subtract(x, tau), 0.0)


def squareplus(x: TensorLike, b: float = 4) -> Tensor:
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU.

    Args:
        x: the input tensor.
        b: the smoothness (> 0).

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.squareplus([0.0]).numpy().tolist()
        [1.0]
    """
    x = to_float(x)
    return multiply(add(x, sqrt(add(square(x), float(b)))), 0.5)


def tanh_shrink(x: TensorLike) -> Tensor:
    """``x - tanh(x)``.

    Args:
        x: the input tensor.

    Returns:
        A Tensor of the same shape.
    """
    x = to_float(x)
    return subtract(x, tanh(x))


def threshold(x: TensorLike, threshold: float, default_value: float) -> Tensor:
    """``x`` where ``x > threshold``, else ``default_value``.

    Args:
        x: the input tensor.
        threshold: the threshold.
        default_value: the value at and below the threshold.

    Returns:
        A Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.threshold([0.5, 2.0], 1.0, -1.0).numpy().tolist()
        [-1.0, 2.0]
    """
    x = to_float(x)
    return where(greater(x, threshold), x, default_value)
