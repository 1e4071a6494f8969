"""The OpenCL primitives added for the full ``keras.ops`` (issue 13), against the numpy backend as the oracle.

Elementwise math (``elementwise_math.py`` on ``elementwise.cl``) over float32, float64, integer and boolean
inputs with edge values; prod / any / argmin reductions; cumulative sums and products (``scan.cl``); and
the primitives computed on the host (``host.py``), whose transfers must show in the counters.
"""

import warnings

import numpy as np
import pytest

pytest.importorskip("pyopencl")

RNG = np.random.default_rng(13)
FLOATS = np.concatenate([RNG.standard_normal(40) * 3, [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, np.inf, -np.inf, np.nan,
                                                        1e-30, -1e30]])
UNIT = np.concatenate([RNG.uniform(-0.999, 0.999, 40), [0.0, -0.0, 0.5, -1.0, 1.0, 1.0 - 1e-12, 2.0, np.nan]])
INTS = np.array([0, 1, -1, 7, -7, 12, -9, 100, -128, 127, 2**31 - 1, -(2**31)], dtype=np.int64)
DIVISORS = np.array([1, 2, -2, 3, -3, 5, 0, -1, 7, 4, -5, 6], dtype=np.int64)


def _has_fp64():
    from kerasette.backends.opencl import runtime

    return runtime.get().has_fp64


def _compare(ocl, npb, name, *args, rtol=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy warns on the edge values (log of negatives, division by zero)
        expected = getattr(npb, name)(*args)
        got = getattr(ocl, name)(*[ocl.asarray(a) if isinstance(a, np.ndarray) else a for a in args])
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    for e, g in zip(expected, got):
        e, g = np.asarray(e), ocl.to_numpy(g)
        assert g.dtype == e.dtype, (name, [getattr(a, "dtype", a) for a in args])
        assert g.shape == e.shape
        if rtol is None:
            rtol = 2e-6 if e.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol, equal_nan=True, err_msg=name)


UNARY = ["sin", "cos", "tan", "arctan", "sinh", "cosh", "arcsinh", "expm1", "exp2", "cbrt", "floor", "ceil", "rint",
         "trunc", "isnan", "isinf", "signbit", "erfc", "i0", "i1"]


