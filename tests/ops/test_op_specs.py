"""The op harness: every spec of ``op_specs.py`` on every backend that loads.

For each spec: the forward value matches the plain numpy expectation; the
gradient of ``sum(out * cotangent)`` (a random cotangent) from the tape matches
float64 central finite differences of the op itself; float32 inputs give a
float32 output and float32 gradients.
"""

import zlib

import numpy as np
import pytest
from finite_differences import central_difference
from op_specs import SPECS

from kerasette import ops

EPS = 1e-6  # finite-difference step, float64


def _rng(spec, salt=0):
    return np.random.default_rng(zlib.crc32(spec.name.encode()) + salt)


def _draw(spec):
    rng = _rng(spec)
    return [np.asarray(gen(rng)) for gen in spec.inputs]


def _wrt(spec, arrays):
    if spec.wrt is not None:
        return spec.wrt
    return tuple(i for i, a in enumerate(arrays) if np.issubdtype(a.dtype, np.floating))


def _loss(spec, arrays, cotangent):
    """sum(op(arrays) * cotangent) in float64, with no tape."""
    out = spec.op(*[ops.convert_to_tensor(a) for a in arrays]).numpy()
    return float(np.sum(out * cotangent))


def numeric_gradient(spec, arrays, index, cotangent):
    """Central differences of the loss with respect to ``arrays[index]``, one element at a time."""
    arrays = [a.copy() for a in arrays]
    return central_difference(lambda _: _loss(spec, arrays, cotangent), arrays[index], eps=EPS)


def tape_gradients(spec, arrays, wrt, cotangent_seed):
    tensors = [ops.convert_to_tensor(a) for a in arrays]
    with ops.GradientTape() as tape:
        for i in wrt:
            tape.watch(tensors[i])
        out = spec.op(*tensors)
        cotangent = np.random.default_rng(cotangent_seed).standard_normal(out.shape).astype(out.dtype)
        loss = ops.sum(ops.multiply(out, ops.convert_to_tensor(cotangent)))
    return out, cotangent, tape.gradient(loss, [tensors[i] for i in wrt])


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_forward(spec, backend):
    arrays = _draw(spec)
    expected = np.asarray(spec.expected(*[a.copy() for a in arrays]))
    out = spec.op(*[ops.convert_to_tensor(a) for a in arrays])
    assert isinstance(out, ops.Tensor)
    assert out.shape == expected.shape
    assert out.dtype == expected.dtype.name
    np.testing.assert_allclose(out.numpy(), expected, rtol=spec.rtol, atol=spec.atol)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.wrt != ()], ids=lambda s: s.name)
def test_gradient_matches_finite_differences(spec, backend):
    arrays = _draw(spec)
    wrt = _wrt(spec, arrays)
    _, cotangent, grads = tape_gradients(spec, arrays, wrt, cotangent_seed=zlib.crc32(spec.name.encode()) + 1)
    for i, grad in zip(wrt, grads):
        assert grad is not None, f"input {i} got no gradient"
        assert grad.shape == arrays[i].shape
        assert grad.dtype == "float64"
        numeric = numeric_gradient(spec, arrays, i, cotangent)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-6, atol=1e-6, err_msg=f"input {i}")


@pytest.mark.parametrize("spec", [s for s in SPECS if s.float32], ids=lambda s: s.name)
def test_float32_stays_float32(spec, backend):
    arrays = [a.astype(np.float32) if np.issubdtype(a.dtype, np.floating) else a for a in _draw(spec)]
    wrt = _wrt(spec, arrays)
    out, _, grads = tape_gradients(spec, arrays, wrt, cotangent_seed=0)
    assert out.dtype == "float32"
    for i, grad in zip(wrt, grads):
        assert grad is not None and grad.dtype == "float32", f"input {i}: {grad!r}"
        assert grad.shape == arrays[i].shape
    # Same numbers as float64 up to float32 rounding (the reference sees the rounded inputs).
    expected = spec.expected(*[a.astype(np.float64) if a.dtype == np.float32 else a for a in arrays])
    np.testing.assert_allclose(out.numpy(), expected, rtol=2e-5, atol=2e-5)


def test_cast_gradient_returns_to_the_input_dtype(backend):
    x = ops.convert_to_tensor(np.linspace(-1.0, 1.0, 6))
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.cast(x, "float32")
        loss = ops.sum(ops.multiply(y, ops.convert_to_tensor(np.arange(6, dtype=np.float32))))
    (grad,) = tape.gradient(loss, [x])
    assert y.dtype == "float32" and grad.dtype == "float64"
    np.testing.assert_array_equal(grad.numpy(), np.arange(6.0))


def test_cast_to_integer_is_not_differentiable(backend):
    x = ops.convert_to_tensor(np.linspace(-3.0, 3.0, 6))
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.cast(x, "int32")
    assert y.dtype == "int32"
    assert tape.gradient(y, [x]) == [None]


def test_every_op_has_a_spec():
    from op_specs import NOT_SPECCED

    exempt = {name for names in NOT_SPECCED.values() for name in names}
    public = {name for name in ops.__all__ if callable(getattr(ops, name))}
    names = [s.name for s in SPECS]
    covered = {op for op in public if any(n == op or n.startswith((op + "_", op + "(")) for n in names)}
    assert public - exempt - covered == set(), "add a spec to op_specs.py (or list the op in NOT_SPECCED)"
    assert exempt - public == set(), "NOT_SPECCED names an op that no longer exists"
