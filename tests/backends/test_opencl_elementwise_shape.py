"""The OpenCL backend's elementwise and shape primitives against numpy: values, dtypes and shapes."""

import numpy as np
import pytest

pytest.importorskip("pyopencl")



@pytest.fixture(scope="module")
def cl(ocl):
    return ocl


def _draw(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-5, 6, shape).astype(dtype)
    return (rng.standard_normal(shape) * 2).astype(dtype)


def _device(cl, value):
    return cl.asarray(value) if isinstance(value, np.ndarray) else value


def _check(cl, result, expected, rtol=None):
    expected = np.asarray(expected)
    got = cl.to_numpy(result)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    if rtol is None:
        rtol = 2e-6 if expected.dtype == np.float32 else 1e-12
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


# ----- binary ------------------------------------------------------------------------------------
ARITHMETIC = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.true_divide,
    "maximum": np.maximum, "minimum": np.minimum,
}
COMPARISONS = {
    "equal": np.equal, "not_equal": np.not_equal, "greater": np.greater, "greater_equal": np.greater_equal,
    "less": np.less, "less_equal": np.less_equal, "logical_and": np.logical_and,
}
SHAPES = [
    ((5,), (5,)),
    ((3, 1), (1, 4)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((1,), (7,)),
    ((7, 13), (13,)),
    ((2, 1, 3, 1, 5), (4, 1, 1, 5)),
    ((2, 3, 4, 5, 6), (2, 1, 4, 1, 6)),
    ((6, 1, 1), (1, 1, 5)),
    ((3, 0), (1, 0)),
]


@pytest.mark.parametrize("name", sorted(ARITHMETIC) + sorted(COMPARISONS))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_binary_broadcasting_matches_numpy(cl, name, shapes):
    a, b = _draw(shapes[0], "float64", 1), _draw(shapes[1], "float64", 2)
    if name in COMPARISONS:
        b = np.where(_draw(shapes[1], "bool", 3), b, 0.5)  # some ties for the equalities
        a = np.where(_draw(shapes[0], "bool", 4), a, 0.5)
    fn = {**ARITHMETIC, **COMPARISONS}[name]
    _check(cl, getattr(cl, name)(cl.asarray(a), cl.asarray(b)), fn(a, b))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64", "bool"])
@pytest.mark.parametrize("name", sorted(ARITHMETIC) + sorted(COMPARISONS) + ["power"])
def test_binary_dtypes_match_numpy(cl, name, dtype):
    fn = {**ARITHMETIC, **COMPARISONS, "power": np.power}[name]
    a, b = _draw((4, 5), dtype, 1), _draw((5,), dtype, 2)
    if name == "power" and dtype.startswith("int"):
        b = np.abs(b)
    try:
        with np.errstate(all="ignore"):
            expected = fn(a, b)
    except TypeError:
        with pytest.raises(TypeError):
            getattr(cl, name)(cl.asarray(a), cl.asarray(b))
        return
    _check(cl, getattr(cl, name)(cl.asarray(a), cl.asarray(b)), expected)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "power", "maximum", "greater", "less"])
@pytest.mark.parametrize("scalar", [2, 2.5, True, np.float64(1.5), np.int32(3), np.array(0.25)], ids=repr)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_scalar_operands_follow_nep50(cl, name, scalar, dtype):
    fn = {**ARITHMETIC, **COMPARISONS, "power": np.power}[name]
    a = _draw((3, 5), dtype, 5)
    if name == "power":
        a = np.abs(a) + 1
    for left, right in ((a, scalar), (scalar, a)):
        if name == "power" and np.asarray(left).dtype.kind in "iu" and np.asarray(right).dtype.kind in "iub":
            right = abs(right) if isinstance(right, (int, np.integer)) else right
        with np.errstate(all="ignore"):
            expected = fn(left, right)
        _check(cl, getattr(cl, name)(_device(cl, left), _device(cl, right)), expected)


