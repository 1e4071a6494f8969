"""Normalization ops of ``keras.ops``, Keras's formulas as composites.

moments, batch_normalization, layer_normalization, rms_normalization, normalize.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple, Union

from kerasette.ops._promote import normalize_axes, tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import add, divide, maximum, minimum, multiply, negative, sqrt, square, subtract
from kerasette.ops.reductions import mean as _mean
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import reshape
from kerasette.ops.tensor import Tensor

_EPSILON = 1e-7  # keras.config.epsilon()


def moments(x: TensorLike, axes: Union[int, Sequence[int]], keepdims: bool = False,
            synchronized: bool = False) -> Tuple[Tensor, Tensor]:
    """Mean and variance of ``x`` over ``axes`` (variance as ``E[x**2] - E[x]**2``, as Keras).

    Args:
        x: the input tensor.
        axes: the axis or axes to reduce.
        keepdims: keep the reduced axes with size 1.
        synchronized: must be False (kerasette runs on one device).

    Returns:
        ``(mean, variance)``.

    Raises:
        ValueError: for ``synchronized=True``.

    Example:
        >>> from kerasette import ops
        >>> mean, variance = ops.moments([1.0, 2.0, 3.0, 4.0], axes=0)
        >>> float(mean), float(variance)
        (2.5, 1.25)
    """
    if synchronized:
        raise ValueError("Argument `synchronized=True` of `moments` needs a distributed run; kerasette computes "
                         "on one device.")
    x = to_float(x)
    axes = normalize_axes(axes, x.ndim, "moments")
    mean = _mean(x, axis=axes, keepdims=True)
    variance = subtract(_mean(square(x), axis=axes, keepdims=True), square(mean))
    if not keepdims:
        shape = tuple(s for i, s in enumerate(x.shape) if i not in axes)
        mean, variance = reshape(mean, shape), reshape(variance, shape)
    return mean, variance


def _along(v, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return reshape(tensor(v), shape)


def batch_normalization(x: TensorLike, mean: TensorLike, variance: TensorLike, axis: int,
                        offset: Optional[TensorLike] = None, scale: Optional[TensorLike] = None,
                        epsilon: float = 1e-3) -> Tensor:
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset`` with the statistics along ``axis``.

    Args:
        x: the input tensor.
        mean: a vector, one mean per index of ``axis``.
        variance: a vector, one variance per index of ``axis``.
        axis: the axis the statistics run along (the features).
        offset: a vector added after scaling (None: 0).
        scale: a vector multiplying the normalized values (None: 1).
        epsilon: added to the variance.

    Returns:
        A Tensor shaped like ``x``.

    Example:
        >>> from kerasette import ops
        >>> ops.batch_normalization([[1.0, 2.0]], [1.0, 0.0], [4.0, 1.0], axis=1, epsilon=0.0).numpy().tolist()
        [[0.0, 2.0]]
    """
    x = to_float(x)
    axis = normalize_axes(axis, x.ndim, "batch_normalization")[0]
    inv = divide(1.0, sqrt(add(_along(variance, axis, x.ndim), epsilon)))
    if scale is not None:
        inv = multiply(inv, _along(scale, axis, x.ndim))
    res = multiply(negative(_along(mean, axis, x.ndim)), inv)
    if offset is not None:
        res = add(res, _along(offset, axis, x.ndim))
    return add(multiply(x, inv), res)


def _broadcast_params(v, axes, x):
    if v is None:
        return None
    v = tensor(v)
    if v.ndim != x.ndim and list(axes) != [x.ndim - 1]:
        shape = [1] * x.ndim
        for a in axes:
            shape[a] = x.shape[a]
        return reshape(v, shape)
    return v