@pytest.mark.parametrize("name", UNARY + ["arcsin", "arccos", "arctanh", "erfinv", "log2", "log10", "arccosh"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_float(ocl, npb, name, dtype):
    if dtype == "float64" and not _has_fp64():
        pytest.skip("no float64 on this device")
    values = UNIT if name in ("arcsin", "arccos", "arctanh", "erfinv") else FLOATS
    if name in ("log2", "log10", "arccosh"):
        values = np.abs(FLOATS) + 0.5
    if name in ("sinh", "cosh", "expm1", "exp2", "i0", "i1"):
        values = np.clip(values, -20, 20)
    _compare(ocl, npb, name, values.astype(dtype).reshape(-1, 4), rtol=1e-5 if dtype == "float32" else 1e-11)


@pytest.mark.parametrize("name", ["floor", "ceil", "rint", "trunc", "isnan", "isinf", "signbit", "sin", "cbrt"])
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_unary_integer_inputs_follow_numpy_dtypes(ocl, npb, name, dtype):
    if name in ("sin", "cbrt") and not _has_fp64():
        pytest.skip("numpy computes these in float64")
    values = (INTS % 200 if dtype == "uint8" else INTS).astype(dtype)
    if dtype == "uint8" and name in ("rint", "sin", "cbrt"):  # numpy answers in float16, which OpenCL lacks
        with pytest.raises(TypeError, match="float16"):
            getattr(ocl, name)(ocl.asarray(values))
        return
    _compare(ocl, npb, name, values)


@pytest.mark.parametrize("name", ["arctan2", "hypot", "fmod", "mod", "floor_divide", "nextafter", "logical_or",
                                  "logical_xor"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_float(ocl, npb, name, dtype):
    if dtype == "float64" and not _has_fp64():
        pytest.skip("no float64 on this device")
    a = FLOATS.astype(dtype).reshape(-1, 4)
    b = np.concatenate([RNG.standard_normal(a.size - 4) * 2, [0.0, -0.0, np.inf, 1.5]]).astype(dtype).reshape(-1, 4)
    _compare(ocl, npb, name, a, b)
    _compare(ocl, npb, name, a, b[:1])  # broadcast
    _compare(ocl, npb, name, a, 0.75)  # a host scalar


@pytest.mark.parametrize("name", ["fmod", "mod", "floor_divide", "bitwise_and", "bitwise_or", "bitwise_xor", "gcd",
                                  "lcm", "logical_or", "logical_xor"])
@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_binary_integer(ocl, npb, name, dtype):
    a, b = INTS.astype(dtype), DIVISORS.astype(dtype)
    if name in ("gcd", "lcm"):
        a, b = a % 1000, b * 3  # keep lcm inside the dtype
    _compare(ocl, npb, name, a, b)


@pytest.mark.parametrize("name", ["left_shift", "right_shift"])
@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_shifts_past_the_width_give_zero_or_sign(ocl, npb, name, dtype):
    width = np.dtype(dtype).itemsize * 8
    a = (INTS % 200 if dtype == "uint8" else INTS).astype(dtype)
    counts = np.array([0, 1, 3, width - 1, width, width + 5, 2, 1, 0, 4, 6, 7], dtype=dtype)
    _compare(ocl, npb, name, a, counts)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_bitwise_invert(ocl, npb, dtype):
    _compare(ocl, npb, "bitwise_invert", (INTS > 0 if dtype == "bool" else INTS).astype(dtype))


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
def test_prod_and_any(ocl, npb, dtype, axis):
    a = RNG.uniform(0.5, 1.5, (3, 4, 5)).astype(np.float32)
    a[0, 1] = 0.0
    a = (a > 0.9) if dtype == "bool" else (a * 2).astype(dtype)
    for name in ("prod", "any"):
        _compare(ocl, npb, name, a, axis, False)
        _compare(ocl, npb, name, a, axis, True)


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
def test_argmin_first_minimum_and_nan(ocl, npb, dtype):
    a = np.array([[3.0, 1.0, 1.0, 2.0], [np.nan, 5.0, -1.0, np.nan], [2.0, 2.0, 2.0, 2.0]])
    if dtype != "float32":
        a = np.nan_to_num(a, nan=9.0)
    a = (a > 1.5) if dtype == "bool" else a.astype(dtype)
    for axis in (0, 1, None):
        _compare(ocl, npb, "argmin", a if axis is not None else a.reshape(-1), axis if axis is not None else 0)


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
@pytest.mark.parametrize("shape, axis", [((7,), 0), ((3, 5), 1), ((3, 5), 0), ((2, 3, 4), 1), ((1000,), 0)])
def test_cumsum_and_cumprod(ocl, npb, dtype, shape, axis):
    a = RNG.uniform(0.8, 1.25, shape)
    a = (a > 1.0) if dtype == "bool" else a.astype(dtype) if dtype != "int32" else (a * 3).astype(dtype)
    _compare(ocl, npb, "cumsum", a, axis, rtol=1e-5)
    _compare(ocl, npb, "cumprod", a, axis, rtol=1e-4)


def test_host_primitives_match_numpy_and_count_their_transfers(ocl, npb):
    a = RNG.standard_normal((2, 3, 3)).astype(np.float32)
    spd = a @ np.swapaxes(a, 1, 2) + 3 * np.eye(3, dtype=np.float32)
    cases = [("sort", a, 1), ("argsort", a, -1), ("cholesky", spd), ("det", a), ("slogdet", a), ("inv", spd),
             ("solve", spd, a), ("solve_triangular", spd, a, True), ("qr", a, "reduced"), ("svd", a, False, True),
             ("eigh", spd), ("lu_factor", spd), ("fft", a, a, (2,), False), ("rfft", a, 4), ("irfft", a, a, 4)]
    for name, *args in cases:
        arrays = sum(isinstance(v, np.ndarray) for v in args)
        device_args = [ocl.asarray(v) if isinstance(v, np.ndarray) else v for v in args]
        before = ocl.counters()
        out = getattr(ocl, name)(*device_args)
        after = ocl.counters()
        outputs = len(out) if isinstance(out, tuple) else 1
        assert after["device_to_host"] - before["device_to_host"] == arrays, name
        assert after["host_to_device"] - before["host_to_device"] == outputs, name
        _compare(ocl, npb, name, *args, rtol=1e-4)


def test_erfinv_tail_and_out_of_range(ocl, npb):
    if not _has_fp64():
        pytest.skip("no float64 on this device")
    y = np.array([1 - 1e-15, -1 + 1e-12, 0.9999999, 1.0, -1.0, 1.5, -2.0, np.nan])
    _compare(ocl, npb, "erfinv", y, rtol=1e-10)
