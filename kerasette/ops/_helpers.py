"""Conversion to tensors and the dispatch helpers that every op module builds on."""

from __future__ import annotations

from typing import Optional

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._types import DType, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.tensor import Tensor

_PY_SCALARS = (int, float, bool, np.number, np.bool_)


def floatx() -> str:
    """The default float dtype, ``"float32"`` (as ``keras.config.floatx()``).

    Returns:
        The dtype name.

    Example:
        >>> floatx()
        'float32'
    """
    return "float32"


def convert_to_tensor(x: TensorLike, dtype: Optional[DType] = None, sparse: Optional[bool] = None,
                      ragged: Optional[bool] = None) -> Tensor:
    """Return ``x`` as a Tensor on the active backend (Tensors pass through).

    Python floats and lists of floats become float32 (``floatx()``), as in Keras; numpy arrays keep
    their dtype unless ``dtype`` is given.

    Args:
        x: a Tensor, a numpy array or scalar, a Python number or a nested list.
        dtype: the dtype of the result (None: inferred from ``x``). A Tensor of another dtype is cast.
        sparse: Keras's flag for keeping sparse tensors sparse. kerasette has no sparse tensors, so every
            input is dense and stays dense, whatever the flag (as Keras does with a dense input).
        ragged: Keras's flag for keeping ragged tensors ragged; as ``sparse``, nothing is ragged here.

    Returns:
        A Tensor.

    Example:
        >>> from kerasette import ops
        >>> t = ops.convert_to_tensor([1.0, 2.0])
        >>> t.shape, t.dtype
        ((2,), 'float32')
    """
    if isinstance(x, Tensor):
        return x if dtype is None or x.dtype == dtype else cast(x, dtype)
    if dtype is None:
        array = np.asarray(x)
        if array.dtype == np.float64 and not isinstance(x, np.ndarray):
            dtype = floatx()  # Python floats and lists become float32, as in Keras
    return Tensor(_backend().asarray(x, dtype=dtype))


def convert_to_numpy(x: TensorLike) -> np.ndarray:
    """A host copy of ``x`` as a numpy array (for a Tensor, its ``numpy()``).

    Args:
        x: a Tensor or anything ``np.asarray`` accepts.

    Returns:
        A numpy array.

    Example:
        >>> from kerasette import ops
        >>> ops.convert_to_numpy(ops.ones((2,))).tolist()
        [1.0, 1.0]
    """
    return x.numpy() if isinstance(x, Tensor) else np.asarray(x)


def cast(x: TensorLike, dtype: DType) -> Tensor:
    """Cast ``x`` to ``dtype``; the gradient flows back (cast to ``x``'s dtype) between float dtypes.

    Args:
        x: the input tensor.
        dtype: the target dtype, e.g. ``"float32"`` or ``"int32"``.

    Returns:
        A Tensor of dtype ``dtype``.

    Example:
        >>> from kerasette import ops
        >>> ops.cast(ops.convert_to_tensor([1.7, -2.2]), "int32").numpy().tolist()
        [1, -2]
    """
    x_dtype = x.dtype if isinstance(x, Tensor) else np.asarray(x).dtype.name

    def grad(g):
        return cast(g, x_dtype)

    floating = np.issubdtype(np.dtype(x_dtype), np.floating) and np.issubdtype(np.dtype(dtype), np.floating)
    return make_tensor(_backend().cast(_data(x), dtype), (x,), [grad if floating else None])


def _data(x):
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (np.generic,)):
        return x.item()  # numpy scalars would promote float32 arrays to float64
    if isinstance(x, _PY_SCALARS):
        return x
    return convert_to_tensor(x).data


def _shape(x):
    return x.shape if isinstance(x, Tensor) else np.shape(x)


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axis = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(int(a) % ndim for a in axis)


def _unary(primitive, x, grad_fn, *args):
    return make_tensor(getattr(_backend(), primitive)(_data(x), *args), (x,), [grad_fn])


def _unary_using_output(primitive, x, grad_fn, *args):
    """``_unary`` for rules written with the op's output: ``grad_fn(g, y)`` gets the output as an untracked Tensor.

    Capturing the output Tensor itself would make it reach itself through its own node, a
    reference cycle that keeps every step's graph alive until the garbage collector runs.
    """
    data = getattr(_backend(), primitive)(_data(x), *args)
    y = Tensor(data)
    return make_tensor(data, (x,), [lambda g: grad_fn(g, y)])