def layer_normalization(x: TensorLike, gamma: Optional[TensorLike] = None, beta: Optional[TensorLike] = None,
                        axis: Union[int, Sequence[int]] = -1, epsilon: Optional[float] = None,
                        **kwargs: Any) -> Tensor:
    """Normalize ``x`` to zero mean and unit variance over ``axis``, then scale by ``gamma`` and shift by ``beta``.

    Args:
        x: the input tensor.
        gamma: the scale (None: 1), shaped like the normalized axes.
        beta: the shift (None: 0), shaped like the normalized axes.
        axis: the axis or axes normalized.
        epsilon: added to the variance (None: 1e-7, Keras's ``epsilon()``).
        **kwargs: ``rms_scaling=True`` divides by the standard deviation without centering (Keras's
            deprecated form); anything else is a TypeError.

    Returns:
        A Tensor shaped like ``x``.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.layer_normalization([1.0, 2.0, 3.0]).numpy().tolist()]
        [-1.2247, 0.0, 1.2247]
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"`layer_normalization` got unexpected keyword arguments {sorted(kwargs)}.")
    epsilon = _EPSILON if epsilon is None else epsilon
    x = to_float(x)
    axes = normalize_axes(axis, x.ndim, "layer_normalization")
    gamma, beta = _broadcast_params(gamma, axes, x), _broadcast_params(beta, axes, x)
    if rms_scaling:
        from kerasette.ops.reductions import var

        outputs = multiply(x, divide(1.0, sqrt(add(var(x, axis=axes, keepdims=True), epsilon))))
        return multiply(outputs, gamma) if gamma is not None else outputs
    mean, variance = moments(x, axes, keepdims=True)
    inv = divide(1.0, sqrt(add(variance, epsilon)))
    if gamma is not None:
        inv = multiply(inv, gamma)
    res = multiply(negative(mean), inv)
    if beta is not None:
        res = add(res, beta)
    return add(multiply(x, inv), res)


def rms_normalization(x: TensorLike, scale: Optional[TensorLike] = None, axis: Union[int, Sequence[int]] = -1,
                      epsilon: Optional[float] = None) -> Tensor:
    """``x / sqrt(mean(x**2) + epsilon) * scale`` over ``axis``.

    Args:
        x: the input tensor.
        scale: the scale (None: 1).
        axis: the axis or axes normalized.
        epsilon: added to the mean square (None: 1e-7).

    Returns:
        A Tensor shaped like ``x``.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.rms_normalization([3.0, 4.0]).numpy().tolist()]
        [0.8485, 1.1314]
    """
    epsilon = _EPSILON if epsilon is None else epsilon
    x = to_float(x)
    if x.ndim == 0:
        x = reshape(x, (1,))
    axes = normalize_axes(axis, x.ndim, "rms_normalization")
    outputs = multiply(x, divide(1.0, sqrt(add(_mean(square(x), axis=axes, keepdims=True), epsilon))))
    return multiply(outputs, tensor(scale)) if scale is not None else outputs


def normalize(x: TensorLike, axis: int = -1, order: int = 2, epsilon: Optional[float] = None) -> Tensor:
    """``x`` divided by its ``order``-norm along ``axis`` (at least ``epsilon``).

    Args:
        x: the input tensor.
        axis: the axis normalized.
        order: the norm's order, an int >= 1.
        epsilon: the smallest norm divided by (None: 1e-7).

    Returns:
        A Tensor shaped like ``x``.

    Raises:
        ValueError: for ``order`` < 1.

    Example:
        >>> from kerasette import ops
        >>> ops.normalize([3.0, 4.0]).numpy().tolist()
        [0.6000000238418579, 0.800000011920929]
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Invalid value for argument `order` of `normalize`. Expected an int >= 1. Received: "
                         f"order={order}")
    epsilon = _EPSILON if epsilon is None else epsilon
    x = to_float(x)
    if x.ndim == 0:
        x = reshape(x, (1,))
    if order == 2:
        inverse_norm = divide(1.0, sqrt(_sum(square(x), axis=axis, keepdims=True)))
        return multiply(x, minimum(inverse_norm, 1.0 / epsilon))
    from kerasette.ops.decompositions import norm

    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), epsilon))
