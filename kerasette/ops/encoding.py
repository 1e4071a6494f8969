"""One-hot and multi-hot encodings with Keras's signatures (class axis anywhere, default dtype float32)."""

from __future__ import annotations

from typing import Any, Optional

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, floatx
from kerasette.ops._promote import normalize_axis, tensor
from kerasette.ops._types import DType, TensorLike
from kerasette.ops.tensor import Tensor


def _no_sparse(sparse, op):
    if sparse:
        raise ValueError(f"Invalid value for argument `sparse` of `{op}`: kerasette has no sparse tensors. "
                         "Received: sparse=True")


def one_hot(x: TensorLike, num_classes: int, axis: int = -1, dtype: Optional[DType] = None,
            sparse: bool = False) -> Tensor:
    """One-hot encode integer class indices along a new axis.

    Indices outside ``[0, num_classes)`` (-1 included) give all-zero vectors, as in TensorFlow and JAX.

    Args:
        x: integer class indices, any shape.
        num_classes: the length of the new axis.
        axis: where the new axis goes (-1: last).
        dtype: the dtype of the result (None: float32).
        sparse: must be False (kerasette has no sparse tensors).

    Returns:
        A Tensor with one more axis than ``x``.

    Raises:
        ValueError: for ``sparse=True``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.one_hot(np.array([0, 2]), 3).numpy().tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
        >>> ops.one_hot(np.array([0, 2]), 3, axis=0).numpy().tolist()
        [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    """
    _no_sparse(sparse, "one_hot")
    x = tensor(x)
    out = Tensor(_backend().one_hot(_data(x), int(num_classes), dtype or floatx()))
    axis = normalize_axis(axis, x.ndim + 1, "one_hot")
    if axis != x.ndim:
        from kerasette.ops.manipulation import moveaxis

        out = moveaxis(out, -1, axis)
    return out


def multi_hot(inputs: TensorLike, num_classes: Optional[int] = None, axis: int = -1,
              dtype: Optional[DType] = None, sparse: bool = False, **kwargs: Any) -> Tensor:
    """Multi-hot encode lists of class indices: 1 for each class present (per row for a batch).

    Args:
        inputs: integer class indices: a vector (one set) or a matrix (one set per row).
        num_classes: the number of classes (Keras 2's name ``num_tokens`` is accepted as a keyword).
        axis: where the class axis goes.
        dtype: the dtype of the result (None: float32).
        sparse: must be False (kerasette has no sparse tensors).
        **kwargs: ``num_tokens`` only.

    Returns:
        A Tensor: ``(num_classes,)`` for a vector, ``(rows, num_classes)`` for a matrix.

    Raises:
        ValueError: without ``num_classes``, or for ``sparse=True``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> ops.multi_hot(np.array([[0, 2], [1, 1]]), 4).numpy().tolist()
        [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]]
    """
    if "num_tokens" in kwargs:
        if num_classes is not None:
            raise ValueError("`multi_hot`: pass `num_classes` or `num_tokens`, not both.")
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"`multi_hot` got unexpected keyword arguments {sorted(kwargs)}.")
    if num_classes is None:
        raise ValueError("Argument `num_classes` of `multi_hot` is required.")
    _no_sparse(sparse, "multi_hot")
    from kerasette.ops.reductions import max as _max

    x = cast(tensor(inputs), "int32")
    reduce_axis = 1 if x.ndim > 1 else 0
    return _max(one_hot(x, num_classes, axis=axis, dtype=dtype), axis=reduce_axis)



