"""Reverse-mode autodiff: recording ops on a tape and walking it backwards.

An op computed while a ``GradientTape`` is open, from at least one tracked
input (a trainable Variable, a watched tensor, or a tensor computed from
them), gets a ``Node`` holding its parents and one gradient function per
parent. ``GradientTape.gradient`` orders the nodes topologically and calls
each gradient function only for parents that need a gradient. Gradient
functions are written with ``kerasette.ops``, so one rule serves every
backend.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator, List, Optional, Sequence

from kerasette.ops._types import TensorLike
from kerasette.ops.autocast import get_autocast_scope, reenter
from kerasette.ops.tensor import Tensor, Variable

GradientFunction = Callable[[Tensor], Tensor]

class _Recording(threading.local):
    """How many tapes are open, per thread.

    A data-loading thread never starts or stops the training thread's recording.
    """

    recording = 0


_state = _Recording()


class Node:
    """How a tensor was computed: its parents and their gradient functions.

    Args:
        parents: the op's inputs, in order (Tensors and plain values).
        grad_fns: one function per parent mapping the output's gradient to that parent's gradient, or None
            for a parent that gets no gradient.
        scope: the ``AutocastScope`` the op ran in (a mixed-precision layer's call), or None; the backward
            pass runs the gradient functions in it again, so variables read as they did forward.
    """

    __slots__ = ("parents", "grad_fns", "scope")

    def __init__(self, parents: Sequence[Any], grad_fns: Sequence[Optional[GradientFunction]],
                 scope: Any = None) -> None:
        self.parents = parents
        self.grad_fns = grad_fns
        self.scope = scope


def is_recording() -> bool:
    """Whether a ``GradientTape`` is open (and ``stop_recording`` is not in effect).

    Returns:
        True while ops are being recorded.

    Example:
        >>> from kerasette import ops
        >>> with ops.GradientTape():
        ...     print(ops.is_recording())
        True
        >>> ops.is_recording()
        False
    """
    return _state.recording > 0


@contextlib.contextmanager
def stop_recording() -> Iterator[None]:
    """Run a block without recording ops (inference, optimizer updates), even inside a ``GradientTape``.

    Returns:
        A context manager; recording resumes as it was when the block ends.

    Example:
        >>> from kerasette import ops
        >>> with ops.GradientTape():
        ...     with ops.stop_recording():
        ...         print(ops.is_recording())
        False
    """
    saved = _state.recording
    _state.recording = 0
    try:
        yield
    finally:
        _state.recording = saved


def make_tensor(data: Any, parents: Sequence[Any], grad_fns: Sequence[Optional[GradientFunction]]) -> Tensor:
    """Wrap an op's result, recording it when a tape is open and an input is tracked.

    This is how a new differentiable op is written: compute ``data`` with the backend, then give one
    gradient function per input, written with ``kerasette.ops`` (None for inputs without a gradient).

    Args:
        data: the result, an array of the active backend.
        parents: the op's inputs.
        grad_fns: for each parent, a function from the output's gradient to that parent's gradient, or None.

    Returns:
        A Tensor wrapping ``data``, linked to its parents when recorded.
    """
    if _state.recording and any(isinstance(p, Tensor) and p.tracked for p in parents):
        return Tensor(data, Node(parents, grad_fns, get_autocast_scope()))
    return Tensor(data)


class GradientTape:
    """Records differentiable ops inside a ``with`` block, for ``gradient`` to walk backwards.

    Trainable ``Variable``s are tracked automatically; ``watch`` tracks any other tensor.

    Example:
        >>> from kerasette import ops
        >>> w = ops.Variable([1.0, 2.0], name="w")
        >>> with ops.GradientTape() as tape:
        ...     loss = ops.sum(ops.square(w))
        >>> (grad_w,) = tape.gradient(loss, [w])
        >>> grad_w.numpy().tolist()
        [2.0, 4.0]
    """

    def __enter__(self) -> GradientTape:
        _state.recording += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        _state.recording -= 1

    def watch(self, tensor: Tensor) -> None:
        """Track a tensor that is not a trainable variable, so gradients with respect to it can be taken.

        Args:
            tensor: the Tensor to track.
        """
        tensor.tracked = True

    def gradient(self, target: Tensor, sources: Any, output_gradient: Optional[TensorLike] = None) -> Any:
        """Gradients of ``target`` with respect to ``sources`` (None where unconnected), shaped like ``sources``.

        As TensorFlow's ``GradientTape.gradient``: one tensor gives one gradient, a list (or tuple, or dict,
        or any nest of them) gives the same structure of gradients.

        Args:
            target: the Tensor to differentiate, usually a scalar loss.
            sources: a tensor (variable or watched tensor), or a nest of them.
            output_gradient: the gradient flowing into ``target`` (default: ones shaped like it).

        Returns:
            The gradients in the structure of ``sources``; None for a source ``target`` does not depend on.
        """
        from kerasette import tree

        flat = tree.flatten(sources)
        return tree.pack_sequence_as(sources, gradient(target, flat, output_gradient))


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


def gradient(
    target: Tensor, sources: Sequence[Tensor], output_gradient: Optional[TensorLike] = None
) -> List[Optional[Tensor]]:
    """Reverse-mode gradients of ``target`` for each tensor in ``sources``.

    The tape's nodes are walked in reverse topological order; gradients reaching a tensor along several
    paths add up. A node recorded in a mixed-precision layer's call computes its gradients in that
    layer's autocast scope again; what reaches a Variable is cast to the Variable's own dtype (float32
    under ``"mixed_float16"``) before it is added up.

    Args:
        target: a Tensor computed on an open ``GradientTape``.
        sources: the tracked tensors to differentiate with respect to.
        output_gradient: the gradient flowing into ``target`` (default: ones shaped like it).

    Returns:
        A list with one gradient per source, None for a source ``target`` does not depend on.

    Example:
        >>> from kerasette import ops
        >>> x = ops.Variable(3.0, name="x")
        >>> with ops.GradientTape():
        ...     y = ops.multiply(x, x)
        >>> float(ops.gradient(y, [x])[0])
        6.0
    """
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
            node = tensor.node
            half = (node.scope is None or node.scope.dtype != "float16") and any(
                isinstance(p, Tensor) and p.dtype == "float16" for p in node.parents)
            with reenter(node.scope, half):  # float16 overflow is silent there: loss scaling handles it
                contributions = [(parent, fn(grad)) for parent, fn in zip(node.parents, node.grad_fns)
                                 if fn is not None and isinstance(parent, Tensor) and parent.tracked]
            for parent, contribution in contributions:
                if node.scope is not None and isinstance(parent, Variable) and contribution is not None \
                        and contribution.dtype != parent.dtype:
                    contribution = ops.cast(contribution, parent.dtype)  # float16 reads, float32 gradients
                previous = grads.get(id(parent))
                grads[id(parent)] = contribution if previous is None else ops.add(previous, contribution)
        return [grads.get(id(source)) for source in sources]
