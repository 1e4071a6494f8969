"""Whole recurrences as single differentiable ops: SimpleRNN, LSTM and GRU over a time-major sequence.

Each op takes the input projections of every step at once (``xz``, shape (timesteps, batch,
gates * units), one GEMM computed by the caller), runs the recurrence with one GEMM and one fused
gate primitive of the backend per step, and records one node on the tape. Its gradient is
backpropagation through time with the backend's fused backward step and one GEMM per step, then
a single GEMM for the recurrent kernel's gradient over all steps.

Masks (shape (timesteps, batch), nonzero for the steps to compute) follow Keras: a masked step
carries the states over and outputs the previous output (zeros before the first computed step),
or zeros with ``zero_output_for_mask``. Activations are Keras's names among
``FUSED_ACTIVATIONS``. These are not Keras ops (Keras has no such public names); the recurrent
layers use them.
"""

from __future__ import annotations

from typing import Optional, Tuple

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import is_recording, make_tensor
from kerasette.ops.shapes import reshape, slice
from kerasette.ops.tensor import Tensor

FUSED_ACTIVATIONS = ("tanh", "sigmoid", "hard_sigmoid", "relu", "linear")


def _stack(B, arrays):
    """(len(arrays), *shape) from same-shaped arrays, in one concatenate."""
    return B.concatenate([B.reshape(a, (1,) + tuple(B.shape(a))) for a in arrays], 0)


def _check(xz, kernel, states, gates, op):
    """(timesteps, batch, units) after checking the shapes of the op's arguments."""
    xz_shape, k_shape = tuple(xz.shape), tuple(kernel.shape)
    if len(xz_shape) != 3 or len(k_shape) != 2 or k_shape[1] != gates * k_shape[0] or xz_shape[2] != k_shape[1]:
        raise ValueError(f"`{op}` expects xz of shape (timesteps, batch, {gates} * units) and a recurrent kernel of "
                         f"shape (units, {gates} * units). Received xz {xz_shape} and kernel {k_shape}.")
    steps, batch, units = xz_shape[0], xz_shape[1], k_shape[0]
    if steps < 1:
        raise ValueError(f"`{op}` needs at least one timestep. Received xz of shape {xz_shape}.")
    for state in states:
        if tuple(state.shape) != (batch, units):
            raise ValueError(f"`{op}` expects states of shape {(batch, units)}. Received {tuple(state.shape)}.")
    return steps, batch, units


def _mask_data(B, mask, steps, batch, dtype, op):
    if mask is None:
        return None
    data = _data(mask)
    if tuple(B.shape(data)) != (steps, batch):
        raise ValueError(f"`{op}` expects a mask of shape {(steps, batch)}. Received {tuple(B.shape(data))}.")
    return B.cast(data, dtype)


def _outputs(B, joint, steps, n_states):
    """The op's results as slices of the packed ``joint`` tensor: outputs, then each final state."""
    batch, units = B.shape(joint.data)[1:]
    outputs = slice(joint, (0, 0, 0), (steps, batch, units))
    states = [reshape(slice(joint, (steps + k, 0, 0), (steps + k + 1, batch, units)), (batch, units))
              for k in range(n_states)]
    return (outputs, *states)


class _Once:
    """Runs the shared backward pass once per incoming gradient, for the parents' gradient functions."""

    def __init__(self, backward):
        self.backward, self.key, self.result = backward, None, None

    def part(self, index):
        def grad(g):
            if self.key is not g:
                self.key, self.result = g, self.backward(g.data)
            return Tensor(self.result[index])

        return grad


def _recurrent_kernel_gradient(B, h0, hs, dz):
    """``sum_t h_{t-1}^T @ dz_t`` as one GEMM over all steps."""
    prev = _stack(B, [h0] + hs[:-1])
    steps, batch, units = B.shape(prev)
    flat = B.transpose(B.reshape(prev, (steps * batch, units)), (1, 0))
    return B.matmul(flat, B.reshape(dz, (steps * batch, B.shape(dz)[2])))


