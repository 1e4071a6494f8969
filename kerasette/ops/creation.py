"""Tensor creation: filled tensors (zeros, ones, full and their ``_like`` forms) and one-hot encodings."""

from __future__ import annotations

from typing import Optional

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, _shape, convert_to_tensor
from kerasette.ops._types import DType, ShapeLike, TensorLike
from kerasette.ops.tensor import Tensor


def zeros(shape: ShapeLike, dtype: DType = "float32") -> Tensor:
    """A new tensor of the given shape filled with zeros.

    Args:
        shape: the shape, a sequence of ints.
        dtype: the dtype of the result.

    Returns:
        A Tensor of zeros.

    Example:
        >>> from kerasette import ops
        >>> ops.zeros((2, 3)).numpy().tolist()
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    return Tensor(_backend().zeros(tuple(shape), dtype))


def ones(shape: ShapeLike, dtype: DType = "float32") -> Tensor:
    """A new tensor of the given shape filled with ones.

    Args:
        shape: the shape, a sequence of ints.
        dtype: the dtype of the result.

    Returns:
        A Tensor of ones.

    Example:
        >>> from kerasette import ops
        >>> ops.ones((2,), dtype="int32").numpy().tolist()
        [1, 1]
    """
    return Tensor(_backend().ones(tuple(shape), dtype))


def full(shape: ShapeLike, fill_value: float, dtype: DType = "float32") -> Tensor:
    """A new tensor of the given shape filled with ``fill_value``.

    Args:
        shape: the shape, a sequence of ints.
        fill_value: the value of every element.
        dtype: the dtype of the result.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> ops.full((2,), 7.5).numpy().tolist()
        [7.5, 7.5]
    """
    return Tensor(_backend().full(tuple(shape), fill_value, dtype))


def zeros_like(x: TensorLike, dtype: Optional[DType] = None) -> Tensor:
    """Zeros with the shape (and, by default, the dtype) of ``x``.

    Args:
        x: the tensor whose shape is copied.
        dtype: the dtype of the result (None: ``x``'s dtype).

    Returns:
        A Tensor of zeros.
    """
    return zeros(_shape(x), dtype or convert_to_tensor(x).dtype)


def ones_like(x: TensorLike, dtype: Optional[DType] = None) -> Tensor:
    """Ones with the shape (and, by default, the dtype) of ``x``.

    Args:
        x: the tensor whose shape is copied.
        dtype: the dtype of the result (None: ``x``'s dtype).

    Returns:
        A Tensor of ones.
    """
    return ones(_shape(x), dtype or convert_to_tensor(x).dtype)


def one_hot(x: TensorLike, num_classes: int, dtype: DType = "float32") -> Tensor:
    """One-hot encode integer class indices along a new last axis.

    Unlike ``keras.ops.one_hot`` there is no ``axis`` or ``sparse`` argument: the class axis is
    always the last one and the result is dense.

    Args:
        x: integer class indices, any shape.
        num_classes: the length of the new axis.
        dtype: the dtype of the result.

    Returns:
        A Tensor of shape ``x.shape + (num_classes,)``.

    Example:
        >>> from kerasette import ops
        >>> ops.one_hot(ops.convert_to_tensor([0, 2]), 3).numpy().tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    return Tensor(_backend().one_hot(_data(x), int(num_classes), dtype))
