"""Control flow of ``keras.ops`` as eager Python loops and branches.

cond, switch, while_loop, fori_loop, scan, map, associative_scan, vectorized_map, vectorize. kerasette
runs eagerly, so these loop and branch over ops (each step recorded on the tape like any other op, so
gradients flow through them). Structures of tensors may be tensors, or tuples, lists and dicts of them.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from kerasette.ops._promote import tensor
from kerasette.ops.shapes import broadcast_to, reshape, stack


def _flatten(structure):
    """(leaves, rebuild): the tensors of a nested tuple/list/dict and a function that rebuilds it."""
    if isinstance(structure, (tuple, list)):
        parts = [_flatten(item) for item in structure]
        leaves = [leaf for part in parts for leaf in part[0]]

        def rebuild(values, kind=type(structure)):
            out, at = [], 0
            for part_leaves, part_rebuild in parts:
                out.append(part_rebuild(values[at:at + len(part_leaves)]))
                at += len(part_leaves)
            return kind(out)

        return leaves, rebuild
    if isinstance(structure, dict):
        keys = list(structure)
        leaves, rebuild_list = _flatten([structure[k] for k in keys])
        return leaves, lambda values: dict(zip(keys, rebuild_list(values)))
    if structure is None:
        return [], lambda values: None
    return [structure], lambda values: values[0]


def _length(leaves, op):
    lengths = {tensor(leaf).shape[0] for leaf in leaves}
    if len(lengths) != 1:
        raise ValueError(f"`{op}`: every tensor must have the same leading length. Received lengths {lengths}.")
    return lengths.pop()


def _stack_results(results):
    if not results:
        return None
    leaves0, rebuild = _flatten(results[0])
    columns = [[_flatten(r)[0][k] for r in results] for k in range(len(leaves0))]
    return rebuild([stack([tensor(v) for v in column]) for column in columns])


def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``true_fn()`` if ``pred`` holds, else ``false_fn()``.

    Args:
        pred: a boolean scalar (tensor or Python bool).
        true_fn: called without arguments when ``pred`` is true.
        false_fn: called without arguments otherwise.

    Returns:
        The result of the branch taken.

    Example:
        >>> from kerasette import ops
        >>> ops.cond(ops.convert_to_tensor(2.0) > 1.0, lambda: "big", lambda: "small")
        'big'
    """
    return true_fn() if bool(pred) else false_fn()


def switch(index: Any, branches: Sequence[Callable[..., Any]], *operands: Any) -> Any:
    """``branches[index](*operands)``, with ``index`` clipped into range (as Keras).

    Args:
        index: an integer scalar.
        branches: the functions to choose from.
        *operands: the arguments passed to the chosen branch.

    Returns:
        The chosen branch's result.

    Example:
        >>> from kerasette import ops
        >>> ops.switch(5, [lambda x: x + 1, lambda x: x * 10], 3)
        30
    """
    k = int(np.clip(int(index), 0, len(branches) - 1))
    return branches[k](*operands)


def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               maximum_iterations: Optional[int] = None) -> Any:
    """Apply ``body`` to ``loop_vars`` while ``cond(*loop_vars)`` holds (at most ``maximum_iterations`` times).

    Args:
        cond: a function of the loop variables returning a boolean scalar.
        body: a function of the loop variables returning their new values.
        loop_vars: a tensor, or a tuple / list of them.
        maximum_iterations: the most iterations (None: no limit).

    Returns:
        The final loop variables, in the structure given.

    Example:
        >>> from kerasette import ops
        >>> ops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (0, 0))
        (4, 6)
    """
    sequence = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if sequence else (loop_vars,)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*values)):
        values = body(*values)
        values = tuple(values) if isinstance(values, (tuple, list)) else (values,)
        count += 1
    return (type(loop_vars)(values) if sequence else values[0])


