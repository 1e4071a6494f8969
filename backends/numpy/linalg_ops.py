"""Numpy primitives for sorting, matrix decompositions and the discrete Fourier transform.

Matrix primitives work on stacks of matrices (the last two axes). Complex results travel as pairs of
real arrays (real part, imaginary part), the way ``keras.ops`` passes them, so no backend needs a
complex dtype. The OpenCL backend runs these same functions on the host (see ``opencl/host.py``).
"""

import numpy as np


# ----- sorting ----------------------------------------------------------------------------------------
def sort(x, axis):
    return np.sort(x, axis=axis)


def argsort(x, axis):
    """Stable: equal elements keep their order."""
    return np.argsort(x, axis=axis, kind="stable")


# ----- decompositions -----------------------------------------------------------------------------------
def cholesky(x):
    return np.linalg.cholesky(x)


def det(x):
    return np.linalg.det(x)


def slogdet(x):
    sign, logabsdet = np.linalg.slogdet(x)
    return sign, logabsdet


def inv(x):
    return np.linalg.inv(x)


def solve(a, b):
    return np.linalg.solve(a, b)


def solve_triangular(a, b, lower):
    """Solve ``a x = b`` reading only the lower (or upper) triangle of ``a``."""
    a = np.asarray(a)
    return np.linalg.solve(np.tril(a) if lower else np.triu(a), b)


def qr(x, mode):
    q, r = np.linalg.qr(x, mode=mode)
    return q, r


def svd(x, full_matrices, compute_uv):
    if not compute_uv:
        return np.linalg.svd(x, full_matrices=full_matrices, compute_uv=False)
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def eigh(x):
    w, v = np.linalg.eigh(x)
    return w, v


def lu_factor(x):
    """LU with partial pivoting, as LAPACK's getrf (and ``scipy.linalg.lu_factor``): ``(lu, pivots)``.

    ``lu`` holds U on and above the diagonal and L's multipliers below it (L's unit diagonal implied);
    step ``k`` swapped row ``k`` with row ``pivots[k]`` (0-based).
    """
    lu = np.array(x, dtype=np.result_type(np.asarray(x).dtype, np.float32), copy=True)
    n = lu.shape[-1]
    steps = min(lu.shape[-2], n)
    pivots = np.zeros(lu.shape[:-2] + (steps,), dtype=np.int32)
    batch = np.ndindex(*lu.shape[:-2]) if lu.ndim > 2 else [()]
    for index in batch:
        a = lu[index]
        for k in range(steps):
            p = k + int(np.argmax(np.abs(a[k:, k])))
            pivots[index + (k,)] = p
            if p != k:
                a[[k, p]] = a[[p, k]]
            if a[k, k] != 0:
                a[k + 1:, k] /= a[k, k]
            a[k + 1:, k + 1:] -= np.outer(a[k + 1:, k], a[k, k + 1:])
    return lu, pivots


# ----- discrete Fourier transforms ------------------------------------------------------------------------
def _float_dtype(*arrays):
    dtype = np.result_type(*[np.asarray(a).dtype for a in arrays])
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)


def fft(real, imag, axes, inverse):
    """The n-dimensional DFT over ``axes`` of ``real + i imag`` (inverse: scaled by 1 / n), as (real, imag)."""
    dtype = _float_dtype(real, imag)
    z = np.asarray(real, np.float64) + 1j * np.asarray(imag, np.float64)
    out = np.fft.ifftn(z, axes=axes) if inverse else np.fft.fftn(z, axes=axes)
    return out.real.astype(dtype), out.imag.astype(dtype)


def rfft(x, n):
    """The DFT of real ``x`` along its last axis (zero-padded or cut to ``n``), ``n // 2 + 1`` frequencies."""
    dtype = _float_dtype(x)
    out = np.fft.rfft(np.asarray(x, np.float64), n=n, axis=-1)
    return out.real.astype(dtype), out.imag.astype(dtype)


def irfft(real, imag, n):
    """The inverse of ``rfft`` along the last axis: ``n`` real samples (default ``2 * (m - 1)``)."""
    dtype = _float_dtype(real, imag)
    z = np.asarray(real, np.float64) + 1j * np.asarray(imag, np.float64)
    return np.fft.irfft(z, n=n, axis=-1).astype(dtype)
