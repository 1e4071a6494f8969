"""Recurrent step primitives (SimpleRNN, LSTM, GRU; forward and backward): one kernel launch each.

The kernels are in ``recurrent.cl``, one work-item per (batch row, unit); the semantics, argument
conventions and float operations are those of ``backends/numpy/recurrent.py``. Optional operands
(None) are passed as a zero flag with a placeholder buffer that the kernel never reads.
"""

from kerasette.backends.opencl import creation, launch, memory, runtime
from kerasette.backends.opencl.memory import cl_type

__all__ = ["simple_rnn_step", "simple_rnn_step_backward", "lstm_step", "lstm_step_backward", "gru_step",
           "gru_step_backward"]

_FILE = "recurrent.cl"
_LOCAL = 64
_CODES = {"tanh": 0, "sigmoid": 1, "hard_sigmoid": 2, "relu": 3, "linear": 4}
_cache = {"runtime": None, "kernels": {}}


def _code(name):
    if name not in _CODES:
        raise ValueError(f"Unsupported recurrent activation {name!r}. Expected one of {tuple(_CODES)}.")
    return _CODES[name]


def _kernel(name, dtype, activation, recurrent_activation, masked, zero_output):
    """The kernel ``name`` built for these settings, looked up once per runtime."""
    rt = runtime.get()
    if _cache["runtime"] is not rt:
        _cache["runtime"], _cache["kernels"] = rt, {}
    key = (name, dtype.name, activation, recurrent_activation, masked, zero_output)
    found = _cache["kernels"].get(key)
    if found is None:
        defines = {"T": cl_type(dtype), "ACT": _code(activation), "RACT": _code(recurrent_activation or "linear"),
                   "MASKED": int(masked), "ZERO_OUT": int(bool(zero_output))}
        found = _cache["kernels"][key] = launch.kernel(_FILE, name, **defines)
    return found


def _device(x, dtype):
    """``x`` on the device in ``dtype`` (None stays None)."""
    if x is None:
        return None
    x = creation.asarray(x)
    return x if x.dtype == dtype else creation.cast(x, dtype)


def _optional(x, placeholder):
    """(buffer, flag) for an optional operand."""
    return (placeholder, launch.i32(0)) if x is None else (x, launch.i32(1))


def _run(kernel, batch, units, *args):
    launch.run(kernel, batch * units, _LOCAL, *args, launch.i32(batch), launch.i32(units))


def _sizes(h):
    return h.shape[0], h.shape[1]


def simple_rnn_step(xz, t, hz, h, out, mask, activation, zero_output):
    xz = creation.asarray(xz)
    dtype = xz.dtype
    hz, h, out, mask = (_device(a, dtype) for a in (hz, h, out, mask))
    batch, units = _sizes(h)
    masked = mask is not None
    h_t, cache = memory.empty(h.shape, dtype), memory.empty(h.shape, dtype)
    out_t = memory.empty(h.shape, dtype) if masked else h_t
    kernel = _kernel("simple_rnn_step", dtype, activation, None, masked, zero_output)
    _run(kernel, batch, units, xz, launch.i32(t), hz, h, *_optional(out, h), mask if masked else h, h_t, out_t,
         cache)
    return h_t, out_t, cache


def simple_rnn_step_backward(dy, t, dhr, dh, dout, cache, mask, activation, zero_output):
    cache = creation.asarray(cache)
    dtype = cache.dtype
    dy, dhr, dh, dout, mask = (_device(a, dtype) for a in (dy, dhr, dh, dout, mask))
    batch, units = _sizes(cache)
    masked = mask is not None
    dz = memory.empty(cache.shape, dtype)
    dh_pass = memory.empty(cache.shape, dtype) if masked else None
    dout_pass = memory.empty(cache.shape, dtype) if masked else None
    kernel = _kernel("simple_rnn_step_backward", dtype, activation, None, masked, zero_output)
    _run(kernel, batch, units, dy, launch.i32(t), *_optional(dhr, dy), *_optional(dh, dy), *_optional(dout, dy),
         cache, mask if masked else dy, dz, dh_pass if masked else dz, dout_pass if masked else dz)
    return dz, dh_pass, dout_pass


