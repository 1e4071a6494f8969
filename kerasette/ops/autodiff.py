"""Reverse-mode autodiff: recording ops on a tape and walking it backwards.

An op computed while a ``GradientTape`` is open, from at least one tracked
input (a trainable Variable, a watched tensor, or a tensor computed from
them), gets a ``Node`` holding its parents and one gradient function per
parent. ``GradientTape.gradient`` orders the nodes topologically and calls
each gradient function only for parents that need a gradient. Gradient
functions are written with ``kerasette.ops``, so one rule serves every
backend.
"""

import contextlib

from kerasette.ops.tensor import Tensor

_state = {"recording": 0}


class Node:
    """How a tensor was computed: its parents and their gradient functions."""

    __slots__ = ("parents", "grad_fns")

    def __init__(self, parents, grad_fns):
        self.parents = parents
        self.grad_fns = grad_fns


def is_recording():
    return _state["recording"] > 0


@contextlib.contextmanager
def stop_recording():
    """Run a block without recording ops (inference, optimizer updates)."""
    saved = _state["recording"]
    _state["recording"] = 0
    try:
        yield
    finally:
        _state["recording"] = saved


def make_tensor(data, parents, grad_fns):
    """Wrap an op's result, recording it when a tape is open and an input is tracked."""
    if _state["recording"] and any(isinstance(p, Tensor) and p.tracked for p in parents):
        return Tensor(data, Node(parents, grad_fns))
    return Tensor(data)


class GradientTape:
    """Records differentiable ops inside a ``with`` block.

    >>> with GradientTape() as tape:
    ...     loss = ops.sum(ops.square(w))
    >>> (grad_w,) = tape.gradient(loss, [w])
    """

    def __enter__(self):
        _state["recording"] += 1
        return self

    def __exit__(self, *exc):
        _state["recording"] -= 1

    def watch(self, tensor):
        """Track a tensor that is not a trainable variable."""
        tensor.tracked = True

    def gradient(self, target, sources, output_gradient=None):
        """Gradients of ``target`` with respect to each of ``sources`` (None where unconnected)."""
        return gradient(target, sources, output_gradient)


def _topological_order(target):
    order, seen = [], set()
    stack = [(target, False)]
    while stack:
        tensor, expanded = stack.pop()
        if expanded:
            order.append(tensor)
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        stack.append((tensor, True))
        if tensor.node is not None:
            for parent in tensor.node.parents:
                if isinstance(parent, Tensor) and parent.tracked and id(parent) not in seen:
                    stack.append((parent, False))
    return order


def gradient(target, sources, output_gradient=None):
    """Reverse-mode gradients of ``target`` for each tensor in ``sources``."""
    from kerasette import ops

    with stop_recording():
        if output_gradient is None:
            output_gradient = ops.ones_like(target)
        elif not isinstance(output_gradient, Tensor):
            output_gradient = ops.convert_to_tensor(output_gradient, dtype=target.dtype)
        grads = {id(target): output_gradient}
        for tensor in reversed(_topological_order(target)):
            grad = grads.get(id(tensor))
            if grad is None or tensor.node is None:
                continue
            for parent, fn in zip(tensor.node.parents, tensor.node.grad_fns):
                if fn is None or not isinstance(parent, Tensor) or not parent.tracked:
                    continue
                contribution = fn(grad)
                previous = grads.get(id(parent))
                grads[id(parent)] = contribution if previous is None else ops.add(previous, contribution)
        return [grads.get(id(source)) for source in sources]