def test_scalar_operands_are_not_uploaded(cl):
    x = cl.asarray(np.ones((4, 4), np.float32))
    before = cl.counters()
    out = cl.multiply(cl.add(x, 2.0), np.float32(3))
    after = cl.counters()
    assert after["host_to_device"] == before["host_to_device"]
    assert after["kernel_launches"] - before["kernel_launches"] == 2
    _check(cl, out, np.full((4, 4), 9.0, np.float32))


def test_zero_d_arrays(cl):
    a, b = np.array(1.5), np.array([[1.0, 2.0], [3.0, 4.0]])
    _check(cl, cl.add(cl.asarray(a), cl.asarray(b)), a + b)
    _check(cl, cl.multiply(cl.asarray(a), cl.asarray(np.array(-2.0))), a * -2.0)
    _check(cl, cl.subtract(3.0, 1), np.subtract(3.0, 1))


def test_integer_division_and_power_dtypes(cl):
    a, b = np.array([7, -7, 9], np.int32), np.array([2, 2, 4], np.int32)
    _check(cl, cl.divide(cl.asarray(a), cl.asarray(b)), a / b)
    _check(cl, cl.power(cl.asarray(a), cl.asarray(b)), a**b)
    _check(cl, cl.power(cl.asarray(a.astype(np.int64)), 3), a.astype(np.int64) ** 3)


def test_maximum_minimum_propagate_nan(cl):
    a, b = np.array([np.nan, 1.0, 2.0]), np.array([0.0, np.nan, 1.0])
    _check(cl, cl.maximum(cl.asarray(a), cl.asarray(b)), np.maximum(a, b))
    _check(cl, cl.minimum(cl.asarray(a), cl.asarray(b)), np.minimum(a, b))


def test_incompatible_shapes_raise(cl):
    with pytest.raises(ValueError):
        cl.add(cl.asarray(np.ones((2, 3))), cl.asarray(np.ones((4,))))


def test_more_than_eight_unmergeable_dimensions_raise(cl):
    a = np.ones((2, 1) * 5)
    b = np.ones((1, 2) * 5)
    with pytest.raises(ValueError, match="at most 8"):
        cl.add(cl.asarray(a), cl.asarray(b))
    _check(cl, cl.add(cl.asarray(np.ones((2,) * 10)), cl.asarray(np.ones((2,) * 10))), np.full((2,) * 10, 2.0))


# ----- where and clip ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_where_broadcasts_all_three(cl, dtype):
    cond = _draw((3, 1, 4), "bool", 1)
    a, b = _draw((2, 1), dtype, 2), _draw((4,), dtype, 3)
    _check(cl, cl.where(cl.asarray(cond), cl.asarray(a), cl.asarray(b)), np.where(cond, a, b))
    _check(cl, cl.where(cl.asarray(cond), cl.asarray(a), 0.0), np.where(cond, a, 0.0))
    _check(cl, cl.where(cl.asarray(cond), 1, cl.asarray(b)), np.where(cond, 1, b))
    _check(cl, cl.where(True, cl.asarray(a), cl.asarray(b)), np.where(True, a, b))


def test_where_with_non_boolean_condition(cl):
    cond = np.array([0.0, 0.5, -1.0, np.nan])
    _check(cl, cl.where(cl.asarray(cond), 1.0, 2.0), np.where(cond, 1.0, 2.0))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_clip(cl, dtype):
    x = _draw((5, 7), dtype, 4)
    _check(cl, cl.clip(cl.asarray(x), -1, 2), np.clip(x, -1, 2))
    _check(cl, cl.clip(cl.asarray(x), -1.5, 2.5), np.clip(x, -1.5, 2.5))
    low, high = _draw((7,), dtype, 5) - 1, _draw((5, 1), dtype, 6) + 1
    _check(cl, cl.clip(cl.asarray(x), cl.asarray(low), cl.asarray(high)), np.clip(x, low, high))


