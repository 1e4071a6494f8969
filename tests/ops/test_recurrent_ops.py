"""The fused recurrence ops (kerasette.ops.recurrent) on every backend.

Forward values against the equations written out here in numpy (time-major, Keras's gate orders
and masked-step rules); gradients of every input against float64 central finite differences, with
and without masks; float32 in, float32 out.
"""

import numpy as np
import pytest
from finite_differences import central_difference

from kerasette import ops
from kerasette.ops import recurrent

STEPS, BATCH, UNITS = 4, 3, 2
ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "hard_sigmoid": lambda a: np.clip(a / 6.0 + 0.5, 0.0, 1.0),
    "relu": lambda a: np.maximum(a, 0.0),
    "linear": lambda a: a,
}
# (batch, steps) masks as the layers get them; a sample starting masked, one with gaps, one ending masked
MASK = np.array([[0, 0, 1, 1], [1, 0, 1, 0], [1, 1, 1, 0]], dtype=bool).T  # time-major (steps, batch)


def _masked_step(mask_t, new, old, out, zero_output):
    if mask_t is None:
        return new, new
    m = mask_t[:, None]
    return np.where(m, new, old), np.where(m, new, 0.0 if zero_output else out)


def simple_rnn_reference(xz, kernel, h, mask=None, act="tanh", zero_output=False):
    outs, out = [], np.zeros_like(h)
    for t in range(xz.shape[0]):
        new = ACTIVATIONS[act](xz[t] + h @ kernel)
        h, out = _masked_step(None if mask is None else mask[t], new, h, out, zero_output)
        outs.append(out)
    return np.stack(outs), h


def lstm_reference(xz, kernel, h, c, mask=None, act="tanh", ract="sigmoid", zero_output=False):
    outs, out = [], np.zeros_like(h)
    for t in range(xz.shape[0]):
        zi, zf, zc, zo = np.split(xz[t] + h @ kernel, 4, axis=1)
        c_new = ACTIVATIONS[ract](zf) * c + ACTIVATIONS[ract](zi) * ACTIVATIONS[act](zc)
        h_new = ACTIVATIONS[ract](zo) * ACTIVATIONS[act](c_new)
        c = c_new if mask is None else np.where(mask[t][:, None], c_new, c)
        h, out = _masked_step(None if mask is None else mask[t], h_new, h, out, zero_output)
        outs.append(out)
    return np.stack(outs), h, c


def gru_reference(xz, kernel, h, bias, mask=None, act="tanh", ract="sigmoid", zero_output=False):
    outs, out = [], np.zeros_like(h)
    for t in range(xz.shape[0]):
        xz_z, xz_r, xz_h = np.split(xz[t], 3, axis=1)
        hz_z, hz_r, hz_h = np.split(h @ kernel + bias, 3, axis=1)
        z, r = ACTIVATIONS[ract](xz_z + hz_z), ACTIVATIONS[ract](xz_r + hz_r)
        new = z * h + (1 - z) * ACTIVATIONS[act](xz_h + r * hz_h)
        h, out = _masked_step(None if mask is None else mask[t], new, h, out, zero_output)
        outs.append(out)
    return np.stack(outs), h


def _arrays(kind, seed=0):
    rng = np.random.default_rng(seed)
    gates = {"simple": 1, "lstm": 4, "gru": 3}[kind]
    arrays = [rng.normal(size=(STEPS, BATCH, gates * UNITS)), rng.normal(scale=0.7, size=(UNITS, gates * UNITS)),
              rng.normal(size=(BATCH, UNITS))]
    if kind == "lstm":
        arrays.append(rng.normal(size=(BATCH, UNITS)))
    if kind == "gru":
        arrays.append(rng.normal(size=(gates * UNITS,)))
    return arrays


def _op(kind, arrays, mask, act, ract, zero_output):
    if kind == "simple":
        return recurrent.simple_rnn_sequence(*arrays, mask, act, zero_output)
    if kind == "lstm":
        return recurrent.lstm_sequence(*arrays, mask, act, ract, zero_output)
    xz, kernel, h, bias = arrays
    return recurrent.gru_sequence(xz, kernel, h, bias, mask, act, ract, zero_output)


def _reference(kind, arrays, mask, act, ract, zero_output):
    if kind == "simple":
        return simple_rnn_reference(*arrays, mask, act, zero_output)
    if kind == "lstm":
        return lstm_reference(*arrays, mask, act, ract, zero_output)
    return gru_reference(*arrays, mask, act, ract, zero_output)


CASES = [(kind, masked, zero, act, ract)
         for kind in ("simple", "lstm", "gru")
         for masked, zero in ((False, False), (True, False), (True, True))
         for act, ract in (("tanh", "sigmoid"), ("relu", "hard_sigmoid"), ("linear", "tanh"))]