def simple_rnn_sequence(xz: TensorLike, recurrent_kernel: TensorLike, h0: TensorLike, mask: Optional[TensorLike] = None,
                        activation: str = "tanh", zero_output_for_mask: bool = False) -> Tuple[Tensor, Tensor]:
    """``h_t = activation(xz[t] + h_{t-1} @ recurrent_kernel)`` over every step.

    Args:
        xz: (timesteps, batch, units) input projections with the bias added.
        recurrent_kernel: (units, units).
        h0: (batch, units) initial state.
        mask: optional (timesteps, batch) mask, nonzero for the steps to compute.
        activation: one of ``FUSED_ACTIVATIONS``.
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Returns:
        ``(outputs, h)``: outputs (timesteps, batch, units) and the final state (batch, units).
    """
    B = _backend()
    steps, batch, units = _check(xz, recurrent_kernel, [h0], 1, "simple_rnn_sequence")
    x, kernel, h = _data(xz), _data(recurrent_kernel), _data(h0)
    m = _mask_data(B, mask, steps, batch, B.dtype(x), "simple_rnn_sequence")
    keep = is_recording()
    hs, outs, caches, out = [], [], [], None
    for t in range(steps):
        h, out, cache = B.simple_rnn_step(x, t, B.matmul(h, kernel), h, out, m, activation, zero_output_for_mask)
        hs.append(h), outs.append(out)
        if keep:
            caches.append(cache)
    joint_data = _stack(B, outs + [h])

    def backward(g):
        kernel_t = B.transpose(kernel, (1, 0))
        dzs, dhr, dh, dout = [None] * steps, None, B.slice(g, (steps, 0, 0), (steps + 1, batch, units)), None
        dh = B.reshape(dh, (batch, units))
        for t in reversed(range(steps)):
            dz, dh, dout = B.simple_rnn_step_backward(g, t, dhr, dh, dout, caches[t], m, activation,
                                                      zero_output_for_mask)
            dzs[t] = dz
            dhr = B.matmul(dz, kernel_t)
        dz_all = _stack(B, dzs)
        dh0 = dhr if dh is None else B.add(dhr, dh)
        return dz_all, _recurrent_kernel_gradient(B, _data(h0), hs, dz_all), dh0

    once = _Once(backward)
    joint = make_tensor(joint_data, (xz, recurrent_kernel, h0), [once.part(0), once.part(1), once.part(2)])
    return _outputs(B, joint, steps, 1)


def lstm_sequence(xz: TensorLike, recurrent_kernel: TensorLike, h0: TensorLike, c0: TensorLike,
                  mask: Optional[TensorLike] = None, activation: str = "tanh", recurrent_activation: str = "sigmoid",
                  zero_output_for_mask: bool = False) -> Tuple[Tensor, Tensor, Tensor]:
    """An LSTM over every step, gates in Keras's order i, f, c, o.

    ``z = xz[t] + h_{t-1} @ recurrent_kernel``; ``i, f, o = recurrent_activation(z_i, z_f, z_o)``;
    ``c_t = f * c_{t-1} + i * activation(z_c)``; ``h_t = o * activation(c_t)``.

    Args:
        xz: (timesteps, batch, 4 * units) input projections with the bias added.
        recurrent_kernel: (units, 4 * units).
        h0: (batch, units) initial hidden state.
        c0: (batch, units) initial cell state.
        mask: optional (timesteps, batch) mask, nonzero for the steps to compute.
        activation: one of ``FUSED_ACTIVATIONS``.
        recurrent_activation: one of ``FUSED_ACTIVATIONS``.
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Returns:
        ``(outputs, h, c)``: outputs (timesteps, batch, units) and the final states.
    """
    B = _backend()
    steps, batch, units = _check(xz, recurrent_kernel, [h0, c0], 4, "lstm_sequence")
    x, kernel, h, c = _data(xz), _data(recurrent_kernel), _data(h0), _data(c0)
    m = _mask_data(B, mask, steps, batch, B.dtype(x), "lstm_sequence")
    keep = is_recording()
    hs, cs, outs, caches, out = [], [], [], [], None
    for t in range(steps):
        h, c, out, cache = B.lstm_step(x, t, B.matmul(h, kernel), h, c, out, m, activation, recurrent_activation,
                                       zero_output_for_mask)
        hs.append(h), outs.append(out)
        if keep:
            cs.append(c), caches.append(cache)
    joint_data = _stack(B, outs + [h, c])

    def backward(g):
        kernel_t = B.transpose(kernel, (1, 0))
        dh = B.reshape(B.slice(g, (steps, 0, 0), (steps + 1, batch, units)), (batch, units))
        dc = B.reshape(B.slice(g, (steps + 1, 0, 0), (steps + 2, batch, units)), (batch, units))
        dzs, dhr, dout = [None] * steps, None, None
        for t in reversed(range(steps)):
            c_prev = cs[t - 1] if t else _data(c0)
            dz, dh, dc, dout = B.lstm_step_backward(g, t, dhr, dh, dc, dout, caches[t], c_prev, m, activation,
                                                    recurrent_activation, zero_output_for_mask)
            dzs[t] = dz
            dhr = B.matmul(dz, kernel_t)
        dz_all = _stack(B, dzs)
        dh0 = dhr if dh is None else B.add(dhr, dh)
        return dz_all, _recurrent_kernel_gradient(B, _data(h0), hs, dz_all), dh0, dc

    once = _Once(backward)
    joint = make_tensor(joint_data, (xz, recurrent_kernel, h0, c0), [once.part(k) for k in range(4)])
    return _outputs(B, joint, steps, 2)