# ----- unary -------------------------------------------------------------------------------------
UNARY = {
    "negative": np.negative, "abs": np.abs, "sign": np.sign, "square": np.square, "sqrt": np.sqrt, "exp": np.exp,
    "log": np.log, "log1p": np.log1p, "tanh": np.tanh, "isfinite": np.isfinite,
}


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64", "bool"])
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_numpy(cl, name, dtype):
    x = _draw((3, 7, 5), dtype, 7)
    if name in ("sqrt", "log", "log1p") and dtype != "bool":
        x = np.abs(x) + (0 if dtype.startswith("int") else 0.1)
        x = x.astype(dtype)
    try:
        with np.errstate(all="ignore"):
            expected = UNARY[name](x)
    except TypeError:
        with pytest.raises(TypeError):
            getattr(cl, name)(cl.asarray(x))
        return
    if expected.dtype == np.float16:  # numpy's choice for bool and small ints; no OpenCL type here
        with pytest.raises(TypeError):
            getattr(cl, name)(cl.asarray(x))
        return
    _check(cl, getattr(cl, name)(cl.asarray(x)), expected, rtol=1e-5 if expected.dtype == np.float32 else None)


def test_unary_special_values(cl):
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-300, -3.0])
    with np.errstate(all="ignore"):
        for name in ("sign", "abs", "isfinite", "exp", "tanh", "square", "negative"):
            _check(cl, getattr(cl, name)(cl.asarray(x)), UNARY[name](x))


def test_unary_of_a_host_scalar(cl):
    _check(cl, cl.exp(1.0), np.asarray(np.exp(1.0)))
    _check(cl, cl.negative(np.float32(2)), np.asarray(np.negative(np.float32(2))))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_is_stable_and_matches_numpy_backend(cl, npb, dtype):
    x = np.concatenate([np.linspace(-800, 800, 41), _draw((37,), "float64", 3) * 10]).astype(dtype)
    with np.errstate(all="ignore"):
        expected = npb.sigmoid(x)
    got = cl.to_numpy(cl.sigmoid(cl.asarray(x)))
    assert got.dtype == expected.dtype and np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=1e-6 if dtype == "float32" else 1e-13, atol=1e-30)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erf_matches_numpy_backend(cl, npb, dtype):
    x = np.concatenate([np.linspace(-6, 6, 101), [0.0, -0.0, 1e-8, np.inf, -np.inf]]).astype(dtype)
    expected = npb.erf(x)
    got = cl.to_numpy(cl.erf(cl.asarray(x)))
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=2e-7 if dtype == "float32" else 1e-14, atol=3e-7 if dtype ==
                               "float32" else 1e-15)


# ----- fused -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(7,), (4, 9), (2, 3, 5, 6)])
def test_relu_backward(cl, npb, dtype, shape):
    grad, y = _draw(shape, dtype, 1), np.maximum(_draw(shape, dtype, 2), 0)
    _check(cl, cl.relu_backward(cl.asarray(grad), cl.asarray(y)), npb.relu_backward(grad, y))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(7,), (4, 9), (2, 3, 5, 6)])
def test_bias_add_relu(cl, npb, dtype, shape):
    x, bias = _draw(shape, dtype, 1), _draw(shape[-1:], dtype, 2)
    before = cl.counters()["kernel_launches"]
    out = cl.bias_add_relu(cl.asarray(x), cl.asarray(bias))
    assert cl.counters()["kernel_launches"] - before == 1
    _check(cl, out, npb.bias_add_relu(x, bias))


# ----- shape -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape, axes",
    [((3, 4), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (0, 2, 1)), ((2, 3, 4, 5, 6), (4, 2, 0, 3, 1)),
     ((5, 1, 7), (1, 2, 0)), ((2, 3), None), ((4,), (0,)), ((3, 0, 2), (2, 1, 0)), ((2, 3, 4), (-1, 0, 1))],
)
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_transpose(cl, shape, axes, dtype):
    x = _draw(shape, dtype, 1)
    _check(cl, cl.transpose(cl.asarray(x), axes), np.transpose(x, axes))


