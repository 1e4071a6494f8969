"""Numpy primitives: creation, elementwise math, reductions, shapes, matmul and optimizer updates.

This module and ``nn`` are the reference backend: each primitive is the plain numpy operation, short
enough to check by eye (the specs every backend is tested against are in ``tests/ops/op_specs.py``).
Their speed machinery lives in private modules: ``_buffers`` (reused scratch buffers and recycled
large outputs), ``_threads`` (OpenBLAS's thread count, the thread pool, the thread policy of GEMMs,
the blocked optimizer updates) and ``_conv_rows`` (the fast forms of convolution).
"""

import builtins

import numpy as np
from kerasette.backends.numpy._buffers import fresh as _fresh
from kerasette.backends.numpy._buffers import recycled_ufunc as _recycled_ufunc
from kerasette.backends.numpy._buffers import scratch as _scratch
from kerasette.backends.numpy._threads import gemm as _gemm
from kerasette.backends.numpy._threads import in_place_blocks as _in_place_blocks
from kerasette.backends.numpy._threads import threads as _threads  # noqa: F401 - benchmarks/bench_micro.py reads it


def asarray(value, dtype=None):
    return np.asarray(value, dtype=dtype)


def to_numpy(x):
    return np.array(x, copy=True)


def zeros(shape, dtype):
    return np.zeros(shape, dtype=dtype)


def ones(shape, dtype):
    return np.ones(shape, dtype=dtype)


def full(shape, value, dtype):
    return np.full(shape, value, dtype=dtype)


def arange(start, stop, step, dtype):
    return np.arange(start, stop, step, dtype=dtype)


def shape(x):
    return x.shape if type(x) is np.ndarray else np.shape(x)


_DTYPE_NAMES = {}


def dtype(x):
    d = x.dtype if type(x) is np.ndarray else np.asarray(x).dtype
    name = _DTYPE_NAMES.get(d)
    if name is None:  # dtype.name is computed on every access (several microseconds)
        name = _DTYPE_NAMES[d] = d.name
    return name


def cast(x, dtype):
    return np.asarray(x).astype(dtype, copy=False)


def copy(x):
    return np.array(x, copy=True)


add = _recycled_ufunc(np.add)
subtract = _recycled_ufunc(np.subtract)
multiply = _recycled_ufunc(np.multiply)
maximum = np.maximum
minimum = np.minimum
equal = np.equal
not_equal = np.not_equal
greater = np.greater
greater_equal = np.greater_equal
less = np.less
less_equal = np.less_equal
logical_and = np.logical_and
where = np.where
negative = np.negative
abs = np.abs  # noqa: A001 - the primitive's name is part of the interface
sign = np.sign
square = np.square
sqrt = np.sqrt
exp = np.exp
log = np.log
log1p = np.log1p
tanh = np.tanh
isfinite = np.isfinite


def divide(a, b):
    return np.true_divide(a, b)


def power(a, b):
    return np.power(a, b)


def sigmoid(x):
    # Split by sign so exp never overflows.
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def erf(x):
    x = np.asarray(x)
    if x.dtype in (np.float32, np.float16):
        return _erf_fast(x).astype(x.dtype)
    return _erf_float64(x)


def _erf_fast(x):
    # Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7, enough for float32.
    z = np.abs(x).astype(np.float64)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-z * z))


_ERF_SERIES_LIMIT = 2.5
_ERFC_FRACTION_DEPTH = 50


def _erf_float64(x):
    """The error function erf, to a few ulps in float64 (the float32 approximation is off by 1e-7).

    Below |x| = 2.5: erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)),
    a series of positive terms (no cancellation). Above: erfc(x) from its continued
    fraction exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
    """
    z = np.abs(x).astype(np.float64)
    out = np.empty_like(z)
    small = z < _ERF_SERIES_LIMIT
    s = z[small]
    term, total, ratio, n = s, s, 2.0 * s * s, 0
    while term.size and np.any(term > 1e-17 * total):
        n += 1
        term = term * ratio / (2 * n + 1)
        total = total + term
    out[small] = (2.0 / np.sqrt(np.pi)) * np.exp(-s * s) * total
    big = z[~small]
    with np.errstate(invalid="ignore"):  # nan inputs stay nan
        fraction = big
        for k in range(_ERFC_FRACTION_DEPTH, 0, -1):
            fraction = big + (0.5 * k) / fraction
        out[~small] = 1.0 - np.exp(-big * big) / (np.sqrt(np.pi) * fraction)
    return np.copysign(out, x)


