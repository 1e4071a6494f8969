"""Private helpers of the op modules added for Keras's full ``keras.ops``: dtype rules and custom gradients.

Keras's dtype rules, where they differ from numpy's: float math on integer or boolean tensors computes in
``floatx()`` (float32); index results (argmin, argsort, top_k indices, nonzero...) are int32.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_tensor, floatx
from kerasette.ops.autodiff import make_tensor, stop_recording
from kerasette.ops.tensor import Tensor


def tensor(x: Any) -> Tensor:
    """``x`` as a Tensor (Tensors pass through)."""
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def is_float(dtype: Any) -> bool:
    return np.issubdtype(np.dtype(dtype), np.floating)


def is_int(dtype: Any) -> bool:
    return np.issubdtype(np.dtype(dtype), np.integer)


def to_float(x: Any) -> Tensor:
    """``x`` as a float Tensor: float tensors pass through, integers and booleans become ``floatx()``."""
    x = tensor(x)
    return x if is_float(x.dtype) else cast(x, floatx())


def float_pair(a: Any, b: Any):
    """Two operands as Tensors of one float dtype (numpy's promotion, integers -> ``floatx()``).

    A Python number is weak: it takes the other operand's dtype.
    """
    a = a if _weak(a) else tensor(a)
    b = b if _weak(b) else tensor(b)
    dtypes = [t.dtype for t in (a, b) if isinstance(t, Tensor)]
    dtype = np.result_type(*dtypes) if dtypes else np.dtype(floatx())
    dtype = dtype.name if is_float(dtype) else floatx()
    a = cast(a, dtype) if isinstance(a, Tensor) else convert_to_tensor(a, dtype=dtype)
    b = cast(b, dtype) if isinstance(b, Tensor) else convert_to_tensor(b, dtype=dtype)
    return a, b


def _weak(value: Any) -> bool:
    """Python numbers take the other operand's dtype; numpy scalars keep their own."""
    return isinstance(value, (int, float, bool)) and not isinstance(value, np.generic)


def index_result(data: Any) -> Tensor:
    """A backend index array (int64 from the primitives) as an int32 Tensor, as Keras returns indices."""
    return Tensor(_backend().cast(data, "int32"))


def with_gradient(compute: Callable[[], Tensor], parents: Sequence[Any],
                  grad_fns: Sequence[Optional[Callable[[Tensor], Tensor]]]) -> Tensor:
    """``compute()`` evaluated without recording, then recorded as one op of ``parents`` with ``grad_fns``.

    For composites whose tape gradient would be wrong or unstable at some points (ties, zeros, overflow
    in an unused branch): the forward pass is built from ops, the gradient is written by hand.
    """
    with stop_recording():
        out = compute()
    return make_tensor(_data(out), parents, grad_fns)


def normalize_axis(axis: int, ndim: int, op: str) -> int:
    """``axis`` in [0, ndim), or a ValueError naming ``op``."""
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"`{op}`: axis {axis} is out of range for a tensor of rank {ndim}.")
    return axis % ndim


def normalize_axes(axis: Any, ndim: int, op: str) -> tuple:
    """``axis`` (None, an int or a sequence) as a sorted tuple of axes in [0, ndim)."""
    if axis is None:
        return tuple(range(ndim))
    items = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = tuple(sorted(normalize_axis(a, ndim, op) for a in items))
    if len(set(axes)) != len(axes):
        raise ValueError(f"`{op}`: repeated axis in {axis!r}.")
    return axes
