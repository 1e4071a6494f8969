"""Numpy recurrent primitives: one fused gate step of SimpleRNN, LSTM and GRU, and its gradient.

Sequences are time-major. ``xz[t]`` is step t's input projection (batch, gates * units) with the
input bias in it; ``mask[t]`` is step t's mask (batch,), nonzero to compute the step and zero to
carry the state over (the output then repeats the previous output, or is zero with
``zero_output``). The recurrent GEMM ``hz = h @ recurrent_kernel`` is the caller's, so a step costs
one GEMM and one of these, forward and backward. Gate blocks are Keras's: LSTM i, f, c, o; GRU z, r, h.

Backward steps take the gradient reaching step t in parts: ``dy[t]`` (from the output sequence),
``dhr`` (the recurrent GEMM's ``dz_{t+1} @ recurrent_kernel.T``, None at the last step), ``dh`` and
``dout`` (what the step after passed on directly; None for zero). They return the gradient of the
pre-activations and what step t - 1 receives directly. Activation derivatives are computed from the
activations' outputs, kept in the forward ``cache``.
"""

import numpy as np

ACTIVATIONS = ("tanh", "sigmoid", "hard_sigmoid", "relu", "linear")


def _activate(name, a):
    """``activation(a)`` computed in place in ``a`` (a fresh float array or a view of one)."""
    if name == "tanh":
        return np.tanh(a, out=a)
    if name == "sigmoid":  # 1 / (1 + e^-a) = (1 + tanh(a / 2)) / 2, without overflow
        a *= 0.5
        np.tanh(a, out=a)
        a *= 0.5
        a += 0.5
        return a
    if name == "hard_sigmoid":  # Keras 3: relu6(a + 3) / 6
        a /= 6.0
        a += 0.5
        return np.clip(a, 0.0, 1.0, out=a)
    if name == "relu":
        return np.maximum(a, 0.0, out=a)
    if name == "linear":
        return a
    raise ValueError(f"Unsupported recurrent activation {name!r}. Expected one of {ACTIVATIONS}.")


def _derivative(name, y):
    """The activation's derivative, from its output ``y``."""
    if name == "tanh":
        return 1.0 - y * y
    if name == "sigmoid":
        return y * (1.0 - y)
    if name == "hard_sigmoid":
        return ((y > 0.0) & (y < 1.0)) * y.dtype.type(1.0 / 6.0)
    if name == "relu":
        return (y > 0.0).astype(y.dtype)
    if name == "linear":
        return np.ones_like(y)
    raise ValueError(f"Unsupported recurrent activation {name!r}. Expected one of {ACTIVATIONS}.")


def _step_mask(mask, t):
    return None if mask is None else (np.asarray(mask[t]) != 0)[:, None]


def _masked(m, h_new, h, out, zero_output):
    """(state, output) of a step under its mask ``m``: new where computed, carried where masked."""
    if m is None:
        return h_new, h_new
    prev = 0.0 if zero_output or out is None else out
    return np.where(m, h_new, h), np.where(m, h_new, prev)


def _plus(a, b):
    if a is None:
        return b
    return a if b is None else a + b


def _split_gradient(m, dy_t, dhr, dh, dout, zero_output):
    """(gradient of the step's new state, direct carry to h_{t-1}, carry to out_{t-1}) under mask ``m``."""
    gh = _plus(dhr, dh)
    go = _plus(dy_t, dout)
    total = _plus(gh, go)
    if m is None:
        return total, None, None
    dnew = np.where(m, total, 0.0)
    dh_pass = np.where(m, 0.0, gh) if gh is not None else np.zeros_like(dnew)
    dout_pass = np.zeros_like(dnew) if zero_output else np.where(m, 0.0, go)
    return dnew, dh_pass, dout_pass


# ----- SimpleRNN: h = act(xz[t] + hz) --------------------------------------------------------------
def simple_rnn_step(xz, t, hz, h, out, mask, activation, zero_output):
    h_new = _activate(activation, np.add(xz[t], hz))
    m = _step_mask(mask, t)
    h_t, out_t = _masked(m, h_new, h, out, zero_output)
    return h_t, out_t, h_new


def simple_rnn_step_backward(dy, t, dhr, dh, dout, cache, mask, activation, zero_output):
    m = _step_mask(mask, t)
    dnew, dh_pass, dout_pass = _split_gradient(m, dy[t], dhr, dh, dout, zero_output)
    return dnew * _derivative(activation, cache), dh_pass, dout_pass


