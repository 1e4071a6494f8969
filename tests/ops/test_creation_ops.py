"""Creation ops and conversion: dtypes and values."""

import numpy as np
import pytest

from kerasette import ops


def test_zeros_ones_full(backend):
    assert ops.zeros((2, 3)).dtype == "float32"
    np.testing.assert_array_equal(ops.zeros((2, 3)).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(ops.ones((2,), "float64").numpy(), [1.0, 1.0])
    full = ops.full((2, 2), 7, "int32")
    assert full.dtype == "int32" and full.numpy().tolist() == [[7, 7], [7, 7]]
    x = ops.convert_to_tensor(np.arange(4.0))
    assert ops.zeros_like(x).dtype == "float64" and ops.ones_like(x, "float32").dtype == "float32"


def test_one_hot(backend):
    out = ops.one_hot(np.array([[0, 2], [1, 0]]), 3)
    assert out.dtype == "float32" and out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.numpy()[0], [[1, 0, 0], [0, 0, 1]])
    # out-of-range labels (-1 marks "ignore" in many datasets) give rows of zeros
    np.testing.assert_array_equal(ops.one_hot(np.array([-1, 3]), 3).numpy(), np.zeros((2, 3)))


def test_convert_to_tensor_dtypes(backend):
    assert ops.convert_to_tensor(1.5).dtype == "float32"
    assert ops.convert_to_tensor([1, 2]).dtype == "int64"
    if backend.name == "opencl":  # no half-precision kernels: a clear error instead
        with pytest.raises(TypeError, match="does not support dtype float16"):
            ops.convert_to_tensor(np.zeros(2, np.float16))
    else:
        assert ops.convert_to_tensor(np.zeros(2, np.float16)).dtype == "float16"
    assert ops.convert_to_tensor([1.0], dtype="float64").dtype == "float64"
    t = ops.convert_to_tensor(np.zeros(2))
    assert ops.convert_to_tensor(t) is t
    assert ops.convert_to_tensor(t, "float32").dtype == "float32"


def test_slice_returns_a_copy(backend):
    base = ops.Variable(np.arange(6.0), name="v")
    part = ops.slice(base, [0], [3])
    base.assign(np.zeros(6))
    np.testing.assert_array_equal(part.numpy(), [0.0, 1.0, 2.0])
