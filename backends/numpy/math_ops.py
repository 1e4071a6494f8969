"""Numpy primitives beyond the basics of ``core``.

More elementwise math, integer and bitwise ops, product / any / argmin reductions and cumulative sums and
products.

Each is the plain numpy function (or, where numpy has none, a short formula next to it), the reference
the OpenCL kernels are tested against.
"""

import math

import numpy as np
from kerasette.backends.numpy.core import erf as _erf

# ----- elementwise, unary --------------------------------------------------------------------------
sin = np.sin
cos = np.cos
tan = np.tan
arcsin = np.arcsin
arccos = np.arccos
arctan = np.arctan
sinh = np.sinh
cosh = np.cosh
arcsinh = np.arcsinh
arccosh = np.arccosh
arctanh = np.arctanh
expm1 = np.expm1
exp2 = np.exp2
log2 = np.log2
log10 = np.log10
cbrt = np.cbrt
floor = np.floor
ceil = np.ceil
rint = np.rint  # round half to even
trunc = np.trunc
isnan = np.isnan
isinf = np.isinf
signbit = np.signbit
bitwise_invert = np.invert


def _float(x):
    """``x`` as a float array: float32/float64 keep their dtype, anything else becomes float64."""
    x = np.asarray(x)
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float64)


_erfc_scalar = np.vectorize(math.erfc, otypes=[np.float64])


def erfc(x):
    """``1 - erf(x)`` without the cancellation for large x (Python's ``math.erfc`` per element)."""
    x = _float(x)
    return _erfc_scalar(x).astype(x.dtype, copy=False)


def erfinv(x):
    """The inverse of erf on (-1, 1): Giles's approximation (2010) refined by three Newton steps on erf.

    Gives -inf / inf at -1 / 1 and NaN outside [-1, 1].
    """
    x = _float(x)
    y = x.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = -np.log((1.0 - y) * (1.0 + y))
        central = w - 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                  -0.00417768164, 0.246640727, 1.50140941):
            p = c + p * central
        tail = np.sqrt(w) - 3.0
        q = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                  0.00943887047, 1.00167406, 2.83297682):
            q = c + q * tail
        z = np.where(w < 5.0, p, q) * y
        tail = np.abs(y) > 0.5
        log_1my = np.log1p(-np.abs(y))
        for _ in range(4):  # Newton: quadratic convergence from Giles's ~1e-7 (a few steps more in the far tail)
            # near +-1, on log(erfc(|z|)) = log(1 - |y|): nearly linear there, and 1 - |y| is exact
            e = _erfc_scalar(np.abs(z))
            density = 2.0 / np.sqrt(np.pi) * np.exp(-z * z)
            tail_step = -np.sign(y) * (np.log(e) - log_1my) * e / density
            step = np.where(tail, tail_step, (_erf(z) - y) / density)
            z = np.where(np.isfinite(step), z - step, z)
        z = np.where(np.abs(y) == 1.0, np.copysign(np.inf, y), z)
        z = np.where(np.abs(y) > 1.0, np.nan, z)
    return z.astype(x.dtype, copy=False)


def i0(x):
    """The modified Bessel function of the first kind, order 0 (numpy's ``np.i0``)."""
    x = _float(x)
    return np.i0(x).astype(x.dtype, copy=False)


def i1(x):
    """The modified Bessel function of the first kind, order 1 (the derivative of i0), by its power series.

    ``(x / 2) * sum_k (x^2 / 4)^k / (k! (k + 1)!)``, summed until the terms stop counting.
    """
    x = _float(x)
    z = x.astype(np.float64)
    q = z * z / 4.0
    term = np.ones_like(z)
    total = np.ones_like(z)
    k = 0
    while k < 1000 and np.any(term > 1e-17 * total):
        k += 1
        term = term * q / (k * (k + 1))
        total = total + term
    return (z / 2.0 * total).astype(x.dtype, copy=False)


# ----- elementwise, binary -------------------------------------------------------------------------
arctan2 = np.arctan2
hypot = np.hypot
fmod = np.fmod
mod = np.mod  # the remainder with the divisor's sign (Python's %)
floor_divide = np.floor_divide
nextafter = np.nextafter
logical_or = np.logical_or
logical_xor = np.logical_xor
bitwise_and = np.bitwise_and
bitwise_or = np.bitwise_or
bitwise_xor = np.bitwise_xor
left_shift = np.left_shift
right_shift = np.right_shift
gcd = np.gcd
lcm = np.lcm


# ----- reductions and scans ------------------------------------------------------------------------
def prod(x, axis=None, keepdims=False):
    return np.prod(x, axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001 - the primitive's name is part of the interface
    return np.any(x, axis=axis, keepdims=keepdims)


def argmin(x, axis):
    return np.argmin(x, axis=axis)


def cumsum(x, axis):
    return np.cumsum(x, axis=axis)


def cumprod(x, axis):
    return np.cumprod(x, axis=axis)