@pytest.mark.parametrize("shape, target", [((3, 1), (3, 4)), ((4,), (2, 3, 4)), ((), (2, 2)), ((1, 5, 1), (2, 5, 3)),
                                           ((2, 3), (2, 3)), ((1,), (0,))])
def test_broadcast_to(cl, shape, target):
    x = _draw(shape, "float64", 2)
    _check(cl, cl.broadcast_to(cl.asarray(x), target), np.broadcast_to(x, target))


def test_broadcast_to_rejects_bad_shapes(cl):
    with pytest.raises(ValueError):
        cl.broadcast_to(cl.asarray(np.ones((3,))), (4,))
    with pytest.raises(ValueError):
        cl.broadcast_to(cl.asarray(np.ones((2, 3))), (3,))


@pytest.mark.parametrize(
    "shapes, axis",
    [([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1), (2, 5)], 1), ([(2, 3, 4), (2, 3, 1)], -1), ([(3,), (0,), (2,)], 0),
     ([(2, 2, 3), (2, 1, 3), (2, 4, 3)], 1), ([(5, 7)], 0)],
)
def test_concatenate(cl, shapes, axis):
    arrays = [_draw(s, "float32", k) for k, s in enumerate(shapes)]
    _check(cl, cl.concatenate([cl.asarray(a) for a in arrays], axis), np.concatenate(arrays, axis))


def test_concatenate_mixed_dtypes_and_errors(cl):
    a, b = np.arange(6, dtype=np.int32).reshape(2, 3), _draw((1, 3), "float64", 1)
    _check(cl, cl.concatenate([cl.asarray(a), cl.asarray(b)], 0), np.concatenate([a, b], 0))
    with pytest.raises(ValueError):
        cl.concatenate([cl.asarray(a), cl.asarray(b)], 1)


@pytest.mark.parametrize(
    "shape, starts, stops",
    [((10,), [2], [7]), ((4, 6), [1, 2], [3, 6]), ((3, 4, 5), [0, 1, 2], [3, 3, 4]), ((4, 6), [0, 0], [4, 6]),
     ((4, 6), [1, 3], [1, 5]), ((4, 6), [-3, 0], [10, 2]), ((2, 3, 4, 5, 6), [1, 0, 1, 2, 3], [2, 3, 3, 5, 5])],
)
def test_slice(cl, npb, shape, starts, stops):
    x = _draw(shape, "float64", 3)
    out = cl.slice(cl.asarray(x), starts, stops)
    _check(cl, out, npb.slice(x, starts, stops))


def test_slice_is_a_copy(cl):
    x = cl.asarray(np.arange(6.0))
    y = cl.slice(x, [0], [6])
    assert y.buffer is not x.buffer


@pytest.mark.parametrize(
    "shape, widths, value",
    [((3,), ((2, 1),), 0.0), ((2, 3), ((1, 0), (2, 3)), -1.5), ((2, 3, 4), ((0, 0), (1, 1), (0, 2)), 7.0),
     ((2, 2, 2, 2, 2), ((1, 0), (0, 1), (1, 1), (0, 0), (2, 0)), 0.0), ((2, 3), ((0, 0), (0, 0)), 1.0),
     ((0, 2), ((1, 1), (0, 0)), 3.0)],
)
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_pad(cl, shape, widths, value, dtype):
    x = _draw(shape, dtype, 4)
    _check(cl, cl.pad(cl.asarray(x), widths, value), np.pad(x, widths, constant_values=value))


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_one_hot(cl, npb, dtype):
    indices = np.array([[0, 3, 1], [4, 2, 2]]).astype(dtype)
    _check(cl, cl.one_hot(cl.asarray(indices), 5, "float32"), npb.one_hot(indices, 5, "float32"))
    _check(cl, cl.one_hot(cl.asarray(indices), 3, "float64"), npb.one_hot(indices, 3, "float64"))


