"""Tensor creation beyond filled tensors.

Ranges, grids, identity and triangular matrices, Vandermonde matrices, copies.

Keras's dtype rules apply: Python ints count as int32 and Python floats as ``floatx()`` (float32), so
``arange(5)`` is int32 and ``linspace(0, 1)`` float32; matrices default to float32.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple, Union

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_tensor, floatx
from kerasette.ops._promote import normalize_axis, tensor, to_float
from kerasette.ops._types import DType, ShapeLike, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.creation import full, zeros
from kerasette.ops.elementwise import abs, add, exp, log, multiply, power, sign, subtract
from kerasette.ops.shapes import broadcast_to, concatenate, reshape
from kerasette.ops.tensor import Tensor

Number = Union[int, float]


def _keras_dtype(*values: Any) -> str:
    """The dtype Keras gives to a mix of Python numbers and arrays.

    Python numbers are weak: alone, ints give int32 and floats float32; next to arrays they only lift an
    integer result to float32.
    """
    arrays = [np.dtype(v.dtype) if isinstance(v, Tensor) else np.asarray(v).dtype
              for v in values if not isinstance(v, (bool, int, float)) or isinstance(v, np.generic)]
    has_float = any(isinstance(v, float) and not isinstance(v, np.generic) for v in values)
    if arrays:
        dtype = np.result_type(*arrays)
        return floatx() if has_float and dtype.kind != "f" else dtype.name
    if has_float:
        return floatx()
    return "bool" if values and all(isinstance(v, bool) for v in values) else "int32"


def arange(start: Number, stop: Optional[Number] = None, step: Optional[Number] = None,
           dtype: Optional[DType] = None) -> Tensor:
    """Evenly spaced values in ``[start, stop)``, as ``np.arange``.

    Args:
        start: the first value (or, with ``stop`` None, the end: values from 0).
        stop: the end (excluded).
        step: the spacing (default 1).
        dtype: the dtype (None: int32 for Python ints, float32 for Python floats, as in Keras).

    Returns:
        A Tensor of rank 1.

    Example:
        >>> from kerasette import ops
        >>> ops.arange(4).numpy().tolist(), ops.arange(4).dtype
        ([0, 1, 2, 3], 'int32')
        >>> ops.arange(1.0, 2.0, 0.25).numpy().tolist()
        [1.0, 1.25, 1.5, 1.75]
    """
    if dtype is None:
        dtype = _keras_dtype(*[v for v in (start, stop, step) if v is not None])
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if step == 0:
        raise ValueError("`arange`: `step` must not be 0.")
    values = [v.item() if isinstance(v, (np.generic, np.ndarray)) else v for v in (start, stop, step)]
    if isinstance(values[0], Tensor) or isinstance(values[1], Tensor) or isinstance(values[2], Tensor):
        values = [float(v) if isinstance(v, Tensor) else v for v in values]
    return Tensor(_backend().arange(*values, np.dtype(dtype).name))


def _space(start, stop, num, endpoint, axis, op):
    """``(samples, step)``: ``num`` points from ``start`` to ``stop`` (arrays broadcast), stacked along ``axis``.

    Computed as numpy does (``k * step + start``, the last sample set to ``stop``); differentiable with respect
    to ``start`` and ``stop``.
    """
    num = int(num)
    if num < 0:
        raise ValueError(f"`{op}`: `num` must be non-negative. Received: num={num}")
    start, stop = to_float(start), to_float(stop)
    div = (num - 1) if endpoint else num
    shape = np.broadcast_shapes(start.shape, stop.shape)
    k = convert_to_tensor(np.arange(num, dtype=np.float64).reshape((num,) + (1,) * len(shape)), dtype=start.dtype)
    step = multiply(subtract(stop, start), 1.0 / div) if div > 0 else None
    samples = add(multiply(k, step), start) if step is not None else broadcast_to(start, (num,) + shape)
    if endpoint and num > 1:  # the last sample is exactly stop, as numpy makes it
        samples = concatenate([samples[:-1], reshape(broadcast_to(stop, shape), (1,) + shape)], axis=0)
    return _move_first_axis(samples, axis, op), step


def _move_first_axis(samples, axis, op):
    axis = normalize_axis(axis, samples.ndim, op)
    if axis:
        from kerasette.ops.manipulation import moveaxis

        samples = moveaxis(samples, 0, axis)
    return samples


def linspace(start: TensorLike, stop: TensorLike, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Optional[DType] = None, axis: int = 0) -> Union[Tensor, Tuple[Tensor, Tensor]]:
    """``num`` evenly spaced values from ``start`` to ``stop``, as ``np.linspace``.

    Differentiable with respect to tensor ``start`` and ``stop``, which may be arrays (the samples are
    stacked along ``axis``).

    Args:
        start: the first value.
        stop: the last value (excluded when ``endpoint`` is False).
        num: the number of values.
        endpoint: whether ``stop`` is the last value.
        retstep: also return the spacing.
        dtype: the dtype (None: float32 for Python numbers, else the inputs' float dtype).
        axis: where the new axis goes, for array ``start`` / ``stop``.

    Returns:
        A Tensor, or ``(samples, step)`` with ``retstep``.

    Example:
        >>> from kerasette import ops
        >>> ops.linspace(0.0, 1.0, 5).numpy().tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if dtype is None:
        dtype = _keras_dtype(start, stop, 0.0)
    samples, step = _space(_as_dtype(start, dtype), _as_dtype(stop, dtype), num, endpoint, axis, "linspace")
    samples = _cast(samples, dtype)
    if retstep:
        return samples, (step if step is not None else full((), np.nan, samples.dtype))
    return samples


def _as_dtype(value, dtype):
    if isinstance(value, Tensor):
        return value if np.dtype(value.dtype).kind == "f" else to_float(value)
    float_dtype = dtype if np.dtype(dtype).kind == "f" else "float64"
    return convert_to_tensor(np.asarray(value, dtype=float_dtype))


def _cast(x, dtype):
    return x if x.dtype == np.dtype(dtype).name else cast(x, dtype)


def logspace(start: TensorLike, stop: TensorLike, num: int = 50, endpoint: bool = True, base: float = 10,
             dtype: Optional[DType] = None, axis: int = 0) -> Tensor:
    """``base ** linspace(start, stop, num)``, as ``np.logspace``.

    Args:
        start: the first exponent.
        stop: the last exponent (excluded when ``endpoint`` is False).
        num: the number of values.
        endpoint: whether ``stop`` is the last exponent.
        base: the base.
        dtype: the dtype (None: float32 for Python numbers).
        axis: where the new axis goes, for array ``start`` / ``stop``.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.logspace(0.0, 2.0, 3).numpy().tolist()
        [1.0, 10.0, 100.0]
    """
    if dtype is None:
        dtype = _keras_dtype(start, stop, 0.0)
    exponents, _ = _space(_as_dtype(start, "float64"), _as_dtype(stop, "float64"), num, endpoint, axis, "logspace")
    return _cast(power(base, exponents), dtype)


def geomspace(start: TensorLike, stop: TensorLike, num: int = 50, endpoint: bool = True,
              dtype: Optional[DType] = None, axis: int = 0) -> Tensor:
    """``num`` values from ``start`` to ``stop`` spaced evenly on a log scale, as ``np.geomspace``.

    ``start`` and ``stop`` must have the same sign and be nonzero.

    Args:
        start: the first value.
        stop: the last value (excluded when ``endpoint`` is False).
        num: the number of values.
        endpoint: whether ``stop`` is the last value.
        dtype: the dtype (None: float32).
        axis: where the new axis goes, for array ``start`` / ``stop``.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.geomspace(1.0, 1000.0, 4).numpy().tolist()]
        [1.0, 10.0, 100.0, 1000.0]
    """
    dtype = dtype or floatx()
    start, stop = _as_dtype(start, "float64"), _as_dtype(stop, "float64")
    logs, _ = _space(log(abs(start)), log(abs(stop)), num, endpoint, 0, "geomspace")
    samples = multiply(exp(logs), sign(start))
    num, shape = int(num), samples.shape[1:]
    if num > 0:  # the ends are exactly start and stop, as numpy makes them
        ends = [reshape(broadcast_to(start, shape), (1,) + shape), samples[1:]]
        if endpoint and num > 1:
            ends = [ends[0], samples[1:-1], reshape(broadcast_to(stop, shape), (1,) + shape)]
        samples = concatenate(ends, axis=0)
    return _cast(_move_first_axis(samples, axis, "geomspace"), dtype)


def eye(N: int, M: Optional[int] = None, k: int = 0, dtype: Optional[DType] = None) -> Tensor:  # noqa: N803
    """A matrix with ones on diagonal ``k`` and zeros elsewhere.

    Args:
        N: the number of rows.
        M: the number of columns (None: ``N``).
        k: the diagonal: 0 the main one, positive above it, negative below.
        dtype: the dtype (None: float32).

    Returns:
        A Tensor of shape ``(N, M)``.

    Example:
        >>> from kerasette import ops
        >>> ops.eye(2, 3, k=1).numpy().tolist()
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    return convert_to_tensor(np.eye(int(N), None if M is None else int(M), int(k), dtype=dtype or floatx()))


def identity(n: int, dtype: Optional[DType] = None) -> Tensor:
    """The ``n`` x ``n`` identity matrix.

    Args:
        n: the number of rows and columns.
        dtype: the dtype (None: float32).

    Returns:
        A Tensor of shape ``(n, n)``.
    """
    return eye(n, dtype=dtype)


def tri(N: int, M: Optional[int] = None, k: int = 0, dtype: Optional[DType] = None) -> Tensor:  # noqa: N803
    """A matrix with ones on and below diagonal ``k`` and zeros above.

    Args:
        N: the number of rows.
        M: the number of columns (None: ``N``).
        k: the diagonal: 0 the main one, positive above it, negative below.
        dtype: the dtype (None: float32).

    Returns:
        A Tensor of shape ``(N, M)``.

    Example:
        >>> from kerasette import ops
        >>> ops.tri(2).numpy().tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """
    return convert_to_tensor(np.tri(int(N), None if M is None else int(M), int(k), dtype=dtype or floatx()))


def empty(shape: ShapeLike, dtype: Optional[DType] = None) -> Tensor:
    """A new tensor of ``shape``; its values are zeros (Keras leaves them unspecified).

    Args:
        shape: the shape.
        dtype: the dtype (None: float32).

    Returns:
        A Tensor.
    """
    return zeros(shape, dtype or floatx())


def empty_like(x: TensorLike, dtype: Optional[DType] = None) -> Tensor:
    """A new tensor shaped like ``x``; its values are zeros.

    Args:
        x: the tensor whose shape (and, by default, dtype) is copied.
        dtype: the dtype (None: ``x``'s).

    Returns:
        A Tensor.
    """
    x = tensor(x)
    return zeros(x.shape, dtype or x.dtype)


def full_like(x: TensorLike, fill_value: TensorLike, dtype: Optional[DType] = None) -> Tensor:
    """A tensor shaped like ``x`` filled with ``fill_value``.

    Args:
        x: the tensor whose shape (and, by default, dtype) is copied.
        fill_value: the value, a number or a tensor broadcast to ``x``'s shape.
        dtype: the dtype (None: ``x``'s).

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.full_like(ops.zeros((2,)), 3.5).numpy().tolist()
        [3.5, 3.5]
    """
    x = tensor(x)
    dtype = dtype or x.dtype
    if isinstance(fill_value, (int, float, bool, np.generic)):
        return full(x.shape, fill_value, dtype)
    return broadcast_to(_cast(tensor(fill_value), dtype), x.shape)


def array(x: TensorLike, dtype: Optional[DType] = None) -> Tensor:
    """``x`` as a Tensor (``convert_to_tensor``).

    Args:
        x: a Tensor, array, number or nested list.
        dtype: the dtype (None: inferred; Python floats become float32).

    Returns:
        A Tensor.
    """
    return convert_to_tensor(x, dtype=dtype)


def copy(x: TensorLike) -> Tensor:
    """A copy of ``x`` with its own storage; gradients pass through.

    Args:
        x: the input tensor.

    Returns:
        A Tensor equal to ``x``.
    """
    x = tensor(x)
    return make_tensor(_backend().copy(_data(x)), (x,), [lambda g: g])


def vander(x: TensorLike, N: Optional[int] = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of vector ``x``: columns ``x ** (N - 1), ..., x, 1``.

    With ``increasing`` the columns are reversed. Built from cumulative products, so the gradient is exact at 0 too.

    Args:
        x: a vector.
        N: the number of columns (None: ``len(x)``).
        increasing: powers increase from left to right.

    Returns:
        A Tensor of shape ``(len(x), N)``.

    Example:
        >>> from kerasette import ops
        >>> ops.vander([1.0, 2.0, 3.0], 3).numpy().tolist()
        [[1.0, 1.0, 1.0], [4.0, 2.0, 1.0], [9.0, 3.0, 1.0]]
    """
    from kerasette.ops.creation import ones
    from kerasette.ops.manipulation import flip
    from kerasette.ops.scans import cumprod

    x = tensor(x)
    if x.ndim != 1:
        raise ValueError(f"`vander` needs a vector. Received a tensor of shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    if n == 0:
        return zeros((x.shape[0], 0), x.dtype)
    column = reshape(x, (-1, 1))
    factors = concatenate([ones((x.shape[0], 1), x.dtype), broadcast_to(column, (x.shape[0], n - 1))], axis=1)
    powers = cumprod(factors, axis=1)
    return powers if increasing else flip(powers, axis=1)


def meshgrid(*x: TensorLike, indexing: str = "xy") -> List[Tensor]:
    """Coordinate grids from coordinate vectors, as ``np.meshgrid``.

    Args:
        *x: one vector per dimension.
        indexing: ``"xy"`` (Cartesian: the first two output axes swapped) or ``"ij"`` (matrix).

    Returns:
        A list of Tensors, all of one shape.

    Raises:
        ValueError: for another ``indexing``.

    Example:
        >>> from kerasette import ops
        >>> xs, ys = ops.meshgrid([1.0, 2.0, 3.0], [4.0, 5.0])
        >>> xs.numpy().tolist()
        [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f'Invalid value for argument `indexing` of `meshgrid`. Expected "xy" or "ij". '
                         f"Received: indexing={indexing!r}")
    vectors = [reshape(tensor(v), (-1,)) for v in x]
    shape = [v.shape[0] for v in vectors]
    if indexing == "xy" and len(vectors) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, v in enumerate(vectors):
        position = i
        if indexing == "xy" and len(vectors) > 1 and i < 2:
            position = 1 - i
        view = [1] * len(vectors)
        view[position] = v.shape[0]
        grids.append(broadcast_to(reshape(v, view), shape))
    return grids

