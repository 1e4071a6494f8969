"""Fused optimizer updates (Adam, RMSprop): one kernel each, in place on the variable and slot buffers.

The float operations and their order are those of the numpy reference; the Python float hyperparameters
are rounded to the variable's dtype first, as numpy does with a Python scalar and a float32 array.
"""

from kerasette.backends.opencl import creation, launch, runtime
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["adam_update", "rmsprop_update"]

_FILE = "updates.cl"
_LOCAL = 64
_cache = {"runtime": None, "kernels": {}}


def _kernel(name, dtype):
    """The kernel ``name`` for variables of ``dtype``, looked up once per runtime (building defines is slow)."""
    rt = runtime.get()
    if _cache["runtime"] is not rt:
        _cache["runtime"], _cache["kernels"] = rt, {}
    found = _cache["kernels"].get((name, dtype))
    if found is None:
        found = _cache["kernels"][(name, dtype)] = launch.kernel(_FILE, name, T=cl_type(dtype))
    return found


def _gradient(variable, gradient):
    """``gradient`` on the device in the variable's dtype, and its step (0 when one value is broadcast)."""
    gradient = creation.asarray(gradient)
    if gradient.dtype != variable.dtype:
        gradient = creation.cast(gradient, variable.dtype)
    if gradient.shape == variable.shape:
        return gradient, 1
    if gradient.size == 1:
        return gradient, 0
    raise ValueError(f"The gradient's shape {gradient.shape} does not match the variable's {variable.shape}.")


def _check_slots(variable, slots):
    for slot in slots:
        if not isinstance(slot, DeviceArray) or slot.shape != variable.shape or slot.dtype != variable.dtype:
            raise ValueError(f"Optimizer slots must be device arrays of the variable's shape {variable.shape} and "
                             f"dtype {variable.dtype.name}; received {slot!r}.")


def adam_update(variable, gradient, momentum, velocity, alpha, beta_1, beta_2, epsilon):
    _check_slots(variable, (variable, momentum, velocity))
    gradient, step = _gradient(variable, gradient)
    t = variable.dtype
    kernel = _kernel("adam", t)
    launch.run(kernel, variable.size, _LOCAL, variable, gradient, momentum, velocity, launch.scalar(alpha, t),
               launch.scalar(1.0 - beta_1, t), launch.scalar(1.0 - beta_2, t), launch.scalar(epsilon, t),
               launch.i64(step), launch.i64(variable.size))
    return variable


def rmsprop_update(variable, gradient, velocity, learning_rate, rho, epsilon):
    _check_slots(variable, (variable, velocity))
    gradient, step = _gradient(variable, gradient)
    t = variable.dtype
    kernel = _kernel("rmsprop", t)
    launch.run(kernel, variable.size, _LOCAL, variable, gradient, velocity, launch.scalar(learning_rate, t),
               launch.scalar(rho, t), launch.scalar(1.0 - rho, t), launch.scalar(epsilon, t), launch.i64(step),
               launch.i64(variable.size))
    return variable