def test_one_hot_out_of_range_gives_zero_rows(cl, npb):
    indices = np.array([-1, 0, 5, 2, -7])
    for dtype in ("float32", "int32", "bool"):
        _check(cl, cl.one_hot(cl.asarray(indices), 3, dtype), npb.one_hot(indices, 3, dtype))
    _check(cl, cl.one_hot(indices.tolist(), 4, "float32"), npb.one_hot(indices, 4, "float32"))


@pytest.mark.parametrize(
    "shape, indices, axis",
    [((5, 3), [4, 0, 0, -1], 0), ((5, 3), [[2, 1], [0, -3]], 1), ((2, 6, 3), [5, -6, 2], 1), ((4, 3, 2), [1], -1),
     ((7,), np.array([], dtype=np.int64), 0), ((3, 4), np.array([[3]], np.int32), 1)],
)
@pytest.mark.parametrize("on_device", [True, False])
def test_take(cl, shape, indices, axis, on_device):
    x = _draw(shape, "float64", 5)
    idx = np.asarray(indices, dtype=getattr(indices, "dtype", np.int64))
    given = cl.asarray(idx) if on_device else idx
    _check(cl, cl.take(cl.asarray(x), given, axis), np.take(x, idx, axis=axis))


def test_take_scalar_index(cl):
    x = _draw((3, 4), "float32", 6)
    _check(cl, cl.take(cl.asarray(x), 2, 1), np.take(x, 2, axis=1))
    _check(cl, cl.take(cl.asarray(x), -1, 0), np.take(x, -1, axis=0))


@pytest.mark.parametrize("on_device", [True, False])
def test_take_out_of_range_raises(cl, on_device):
    x = cl.asarray(np.ones((4, 2)))
    for bad in ([0, 4], [-5, 1]):
        idx = np.array(bad)
        with pytest.raises(IndexError):
            cl.take(x, cl.asarray(idx) if on_device else idx, 0)
    # the flag is reset: a good take afterwards works
    _check(cl, cl.take(x, cl.asarray(np.array([3, -4])), 0), np.ones((2, 2)))


@pytest.mark.parametrize(
    "shape, indices, axis",
    [((5, 3), [4, 0, 0, -1, 4, 4], 0), ((2, 6, 3), [[5, 1], [5, -1]], 1), ((3, 4), [0, 0, 0], 1), ((6,), [2], 0),
     ((4, 2), np.array([], dtype=np.int64), 0)],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_scatter_add(cl, npb, shape, indices, axis, dtype):
    idx = np.asarray(indices, dtype=getattr(indices, "dtype", np.int32))
    updates_shape = shape[:axis] + idx.shape + shape[axis + 1:]
    updates = _draw(updates_shape, dtype, 7)
    expected = npb.scatter_add(shape, idx, updates, axis)
    _check(cl, cl.scatter_add(shape, cl.asarray(idx), cl.asarray(updates), axis), expected)
    _check(cl, cl.scatter_add(shape, idx, cl.asarray(updates), axis), expected)


@pytest.mark.parametrize("shape, count, axis", [((5000, 3), 300, 0), ((3, 2000), 7, 0), ((4, 50, 9), 120, 1)])
def test_scatter_add_many_rows_and_wide_rows(cl, npb, shape, count, axis):
    idx = np.random.default_rng(8).integers(-shape[axis], shape[axis], count)
    updates = _draw(shape[:axis] + (count,) + shape[axis + 1:], "float32", 9)
    _check(cl, cl.scatter_add(shape, cl.asarray(idx), cl.asarray(updates), axis),
           npb.scatter_add(shape, idx, updates, axis))


def test_comparison_with_a_python_int_beyond_the_array_dtype(cl):
    a = np.array([1, -3, 7], np.int32)
    for value in (2**40, -(2**40), 2**70):
        _check(cl, cl.greater(cl.asarray(a), value), np.greater(a, value))
        _check(cl, cl.less_equal(value, cl.asarray(a)), np.less_equal(value, a))