# ----- LSTM: gates i, f, c, o; c = f * c_prev + i * act(zc); h = o * act(c) -------------------------
def lstm_step(xz, t, hz, h, c, out, mask, activation, recurrent_activation, zero_output):
    u = h.shape[-1]
    cache = np.empty((h.shape[0], 5 * u), np.result_type(xz, hz))  # i, f, g, o, and the new cell
    np.add(xz[t], hz, out=cache[:, : 4 * u])
    i, f, g, o, c_new = (cache[:, k * u:(k + 1) * u] for k in range(5))
    for gate in (i, f, o):
        _activate(recurrent_activation, gate)
    _activate(activation, g)
    np.multiply(f, c, out=c_new)
    c_new += i * g
    h_new = o * _activate(activation, c_new.copy())
    m = _step_mask(mask, t)
    h_t, out_t = _masked(m, h_new, h, out, zero_output)
    c_t = c_new if m is None else np.where(m, c_new, c)
    return h_t, c_t, out_t, cache


def lstm_step_backward(dy, t, dhr, dh, dc, dout, cache, c_prev, mask, activation, recurrent_activation,
                       zero_output):
    u = cache.shape[-1] // 5
    i, f, g, o, c_new = (cache[:, k * u:(k + 1) * u] for k in range(5))
    m = _step_mask(mask, t)
    dnew, dh_pass, dout_pass = _split_gradient(m, dy[t], dhr, dh, dout, zero_output)
    dc_in = np.zeros_like(dnew) if dc is None else dc
    ac = _activate(activation, c_new.copy())
    dc_total = dnew * o * _derivative(activation, ac) + (dc_in if m is None else np.where(m, dc_in, 0.0))
    dz = np.empty((dnew.shape[0], 4 * u), dnew.dtype)
    np.multiply(dc_total * g, _derivative(recurrent_activation, i), out=dz[:, :u])
    np.multiply(dc_total * c_prev, _derivative(recurrent_activation, f), out=dz[:, u:2 * u])
    np.multiply(dc_total * i, _derivative(activation, g), out=dz[:, 2 * u:3 * u])
    np.multiply(dnew * ac, _derivative(recurrent_activation, o), out=dz[:, 3 * u:])
    dc_prev = dc_total * f
    if m is not None:
        dc_prev += np.where(m, 0.0, dc_in)
    return dz, dh_pass, dc_prev, dout_pass


# ----- GRU (reset after): gates z, r, h; hh = act(xh + r * (hz_h + b_h)); h = z * h_prev + (1 - z) * hh --
def gru_step(xz, t, hz, rbias, h, out, mask, activation, recurrent_activation, zero_output):
    u = h.shape[-1]
    hr = hz if rbias is None else hz + rbias
    x = xz[t]
    cache = np.empty((h.shape[0], 4 * u), np.result_type(xz, hz))  # z, r, hh, and hz_h + b_h
    np.add(x[:, : 2 * u], hr[:, : 2 * u], out=cache[:, : 2 * u])
    z, r, hh, hrh = (cache[:, k * u:(k + 1) * u] for k in range(4))
    _activate(recurrent_activation, cache[:, : 2 * u])
    hrh[...] = hr[:, 2 * u:]
    np.multiply(r, hrh, out=hh)
    hh += x[:, 2 * u:]
    _activate(activation, hh)
    h_new = hh + z * (h - hh)
    m = _step_mask(mask, t)
    h_t, out_t = _masked(m, h_new, h, out, zero_output)
    return h_t, out_t, cache


def gru_step_backward(dy, t, dhr, dh, dout, cache, h_prev, mask, activation, recurrent_activation, zero_output):
    u = cache.shape[-1] // 4
    z, r, hh, hrh = (cache[:, k * u:(k + 1) * u] for k in range(4))
    m = _step_mask(mask, t)
    dnew, dh_pass, dout_pass = _split_gradient(m, dy[t], dhr, dh, dout, zero_output)
    dx = np.empty((dnew.shape[0], 3 * u), dnew.dtype)
    dah = dx[:, 2 * u:]
    np.multiply(dnew * (1.0 - z), _derivative(activation, hh), out=dah)
    np.multiply(dnew * (h_prev - hh), _derivative(recurrent_activation, z), out=dx[:, :u])
    np.multiply(dah * hrh, _derivative(recurrent_activation, r), out=dx[:, u:2 * u])
    dhz = dx.copy()
    dhz[:, 2 * u:] *= r
    dh_direct = dnew * z
    if dh_pass is not None:
        dh_direct += dh_pass
    return dx, dhz, dh_direct, dout_pass


__all__ = ["simple_rnn_step", "simple_rnn_step_backward", "lstm_step", "lstm_step_backward", "gru_step",
           "gru_step_backward"]
