"""Tensor facts and dtype conversions: dtype, ndim, size, saturate_cast, view."""

from __future__ import annotations

from typing import Optional

import numpy as np

from kerasette.ops._helpers import cast, convert_to_numpy, convert_to_tensor
from kerasette.ops._promote import is_float, tensor
from kerasette.ops._types import DType, TensorLike
from kerasette.ops.elementwise import clip
from kerasette.ops.tensor import Tensor


def dtype(x: TensorLike) -> str:
    """The dtype name of ``x``, e.g. ``"float32"`` (Python floats count as float32, as in Keras).

    Args:
        x: a tensor, array or Python value.

    Returns:
        The dtype's name.

    Example:
        >>> from kerasette import ops
        >>> ops.dtype(ops.ones((2,))), ops.dtype(1.5)
        ('float32', 'float32')
    """
    return tensor(x).dtype


def ndim(x: TensorLike) -> int:
    """The number of axes of ``x``.

    Args:
        x: a tensor, array or Python value.

    Returns:
        An int.

    Example:
        >>> from kerasette import ops
        >>> ops.ndim(ops.zeros((2, 3)))
        2
    """
    return len(tensor(x).shape)


def size(x: TensorLike) -> int:
    """The number of elements of ``x``.

    Args:
        x: a tensor, array or Python value.

    Returns:
        An int.

    Example:
        >>> from kerasette import ops
        >>> ops.size(ops.zeros((2, 3)))
        6
    """
    return int(np.prod(tensor(x).shape, dtype=np.int64))


def saturate_cast(x: TensorLike, dtype: DType) -> Tensor:
    """Cast ``x`` to ``dtype``, first clipping it into the range ``dtype`` can hold (no wrap-around).

    Args:
        x: the input tensor.
        dtype: the target dtype.

    Returns:
        A Tensor of ``dtype``.

    Example:
        >>> from kerasette import ops
        >>> ops.saturate_cast([-10.0, 100.5, 300.0], "uint8").numpy().tolist()
        [0, 100, 255]
    """
    x = tensor(x)
    target = np.dtype(dtype)
    if target.kind in "iu":
        info = np.iinfo(target)
        low, high = info.min, info.max
    elif target.kind == "f":
        info = np.finfo(target)
        low, high = float(info.min), float(info.max)
    else:
        return cast(x, target.name)
    source = np.dtype(x.dtype)
    if source.kind in "iub":
        source_low, source_high = (np.iinfo(source).min, np.iinfo(source).max) if source.kind != "b" else (0, 1)
    else:
        source_low, source_high = float(np.finfo(source).min), float(np.finfo(source).max)
    if low > source_low or high < source_high:
        if is_float(source) and target.kind in "iu":
            # the largest value of the source dtype not above the target's maximum (int64 max rounds up in float)
            high = float(np.nextafter(source.type(high), source.type(-np.inf))) if float(source.type(high)) > high \
                else high
        x = clip(x, max(low, source_low), min(high, source_high))
    return cast(x, target.name)


def view(x: TensorLike, dtype: Optional[DType] = None) -> Tensor:
    """``x``'s bytes reinterpreted as ``dtype`` (``ndarray.view``); the last axis scales with the item size.

    Computed on the host (one transfer each way on a device); not differentiable.

    Args:
        x: the input tensor.
        dtype: the new dtype (None: ``x``'s own).

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.view(np.array([1.0], dtype="float32"), "int32").numpy().tolist()
        [1065353216]
    """
    host = np.ascontiguousarray(convert_to_numpy(tensor(x)))
    return convert_to_tensor(host if dtype is None else host.view(np.dtype(dtype)))