def lstm_step(xz, t, hz, h, c, out, mask, activation, recurrent_activation, zero_output):
    xz = creation.asarray(xz)
    dtype = xz.dtype
    hz, h, c, out, mask = (_device(a, dtype) for a in (hz, h, c, out, mask))
    batch, units = _sizes(h)
    masked = mask is not None
    h_t, c_t = memory.empty(h.shape, dtype), memory.empty(h.shape, dtype)
    out_t = memory.empty(h.shape, dtype) if masked else h_t
    cache = memory.empty((batch, 5 * units), dtype)
    kernel = _kernel("lstm_step", dtype, activation, recurrent_activation, masked, zero_output)
    _run(kernel, batch, units, xz, launch.i32(t), hz, h, c, *_optional(out, h), mask if masked else h, h_t, c_t,
         out_t, cache)
    return h_t, c_t, out_t, cache


def lstm_step_backward(dy, t, dhr, dh, dc, dout, cache, c_prev, mask, activation, recurrent_activation,
                       zero_output):
    cache = creation.asarray(cache)
    dtype = cache.dtype
    dy, dhr, dh, dc, dout, c_prev, mask = (_device(a, dtype) for a in (dy, dhr, dh, dc, dout, c_prev, mask))
    batch, units = _sizes(c_prev)
    masked = mask is not None
    dz = memory.empty((batch, 4 * units), dtype)
    dc_prev = memory.empty(c_prev.shape, dtype)
    dh_pass = memory.empty(c_prev.shape, dtype) if masked else None
    dout_pass = memory.empty(c_prev.shape, dtype) if masked else None
    kernel = _kernel("lstm_step_backward", dtype, activation, recurrent_activation, masked, zero_output)
    _run(kernel, batch, units, dy, launch.i32(t), *_optional(dhr, dy), *_optional(dh, dy), *_optional(dc, dy),
         *_optional(dout, dy), cache, c_prev, mask if masked else dy, dz, dh_pass if masked else dc_prev, dc_prev,
         dout_pass if masked else dc_prev)
    return dz, dh_pass, dc_prev, dout_pass


def gru_step(xz, t, hz, rbias, h, out, mask, activation, recurrent_activation, zero_output):
    xz = creation.asarray(xz)
    dtype = xz.dtype
    hz, rbias, h, out, mask = (_device(a, dtype) for a in (hz, rbias, h, out, mask))
    batch, units = _sizes(h)
    masked = mask is not None
    h_t = memory.empty(h.shape, dtype)
    out_t = memory.empty(h.shape, dtype) if masked else h_t
    cache = memory.empty((batch, 4 * units), dtype)
    kernel = _kernel("gru_step", dtype, activation, recurrent_activation, masked, zero_output)
    _run(kernel, batch, units, xz, launch.i32(t), hz, *_optional(rbias, h), h, *_optional(out, h),
         mask if masked else h, h_t, out_t, cache)
    return h_t, out_t, cache


def gru_step_backward(dy, t, dhr, dh, dout, cache, h_prev, mask, activation, recurrent_activation, zero_output):
    cache = creation.asarray(cache)
    dtype = cache.dtype
    dy, dhr, dh, dout, h_prev, mask = (_device(a, dtype) for a in (dy, dhr, dh, dout, h_prev, mask))
    batch, units = _sizes(h_prev)
    masked = mask is not None
    dx, dhz = memory.empty((batch, 3 * units), dtype), memory.empty((batch, 3 * units), dtype)
    dh_direct = memory.empty(h_prev.shape, dtype)
    dout_pass = memory.empty(h_prev.shape, dtype) if masked else None
    kernel = _kernel("gru_step_backward", dtype, activation, recurrent_activation, masked, zero_output)
    _run(kernel, batch, units, dy, launch.i32(t), *_optional(dhr, dy), *_optional(dh, dy), *_optional(dout, dy),
         cache, h_prev, mask if masked else dy, dx, dhz, dh_direct, dout_pass if masked else dh_direct)
    return dx, dhz, dh_direct, dout_pass

