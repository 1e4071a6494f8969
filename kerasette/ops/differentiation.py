"""Differentiation helpers of ``keras.ops``: custom_gradient and jvp.

custom_gradient records a user-written gradient rule on the tape; jvp computes forward-mode products
exactly from reverse-mode passes.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence, Tuple

import numpy as np

from kerasette.ops._helpers import _data, convert_to_tensor
from kerasette.ops._promote import tensor
from kerasette.ops.autodiff import GradientTape, make_tensor, stop_recording
from kerasette.ops.tensor import Tensor


def custom_gradient(f: Callable[..., Any]) -> Callable[..., Tensor]:
    """Decorate ``f`` so that the tape uses the gradient rule ``f`` returns instead of differentiating it.

    ``f(*args)`` returns ``(output, grad_fn)``; ``grad_fn(upstream)`` returns the gradient of each tensor
    argument (one tensor, or a tuple with one entry per argument; None for an argument without one). The
    forward computation inside ``f`` is not recorded.

    Args:
        f: the function to decorate.

    Returns:
        The decorated function, returning ``output`` recorded as one op.

    Example:
        >>> from kerasette import ops
        >>> @ops.custom_gradient
        ... def clip_gradient(x):
        ...     def grad(upstream):
        ...         return ops.clip(upstream, -1.0, 1.0)
        ...     return x * 1.0, grad
        >>> x = ops.convert_to_tensor([5.0])
        >>> with ops.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = ops.sum(clip_gradient(x) * 10.0)
        >>> tape.gradient(y, [x])[0].numpy().tolist()
        [1.0]
    """

    @functools.wraps(f)
    def wrapper(*args: Any) -> Tensor:
        with stop_recording():
            output, grad_fn = f(*args)
        output = tensor(output)
        cache = {}

        def grads(g):
            if cache.get("g") is not g:
                result = grad_fn(g)
                result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
                if len(result) != len(args):
                    raise ValueError(f"The gradient function of `{f.__name__}` returned {len(result)} gradients for "
                                     f"{len(args)} arguments.")
                cache.update(g=g, value=result)
            return cache["value"]

        def part(k):
            def rule(g):
                value = grads(g)[k]
                return None if value is None else tensor(value)

            return rule

        return make_tensor(_data(output), args, [part(k) for k in range(len(args))])

    return wrapper


def jvp(fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any],
        has_aux: bool = False) -> Tuple[Any, ...]:
    """The value of ``fun(*primals)`` and its directional derivative along ``tangents`` (forward mode).

    kerasette's tape is reverse-mode, so ``J @ t`` is computed exactly, one reverse pass per element of the
    output: for element ``k``, the gradient of ``output[k]`` dotted with the tangents. The cost grows with
    the output's size; it suits small outputs (losses, a few features).

    Args:
        fun: a function of tensors returning one tensor (or ``(tensor, aux)`` with ``has_aux``).
        primals: the point, one tensor per argument.
        tangents: the direction, one tensor per argument (shaped like it).
        has_aux: whether ``fun`` returns auxiliary data after its output.

    Returns:
        ``(output, jvp)``, or ``(output, jvp, aux)`` with ``has_aux``.

    Raises:
        ValueError: when primals and tangents differ in number or shapes.

    Example:
        >>> from kerasette import ops
        >>> out, slope = ops.jvp(lambda x: x * x, (ops.convert_to_tensor([3.0]),), (ops.convert_to_tensor([1.0]),))
        >>> out.numpy().tolist(), slope.numpy().tolist()
        ([9.0], [6.0])
    """
    primals = [tensor(p) for p in primals]
    tangents = [tensor(t) for t in tangents]
    if len(primals) != len(tangents) or any(p.shape != t.shape for p, t in zip(primals, tangents)):
        raise ValueError("`jvp` needs one tangent per primal, of the same shape. Received shapes "
                         f"{[p.shape for p in primals]} and {[t.shape for t in tangents]}.")
    watched = [Tensor(_data(p)) for p in primals]
    with GradientTape() as tape:
        for w in watched:
            tape.watch(w)
        result = fun(*watched)
    output, aux = (result[0], result[1]) if has_aux else (result, None)
    output = tensor(output)
    flat = np.zeros(output.shape).reshape(-1)
    directional = np.zeros(flat.size, dtype=np.float64)
    host_tangents = [np.asarray(t.numpy(), dtype=np.float64) for t in tangents]
    for k in range(flat.size):
        basis = np.zeros(flat.size)
        basis[k] = 1.0
        grads = tape.gradient(output, watched, output_gradient=basis.reshape(output.shape))
        directional[k] = sum(float(np.sum(g.numpy() * t)) for g, t in zip(grads, host_tangents) if g is not None)
    jvp_value = convert_to_tensor(directional.reshape(output.shape).astype(output.dtype))
    with stop_recording():
        output = Tensor(_data(output))
    return (output, jvp_value, aux) if has_aux else (output, jvp_value)