def gru_sequence(xz: TensorLike, recurrent_kernel: TensorLike, h0: TensorLike,
                 recurrent_bias: Optional[TensorLike] = None, mask: Optional[TensorLike] = None,
                 activation: str = "tanh", recurrent_activation: str = "sigmoid",
                 zero_output_for_mask: bool = False) -> Tuple[Tensor, Tensor]:
    """A GRU over every step with the reset gate applied after the recurrent GEMM (Keras's ``reset_after=True``).

    ``hz = h_{t-1} @ recurrent_kernel + recurrent_bias``; ``z, r = recurrent_activation(xz_z + hz_z,
    xz_r + hz_r)``; ``hh = activation(xz_h + r * hz_h)``; ``h_t = z * h_{t-1} + (1 - z) * hh``.

    Args:
        xz: (timesteps, batch, 3 * units) input projections with the input bias added.
        recurrent_kernel: (units, 3 * units), blocks z, r, h.
        h0: (batch, units) initial state.
        recurrent_bias: optional (3 * units,) bias of the recurrent projection.
        mask: optional (timesteps, batch) mask, nonzero for the steps to compute.
        activation: one of ``FUSED_ACTIVATIONS``.
        recurrent_activation: one of ``FUSED_ACTIVATIONS``.
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Returns:
        ``(outputs, h)``: outputs (timesteps, batch, units) and the final state (batch, units).
    """
    B = _backend()
    steps, batch, units = _check(xz, recurrent_kernel, [h0], 3, "gru_sequence")
    x, kernel, h = _data(xz), _data(recurrent_kernel), _data(h0)
    bias = None if recurrent_bias is None else _data(recurrent_bias)
    if bias is not None and tuple(B.shape(bias)) != (3 * units,):
        raise ValueError(f"`gru_sequence` expects a recurrent bias of shape {(3 * units,)}. Received "
                         f"{tuple(B.shape(bias))}.")
    m = _mask_data(B, mask, steps, batch, B.dtype(x), "gru_sequence")
    keep = is_recording()
    hs, outs, caches, out = [], [], [], None
    for t in range(steps):
        h_prev = h
        h, out, cache = B.gru_step(x, t, B.matmul(h_prev, kernel), bias, h_prev, out, m, activation,
                                   recurrent_activation, zero_output_for_mask)
        hs.append(h), outs.append(out)
        if keep:
            caches.append(cache)
    joint_data = _stack(B, outs + [h])

    def backward(g):
        kernel_t = B.transpose(kernel, (1, 0))
        dh = B.reshape(B.slice(g, (steps, 0, 0), (steps + 1, batch, units)), (batch, units))
        dxs, dhzs, dhr, dout = [None] * steps, [None] * steps, None, None
        for t in reversed(range(steps)):
            h_prev = hs[t - 1] if t else _data(h0)
            dx, dhz, dh, dout = B.gru_step_backward(g, t, dhr, dh, dout, caches[t], h_prev, m, activation,
                                                    recurrent_activation, zero_output_for_mask)
            dxs[t], dhzs[t] = dx, dhz
            dhr = B.matmul(dhz, kernel_t)
        dhz_all = _stack(B, dhzs)
        dbias = B.sum(B.reshape(dhz_all, (steps * batch, 3 * units)), axis=0) if bias is not None else None
        return (_stack(B, dxs), _recurrent_kernel_gradient(B, _data(h0), hs, dhz_all), B.add(dhr, dh), dbias)

    once = _Once(backward)
    parents = (xz, recurrent_kernel, h0) + ((recurrent_bias,) if bias is not None else ())
    joint = make_tensor(joint_data, parents, [once.part(k) for k in range(len(parents))])
    return _outputs(B, joint, steps, 1)


__all__ = ["FUSED_ACTIVATIONS", "gru_sequence", "lstm_sequence", "simple_rnn_sequence"]
