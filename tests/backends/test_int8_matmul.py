"""The ``int8_matmul`` primitive: exact int32 sums of int8 products on numpy and OpenCL (both kernel forms),
against an int64 numpy reference, with broadcasting, odd shapes, extreme values and bad operands."""

import numpy as np
import pytest

from kerasette import backends

SHAPES = [((1, 1), (1, 1)), ((3, 5), (5, 7)), ((17, 33), (33, 35)), ((5, 1100), (1100, 3)),  # K > 1024: float64
          ((2, 4, 9), (9, 6)), ((2, 1, 4, 9), (3, 9, 5)), ((4, 6), (2, 6, 33))]


def _reference(a, b):
    return np.matmul(a.astype(np.int64), b.astype(np.int64))


def _operands(shape_a, shape_b, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.integers(-128, 128, shape_a, dtype=np.int64).astype(np.int8),
            rng.integers(-128, 128, shape_b, dtype=np.int64).astype(np.int8))


def _run(name, a, b, form=None):
    module = backends.load_backend(name)
    if name == "opencl":
        try:
            module.initialize()
        except (ImportError, RuntimeError) as error:
            pytest.skip(f"OpenCL backend not available: {error}")
        from kerasette.backends.opencl import int8_gemm

        out = int8_gemm.int8_matmul(module.asarray(a), module.asarray(b), form=form)
        return module.to_numpy(out)
    return np.asarray(module.int8_matmul(a, b))


@pytest.mark.parametrize("shape_a,shape_b", SHAPES)
def test_numpy_int8_matmul_is_the_exact_integer_product(shape_a, shape_b):
    a, b = _operands(shape_a, shape_b)
    out = _run("numpy", a, b)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, _reference(a, b))


@pytest.mark.parametrize("form", ["vector", "dot"])
@pytest.mark.parametrize("shape_a,shape_b", SHAPES)
def test_opencl_int8_matmul_matches_the_integer_reference(shape_a, shape_b, form):
    pytest.importorskip("pyopencl")
    a, b = _operands(shape_a, shape_b, seed=1)
    out = _run("opencl", a, b, form=form)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, _reference(a, b))


@pytest.mark.parametrize("name,form", [("numpy", None), ("opencl", "vector"), ("opencl", "dot")])
def test_extreme_values_sum_exactly(name, form):
    """-128 * -128 over K = 3000 is 49,152,000: beyond float32's exact integers, exact in int32."""
    if name == "opencl":
        pytest.importorskip("pyopencl")
    a = np.full((3, 3000), -128, np.int8)
    b = np.full((3000, 2), -128, np.int8)
    b[0, 1] = 127
    out = _run(name, a, b, form)
    np.testing.assert_array_equal(out, _reference(a, b))
    assert out[0, 0] == 128 * 128 * 3000


@pytest.mark.parametrize("name", ["numpy", "opencl"])
def test_bad_operands_are_refused(name):
    if name == "opencl":
        pytest.importorskip("pyopencl")
    a, b = _operands((2, 3), (3, 4))
    with pytest.raises(TypeError, match="int8 operands"):
        _run(name, a.astype(np.float32), b)
    with pytest.raises(ValueError, match="do not multiply"):
        _run(name, a, b[:2])


def test_opencl_reports_its_integer_dot_product_support():
    pytest.importorskip("pyopencl")
    module = backends.load_backend("opencl")
    try:
        module.initialize()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"OpenCL backend not available: {error}")
    from kerasette.backends.opencl import int8_gemm, runtime

    assert int8_gemm.has_dot_product() == ("cl_khr_integer_dot_product" in runtime.get().device.extensions)
