"""Python operators on Tensor, broadcasting gradients, dtype rules and indexing."""

import operator

import numpy as np
import pytest

from kerasette import ops


def tensor(values, dtype=np.float64):
    return ops.convert_to_tensor(np.asarray(values, dtype=dtype))


def grads_of(fn, *arrays):
    tensors = [tensor(a) for a in arrays]
    with ops.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        loss = ops.sum(fn(*tensors))
    return [g.numpy() for g in tape.gradient(loss, tensors)]


BINARY = [
    ("+", operator.add, ops.add),
    ("-", operator.sub, ops.subtract),
    ("*", operator.mul, ops.multiply),
    ("/", operator.truediv, ops.divide),
    ("**", operator.pow, ops.power),
]


@pytest.mark.parametrize("symbol, python_op, kerasette_op", BINARY, ids=[b[0] for b in BINARY])
def test_binary_operators_match_the_ops(symbol, python_op, kerasette_op, backend):
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.5, 2.0, (3, 4)), rng.uniform(0.5, 2.0, (1, 4))
    out = python_op(tensor(a), tensor(b))
    assert isinstance(out, ops.Tensor)
    np.testing.assert_allclose(out.numpy(), python_op(a, b), rtol=1e-14)
    for got, want in zip(grads_of(python_op, a, b), grads_of(kerasette_op, a, b)):
        np.testing.assert_allclose(got, want, rtol=1e-14)


@pytest.mark.parametrize("symbol, python_op, kerasette_op", BINARY, ids=[b[0] for b in BINARY])
def test_reflected_operators_with_scalars_and_arrays(symbol, python_op, kerasette_op, backend):
    x = np.array([[0.5, 1.0, 2.0]])
    for other in (1.5, np.array([[1.5], [2.5]])):
        np.testing.assert_allclose(python_op(other, tensor(x)).numpy(), python_op(other, x), rtol=1e-14)
        np.testing.assert_allclose(python_op(tensor(x), other).numpy(), python_op(x, other), rtol=1e-14)
        assert isinstance(python_op(other, tensor(x)), ops.Tensor)


def test_matmul_operator(backend):
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal((tensor(a) @ tensor(b)).numpy(), a @ b)
    np.testing.assert_array_equal((a @ tensor(b)).numpy(), a @ b)  # numpy defers to Tensor.__rmatmul__
    ga, gb = grads_of(operator.matmul, a, b)
    np.testing.assert_array_equal(ga, np.ones((2, 4)) @ b.T)
    np.testing.assert_array_equal(gb, a.T @ np.ones((2, 4)))


def test_unary_minus_and_abs(backend):
    x = np.array([-2.0, -0.5, 1.5])
    np.testing.assert_array_equal((-tensor(x)).numpy(), -x)
    np.testing.assert_array_equal(abs(tensor(x)).numpy(), np.abs(x))
    (g,) = grads_of(lambda t: -t, x)
    np.testing.assert_array_equal(g, -np.ones(3))
    (g,) = grads_of(abs, x)
    np.testing.assert_array_equal(g, [-1.0, -1.0, 1.0])


def test_comparisons_give_bool_tensors(backend):
    x = tensor([1.0, 2.0, 3.0])
    assert (x < 2).numpy().tolist() == [True, False, False]
    assert (x <= 2).numpy().tolist() == [True, True, False]
    assert (x > 2).numpy().tolist() == [False, False, True]
    assert (x >= 2).numpy().tolist() == [False, True, True]
    assert (x > 2).dtype == "bool"


def test_broadcasting_gradients_sum_over_stretched_axes(backend):
    a = np.arange(3.0).reshape(3, 1) + 1.0
    b = np.arange(4.0).reshape(1, 4) + 1.0
    ga, gb = grads_of(operator.add, a, b)
    np.testing.assert_array_equal(ga, np.full((3, 1), 4.0))  # each a[i] feeds 4 outputs
    np.testing.assert_array_equal(gb, np.full((1, 4), 3.0))
    ga, gb = grads_of(operator.mul, a, b)
    np.testing.assert_array_equal(ga, np.full((3, 1), b.sum()))  # d/da_i sum_ij a_i b_j = sum_j b_j
    np.testing.assert_array_equal(gb, np.full((1, 4), a.sum()))
    ga, gb = grads_of(operator.sub, np.ones((2, 3, 4)), np.ones(4))  # rank-extending broadcast
    np.testing.assert_array_equal(gb, np.full(4, -6.0))
    assert ga.shape == (2, 3, 4)


def test_float32_is_preserved_with_python_and_numpy_scalars(backend):
    x = tensor([1.0, 2.0], np.float32)
    for y in (x + 1.5, 2.5 * x, x / np.float64(3.0), x ** 2, 2.0 ** x, -x, x @ x, x - np.float32(1)):
        assert y.dtype == "float32"
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == "float32"  # Python floats follow floatx
    assert ops.convert_to_tensor(np.array([1.0, 2.0])).dtype == "float64"  # numpy arrays keep theirs


@pytest.mark.parametrize(
    "key",
    [0, -1, (1, 2), slice(1, None), (slice(None), -1), (Ellipsis, 0), (None, 1), (0, None, slice(0, 2)), (Ellipsis,),
     slice(None, None, 2), (slice(None, None, -1), slice(3, 0, -2)), (Ellipsis, slice(1, None, 2)),
     (None, slice(2, 0, -1), 0), slice(3, 1, 1), (slice(None), slice(4, 0, 5))],
    ids=repr,
)
def test_indexing_matches_numpy_and_scatters_gradients(key, backend):
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(tensor(x)[key].numpy(), x[key])
    (grad,) = grads_of(lambda t: t[key], x)
    expected = np.zeros_like(x)
    expected[key] = 1.0
    np.testing.assert_array_equal(grad, expected)


def test_indexing_errors(backend):
    x = tensor(np.zeros((2, 3)))
    with pytest.raises(IndexError, match="out of bounds"):
        x[2]
    with pytest.raises(IndexError, match="out of bounds"):
        x[0, -4]
    with pytest.raises(IndexError, match="Too many indices"):
        x[0, 0, 0]
    with pytest.raises(TypeError, match="Unsupported index"):
        x[[0, 1]]
    with pytest.raises(ValueError, match="step cannot be zero"):
        x[::0]


def test_strided_slices_on_symbolic_tensors_record_a_node():
    from kerasette import Input, Model

    inputs = Input(shape=(6, 4))
    outputs = inputs[:, ::-2, 1::2]
    assert outputs.shape == (None, 3, 2)
    x = np.arange(48.0, dtype=np.float32).reshape(2, 6, 4)
    np.testing.assert_array_equal(Model(inputs, outputs).predict(x, verbose=0), x[:, ::-2, 1::2])


def test_len_and_iteration(backend):
    x = tensor(np.arange(6.0).reshape(3, 2))
    assert len(x) == 3
    rows = list(x)
    assert len(rows) == 3 and all(r.shape == (2,) for r in rows)
    np.testing.assert_array_equal(rows[2].numpy(), [4.0, 5.0])
    with pytest.raises(TypeError):
        len(tensor(1.0))


def test_float_and_array_conversions(backend):
    x = tensor(2.5)
    assert float(x) == 2.5
    np.testing.assert_array_equal(np.asarray(tensor([1.0, 2.0])), [1.0, 2.0])
    assert np.asarray(tensor([1.0, 2.0]), dtype=np.float32).dtype == np.float32
