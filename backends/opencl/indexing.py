"""The index type of the OpenCL kernels: 32-bit unless some buffer a kernel walks is too long for it.

Kernels are built with ``IDX`` defined as ``int`` or ``long``; ``index_type`` chooses it from the sizes of
the buffers involved and ``index_arg`` passes a count as a scalar argument of that type.
"""

import numpy as np
from kerasette.backends.opencl import launch

_INT32_LIMIT = 2**31


def index_type(*sizes):
    """("int", np.int32) when every size (element count) is below 2^31, else ("long", np.int64)."""
    return ("int", np.int32) if max(sizes, default=0) < _INT32_LIMIT else ("long", np.int64)


def index_arg(n, idx):
    """``n`` as a kernel argument of the index type ``idx`` ("int" or "long")."""
    return launch.i32(n) if idx == "int" else launch.i64(n)
