"""Numpy primitive for int8 quantization: ``int8_matmul``.

numpy has no fast int8 GEMM (an integer ``np.matmul`` runs without BLAS, tens of times slower than
SGEMM), so the int8 operands are converted to float and multiplied by the float GEMM. Every product of
two int8 values and every partial sum of up to ``_EXACT_FLOAT32_K`` of them is an integer below 2**24,
exactly representable in float32, so the result is the exact integer sum; longer contractions run in
float64 (exact up to 2**53).
"""

import numpy as np
from kerasette.backends.numpy._threads import gemm as _gemm

__all__ = ["int8_matmul"]

_EXACT_FLOAT32_K = 1024  # 1024 * 128 * 128 == 2**24


def check_int8_operands(a, b):
    """Raise unless ``a`` (..., M, K) and ``b`` (..., K, N) are int8 arrays that multiply (every backend's check)."""
    if a.dtype != np.int8 or b.dtype != np.int8:
        raise TypeError(f"int8_matmul needs int8 operands; received {a.dtype} and {b.dtype}.")
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-2]:
        raise ValueError(f"int8_matmul: shapes {a.shape} and {b.shape} do not multiply (need (..., M, K) and "
                         "(..., K, N)).")


def int8_matmul(a, b):
    a, b = np.asarray(a), np.asarray(b)
    check_int8_operands(a, b)
    dtype = np.float32 if a.shape[-1] <= _EXACT_FLOAT32_K else np.float64
    return _gemm(a.astype(dtype), b.astype(dtype)).astype(np.int32)
