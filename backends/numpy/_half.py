"""float16 GEMMs as GPUs run them: float16 operands, products summed in float32, the result rounded to float16.

numpy's own float16 ``matmul`` has no BLAS kernel: it converts and multiplies element by element,
about a hundred times slower than SGEMM (a mixed-precision convnet epoch took two minutes instead of
one second). Converting the operands to float32, running SGEMM and rounding the result to float16 is
what float16 tensor-core GEMMs do (float32 accumulation), and it is at least as accurate as summing in
float16. Elementwise ops, reductions and storage stay float16.
"""

import numpy as np


def is_half(a, b):
    """Whether the product of ``a`` and ``b`` is a float16 GEMM (numpy would run it without BLAS)."""
    return a.dtype == np.float16 or b.dtype == np.float16


def half_gemm(gemm, a, b, out=None):
    """``a @ b`` through the float32 ``gemm``, written to ``out`` (or returned) in numpy's result dtype.

    Args:
        gemm: the float GEMM, ``gemm(a, b, out=None)``.
        a: the left operand (float16, or another dtype).
        b: the right operand.
        out: an optional output array of numpy's result dtype for ``a @ b``.

    Returns:
        ``out``, or a new array of dtype ``np.result_type(a, b)``.
    """
    result = gemm(a.astype(np.float32), b.astype(np.float32))
    if out is None:
        return result.astype(np.result_type(a, b), copy=False)
    np.copyto(out, result, casting="unsafe")
    return out