def fori_loop(lower: int, upper: int, body_fun: Callable[[int, Any], Any], init_val: Any) -> Any:
    """``val = body_fun(i, val)`` for ``i`` from ``lower`` to ``upper - 1``.

    Args:
        lower: the first index.
        upper: the end (excluded).
        body_fun: a function of the index and the value returning the new value.
        init_val: the initial value.

    Returns:
        The final value.

    Example:
        >>> from kerasette import ops
        >>> ops.fori_loop(0, 5, lambda i, total: total + i, 0)
        10
    """
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def scan(f: Callable[[Any, Any], Any], init: Any, xs: Any = None, length: Optional[int] = None,
         reverse: bool = False, unroll: int = 1) -> Any:
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``, stacking the ``y``.

    Args:
        f: a function of the carry and one slice of ``xs`` returning ``(new carry, y)``.
        init: the initial carry.
        xs: tensors (or a structure of them) scanned along axis 0; None: ``length`` steps with ``x=None``.
        length: the number of steps (None: the leading length of ``xs``).
        reverse: scan from the end (the stacked ``y`` keep ``xs``'s order).
        unroll: accepted for Keras compatibility (an eager loop has nothing to unroll).

    Returns:
        ``(final carry, stacked ys)``.

    Raises:
        ValueError: without ``xs`` and ``length``, or when they disagree.

    Example:
        >>> from kerasette import ops
        >>> carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, ops.convert_to_tensor([1.0, 2.0, 3.0]))
        >>> float(carry), ys.numpy().tolist()
        (6.0, [0.0, 2.0, 9.0])
    """
    leaves, rebuild = _flatten(xs)
    if leaves:
        n = _length(leaves, "scan")
        if length is not None and int(length) != n:
            raise ValueError(f"`scan`: length={length} does not match the leading length {n} of `xs`.")
    elif length is None:
        raise ValueError("`scan` needs `xs` or `length`.")
    else:
        n = int(length)
    carry, ys = init, []
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = rebuild([tensor(leaf)[i] for leaf in leaves]) if leaves else None
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    return carry, _stack_results(ys)


def map(f: Callable[[Any], Any], xs: Any) -> Any:  # noqa: A001
    """``f`` applied to each slice of ``xs`` along its leading axis, the results stacked.

    Args:
        f: a function of one slice (or structure of slices).
        xs: a tensor or a structure of tensors with one leading length.

    Returns:
        The stacked results, in ``f``'s output structure.

    Example:
        >>> from kerasette import ops
        >>> ops.map(lambda row: ops.sum(row), ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])).numpy().tolist()
        [3.0, 7.0]
    """
    leaves, rebuild = _flatten(xs)
    n = _length(leaves, "map")
    return _stack_results([f(rebuild([tensor(leaf)[i] for leaf in leaves])) for i in range(n)])


def vectorized_map(function: Callable[[Any], Any], elements: Any) -> Any:
    """``function`` applied to each slice of ``elements`` along axis 0, results stacked (a loop here).

    Args:
        function: a function of one slice (or structure of slices).
        elements: a tensor or a structure of tensors with one leading length.

    Returns:
        The stacked results.

    Example:
        >>> from kerasette import ops
        >>> ops.vectorized_map(lambda v: v * 2.0, ops.convert_to_tensor([1.0, 2.0])).numpy().tolist()
        [2.0, 4.0]
    """
    return map(function, elements)


def associative_scan(f: Callable[[Any, Any], Any], elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """Inclusive scan with an associative ``f``: ``out[i] = f(out[i - 1], elems[i])`` along ``axis``.

    Computed sequentially (associativity makes that equal to the parallel form).

    Args:
        f: an associative function of two slices (or structures of slices).
        elems: a tensor or a structure of tensors with one length along ``axis``.
        reverse: scan from the end.
        axis: the axis scanned.

    Returns:
        The scanned tensors, in ``elems``'s structure.

    Example:
        >>> from kerasette import ops
        >>> ops.associative_scan(ops.add, ops.convert_to_tensor([1.0, 2.0, 3.0])).numpy().tolist()
        [1.0, 3.0, 6.0]
    """
    from kerasette.ops.manipulation import moveaxis

    leaves, rebuild = _flatten(elems)
    leaves = [moveaxis(tensor(leaf), axis, 0) for leaf in leaves]
    n = _length(leaves, "associative_scan")
    order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
    outputs = [None] * n
    carry = None
    for i in order:
        x = rebuild([leaf[i] for leaf in leaves])
        carry = x if carry is None else f(carry, x)
        outputs[i] = carry
    stacked_leaves, rebuild_out = _flatten(_stack_results(outputs))
    return rebuild_out([moveaxis(leaf, 0, axis) for leaf in stacked_leaves])


def _core_dims(signature):
    inputs, _, outputs = signature.replace(" ", "").partition("->")

    def parse(text):
        return [tuple(d for d in group.split(",") if d) for group in text[1:-1].split("),(")] if text else []

    return parse(inputs), parse(outputs)


def vectorize(pyfunc: Callable[..., Any], *, excluded: Optional[Any] = None,
              signature: Optional[str] = None) -> Callable[..., Any]:
    """A function that maps ``pyfunc`` over the broadcast leading axes of its arguments (``np.vectorize``).

    Without ``signature`` ``pyfunc`` sees scalars; with a gufunc signature such as ``"(n),(n)->()"`` it sees
    the trailing core axes. The loop runs in Python over ops, so it is for small batches.

    Args:
        pyfunc: the function to map.
        excluded: positions or names of arguments passed through unchanged.
        signature: a generalized-ufunc signature (one output).

    Returns:
        The vectorized function.

    Example:
        >>> from kerasette import ops
        >>> dot = ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)->()")
        >>> dot(ops.ones((3, 2)), ops.ones((2,))).numpy().tolist()
        [2.0, 2.0, 2.0]
    """
    excluded = set(excluded or ())
    core_in, _ = _core_dims(signature) if signature else (None, None)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = {i: tensor(args[i]) for i in positions}
        cores = {i: (len(core_in[k]) if core_in else 0) for k, i in enumerate(positions)}
        batch = np.broadcast_shapes(*[t.shape[:t.ndim - cores[i]] for i, t in tensors.items()])
        spread = {i: broadcast_to(t, batch + t.shape[t.ndim - cores[i]:]) for i, t in tensors.items()}
        results = []
        for index in np.ndindex(*batch):
            call = list(args)
            for i, t in spread.items():
                call[i] = t[index] if index else t
            results.append(tensor(pyfunc(*call, **kwargs)))
        if not batch:
            return results[0]
        out = stack(results)
        return reshape(out, batch + out.shape[1:])

    return wrapper