def clip(x, low, high):
    return np.clip(x, low, high)


# The reductions call the ufunc's reduce directly on arrays (what np.sum / np.max do after their checks).
def sum(x, axis=None, keepdims=False):  # noqa: A001
    if type(x) is np.ndarray:
        return np.add.reduce(x, axis=axis, keepdims=keepdims)
    return np.sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    if type(x) is np.ndarray:
        return np.maximum.reduce(x, axis=axis, keepdims=keepdims)
    return np.max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    if type(x) is np.ndarray:
        return np.minimum.reduce(x, axis=axis, keepdims=keepdims)
    return np.min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis):
    return np.argmax(x, axis=axis)


def all(x, axis=None, keepdims=False):  # noqa: A001
    return np.all(x, axis=axis, keepdims=keepdims)


def reshape(x, shape):
    return np.reshape(x, shape)


def transpose(x, axes):
    return np.transpose(x, axes)


def broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


def concatenate(arrays, axis):
    return np.concatenate(arrays, axis=axis)


def slice(x, starts, stops):  # noqa: A001
    index = tuple(builtins.slice(a, b) for a, b in zip(starts, stops))
    return np.array(np.asarray(x)[index], copy=True)  # a copy, as the interface promises


def pad(x, pad_width, value):
    return np.pad(x, pad_width, mode="constant", constant_values=value)


def one_hot(indices, depth, dtype):
    # Out-of-range indices (-1 included) give all-zero rows, as in TensorFlow and JAX.
    indices = np.asarray(indices).astype(np.int64, copy=False)
    return (indices[..., None] == np.arange(depth)).astype(dtype)


def matmul(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 2 and b.ndim == 2 and a.dtype.kind == "f" and a.shape[1] == b.shape[0]:
        return _gemm(a, b, out=_fresh((a.shape[0], b.shape[1]), np.result_type(a, b)))
    return _gemm(a, b)


def assign(target, value):
    np.copyto(target, value, casting="same_kind")
    return target


# ----- in-place optimizer updates ----------------------------------------------
# The same float operations, in the same order, as the composite formulas in kerasette.optimizers,
# so the results are identical; only the temporaries are reused instead of allocated, and large
# variables are updated in blocks over the thread pool (``_threads.in_place_blocks``).
def adam_update(variable, gradient, momentum, velocity, alpha, beta_1, beta_2, epsilon):
    def update(w, g, m, v):
        t = _scratch("update_a", w.shape, w.dtype)
        np.subtract(g, m, out=t)
        np.multiply(t, 1.0 - beta_1, out=t)
        np.add(m, t, out=m)
        np.square(g, out=t)
        np.subtract(t, v, out=t)
        np.multiply(t, 1.0 - beta_2, out=t)
        np.add(v, t, out=v)
        u = _scratch("update_b", w.shape, w.dtype)
        np.sqrt(v, out=t)
        np.add(t, epsilon, out=t)
        np.multiply(m, alpha, out=u)
        np.divide(u, t, out=u)
        np.subtract(w, u, out=w)

    return _in_place_blocks(update, variable, gradient, momentum, velocity)


def rmsprop_update(variable, gradient, velocity, learning_rate, rho, epsilon):
    def update(w, g, v):
        t = _scratch("update_a", w.shape, w.dtype)
        np.multiply(v, rho, out=v)
        np.square(g, out=t)
        np.multiply(t, 1.0 - rho, out=t)
        np.add(v, t, out=v)
        np.add(v, epsilon, out=t)
        np.sqrt(t, out=t)
        u = _scratch("update_b", w.shape, w.dtype)
        np.multiply(g, learning_rate, out=u)
        np.divide(u, t, out=u)
        np.subtract(w, u, out=w)

    return _in_place_blocks(update, variable, gradient, velocity)
