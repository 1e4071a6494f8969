"""Cumulative sums and products along one axis (kernel in ``scan.cl``).

Each row along the axis is walked in order by one work-item, which keeps numpy's rounding; rows run in
parallel (a long single row runs on one work-item).
"""

import math

import numpy as np
from kerasette.backends.opencl import creation, launch, memory
from kerasette.backends.opencl.memory import cl_type
from kerasette.backends.opencl.shape_ops import _axis

__all__ = ["cumsum", "cumprod"]

_LOCAL = 64


def _scan(x, axis, op, numpy_fn):
    x = creation.asarray(x)
    axis = _axis(axis, x.ndim, op)
    out_dtype = numpy_fn(np.zeros(1, x.dtype)).dtype  # numpy's: int32 and bool accumulate in int64
    out = memory.empty(x.shape, out_dtype)
    length = x.shape[axis]
    outer, inner = math.prod(x.shape[:axis]), math.prod(x.shape[axis + 1:])
    kernel = launch.kernel("scan.cl", "scan", TI=cl_type(x.dtype), TO=cl_type(out_dtype), **{f"OP_{op.upper()}": 1})
    launch.run(kernel, outer * inner, _LOCAL, x, out, launch.i64(outer * inner), launch.i64(length),
               launch.i64(inner))
    return out


def cumsum(x, axis):
    """Numpy's cumsum along an int ``axis``."""
    return _scan(x, axis, "cumsum", np.cumsum)


def cumprod(x, axis):
    """Numpy's cumprod along an int ``axis``."""
    return _scan(x, axis, "cumprod", np.cumprod)
