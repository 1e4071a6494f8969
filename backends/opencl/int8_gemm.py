"""``int8_matmul`` on the device: int8 x int8 products with int32 accumulation, for int8 quantization.

Two kernel forms (``kernels/int8_gemm.cl``): ``"vector"``, register-blocked outer products in 16-bit lanes
widened to int32 (portable; the default where the device lacks ``cl_khr_integer_dot_product``, as PoCL on
x86 does), and ``"dot"``, dot products of four int8 at a time over B transposed to (N, K), which uses the
extension's ``dot(char4, char4)`` where the device has it. Both give the exact integer sums.
"""

import math

import numpy as np
from kerasette.backends.numpy.quantized import check_int8_operands
from kerasette.backends.opencl import creation, launch, memory, runtime, shape_ops

__all__ = ["int8_matmul"]

_FILE = "int8_gemm.cl"
_MAX_BATCH = 65535  # batches per launch (the third global dimension is limited on some GPUs)
_VECTOR = {"WPTM": 4, "NV": 2}  # 4 rows x 32 columns of C per work-item
_DOT = {"WPTM": 4, "WPTN": 4}
FORMS = ("vector", "dot")


def has_dot_product():
    """Whether the device reports ``cl_khr_integer_dot_product`` (then ``"dot"`` is the default form)."""
    return "cl_khr_integer_dot_product" in runtime.get().device.extensions


def int8_matmul(a, b, form=None):
    """``a @ b`` for int8 ``a`` (..., M, K) and ``b`` (..., K, N) as exact int32 sums; leading axes broadcast.

    ``form``: ``"vector"`` or ``"dot"`` (see the module docstring); None picks by the device.
    """
    a, b = creation.asarray(a), creation.asarray(b)
    check_int8_operands(a, b)
    form = form or ("dot" if has_dot_product() else "vector")
    if form not in FORMS:
        raise ValueError(f"int8_matmul: unknown form {form!r}; expected one of {FORMS}.")
    (m, k), n = a.shape[-2:], b.shape[-1]
    batch = tuple(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]))
    c = memory.empty(batch + (m, n), np.int32)
    if c.size == 0:
        return c
    if k == 0:
        return creation.zeros(c.shape, np.int32)
    if all(s == 1 for s in b.shape[:-2]):  # one B for every batch: A's batches are more rows
        rows = math.prod(batch) * m
        a2 = a if a.shape[:-2] == batch else shape_ops.broadcast_to(a, batch + (m, k))
        _run(form, a2, creation.reshape(b, (k, n)), c, rows, n, k, 1)
    else:
        a2 = shape_ops.broadcast_to(a, batch + (m, k))
        b2 = shape_ops.broadcast_to(b, batch + (k, n))
        _run(form, a2, b2, c, m, n, k, math.prod(batch))
    return c


def _run(form, a, b, c, m, n, k, count):
    """C[i] = A[i] @ B[i] for ``count`` contiguous (m, k) and (k, n) matrices (one B when ``b`` is 2-D)."""
    b_stride = 0 if b.ndim == 2 else k * n
    if form == "dot":
        axes = tuple(range(b.ndim - 2)) + (b.ndim - 1, b.ndim - 2)
        b = shape_ops.transpose(b, axes)  # (..., N, K): both operands run along k
        kernel = launch.kernel(_FILE, "int8_gemm_dot", INT8_DOT=1, HAS_DOT_EXT=int(has_dot_product()), **_DOT)
        grid, ldb = (-(-n // _DOT["WPTN"]), -(-m // _DOT["WPTM"])), k
    else:
        kernel = launch.kernel(_FILE, "int8_gemm", INT8_GEMM=1, **_VECTOR)
        grid, ldb = (-(-n // (16 * _VECTOR["NV"])), -(-m // _VECTOR["WPTM"])), n
    args = (a, launch.i64(0), b, launch.i64(0), c, launch.i64(0), launch.i32(m), launch.i32(n), launch.i32(k),
            launch.i32(k), launch.i32(ldb), launch.i64(0), launch.i64(m * k), launch.i64(0), launch.i64(b_stride),
            launch.i32(count))
    for batch0 in range(0, count, _MAX_BATCH):
        launch.run(kernel, grid + (min(_MAX_BATCH, count - batch0),), None, *args, launch.i32(batch0))