IDS = [f"{k}-{'mask' if m else 'nomask'}{'-zero' if z else ''}-{a}-{r}" for k, m, z, a, r in CASES]


@pytest.mark.parametrize("kind,masked,zero,act,ract", CASES, ids=IDS)
def test_forward_matches_the_equations(kind, masked, zero, act, ract, backend):
    arrays = _arrays(kind)
    mask = MASK if masked else None
    expected = _reference(kind, arrays, mask, act, ract, zero)
    got = _op(kind, [ops.convert_to_tensor(a) for a in arrays], mask, act, ract, zero)
    assert len(got) == len(expected)
    for value, reference in zip(got, expected):
        assert value.dtype == "float64"
        np.testing.assert_allclose(value.numpy(), reference, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind,masked,zero,act,ract", [c for c in CASES if c[3] != "relu"],
                         ids=[i for i, c in zip(IDS, CASES) if c[3] != "relu"])
def test_gradients_match_finite_differences(kind, masked, zero, act, ract, backend):
    arrays = _arrays(kind, seed=1)
    mask = MASK if masked else None
    rng = np.random.default_rng(2)
    cotangents = [rng.normal(size=r.shape) for r in _reference(kind, arrays, mask, act, ract, zero)]
    tensors = [ops.convert_to_tensor(a) for a in arrays]
    with ops.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        results = _op(kind, tensors, mask, act, ract, zero)
        loss = ops.sum(ops.stack([ops.sum(ops.multiply(r, c)) for r, c in zip(results, cotangents)]))
    grads = tape.gradient(loss, tensors)

    def objective(_):
        return sum(float(np.sum(r * c)) for r, c in zip(_reference(kind, arrays, mask, act, ract, zero), cotangents))

    for index, (array, grad) in enumerate(zip(arrays, grads)):
        assert grad is not None and grad.shape == array.shape
        numeric = central_difference(objective, array)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-6, atol=1e-7, err_msg=f"input {index}")


@pytest.mark.parametrize("kind", ["simple", "lstm", "gru"])
def test_float32_stays_float32_and_matches_float64(kind, backend):
    arrays = _arrays(kind, seed=3)
    expected = _reference(kind, arrays, MASK, "tanh", "sigmoid", False)
    tensors = [ops.convert_to_tensor(a.astype("float32")) for a in arrays]
    with ops.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        results = _op(kind, tensors, MASK, "tanh", "sigmoid", False)
        loss = ops.sum(results[0])
    for value, reference in zip(results, expected):
        assert value.dtype == "float32"
        np.testing.assert_allclose(value.numpy(), reference, rtol=1e-5, atol=1e-5)
    assert all(g.dtype == "float32" for g in tape.gradient(loss, tensors))


def test_only_the_needed_gradients_are_returned_and_inference_keeps_no_tape():
    xz, kernel, h, c = _arrays("lstm")
    x = ops.convert_to_tensor(xz)
    outputs, h_t, c_t = recurrent.lstm_sequence(x, kernel, h, c)
    assert outputs.node is None and h_t.node is None  # nothing tracked: no tape node
    with ops.GradientTape() as tape:
        tape.watch(x)
        _, h_t, _ = recurrent.lstm_sequence(x, kernel, h, c)
        loss = ops.sum(h_t)
    (grad,) = tape.gradient(loss, [x])
    numeric = central_difference(lambda _: float(np.sum(lstm_reference(xz, kernel, h, c)[1])), xz)
    np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("call,match", [
    (lambda: recurrent.lstm_sequence(np.zeros((3, 2, 8)), np.zeros((2, 6)), np.zeros((2, 2)), np.zeros((2, 2))),
     r"\(units, 4 \* units\)"),
    (lambda: recurrent.gru_sequence(np.zeros((3, 2, 6)), np.zeros((2, 6)), np.zeros((3, 2))),
     r"states of shape \(2, 2\)"),
    (lambda: recurrent.simple_rnn_sequence(np.zeros((0, 2, 2)), np.zeros((2, 2)), np.zeros((2, 2))),
     "at least one timestep"),
    (lambda: recurrent.simple_rnn_sequence(np.zeros((3, 2, 2)), np.zeros((2, 2)), np.zeros((2, 2)), np.ones((2, 3))),
     r"mask of shape \(3, 2\)"),
    (lambda: recurrent.gru_sequence(np.zeros((3, 2, 6)), np.zeros((2, 6)), np.zeros((2, 2)), np.zeros((4,))),
     r"recurrent bias of shape \(6,\)"),
    (lambda: recurrent.simple_rnn_sequence(np.zeros((3, 2, 2)), np.zeros((2, 2)), np.zeros((2, 2)), activation="gelu"),
     "Unsupported recurrent activation 'gelu'"),
])
def test_bad_arguments_are_clear_errors(call, match, backend):
    with pytest.raises(ValueError, match=match):
        call()
