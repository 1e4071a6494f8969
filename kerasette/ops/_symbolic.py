"""Ops on symbolic tensors record graph nodes, as in Keras 3.

In a functional model, ``ops.relu(x)`` or ``x + y`` on ``keras.Input`` tensors record a node (an ``OpLayer``)
instead of computing.

Every public op is wrapped once, in ``ops/__init__.py``; the wrapper costs one attribute lookup per argument
when no argument is symbolic.
"""

import functools

import numpy as np

# Ops that do not describe a computation on tensors, or that take Python callables (which a config cannot hold).
NOT_RECORDED = frozenset({
    "convert_to_tensor", "convert_to_numpy", "is_tensor", "shape", "dtype", "GradientTape", "gradient",
    "stop_recording", "is_recording", "make_tensor", "custom_gradient", "cond", "while_loop", "fori_loop", "scan",
    "switch", "map", "vectorized_map", "associative_scan", "vectorize", "jvp", "Tensor", "Variable",
    "SeedGenerator", "floatx", "slice_update", "scatter_update",
})


# Types whose values are never symbolic: checked by type first, since this runs on every op call. Eager
# tensor types are added by ``never_symbolic`` where they are defined.
_PLAIN_TYPES = {int, float, bool, str, bytes, type(None), np.ndarray, np.float32, np.float64, np.int64, np.int32}


def never_symbolic(cls):
    """Declare that instances of exactly ``cls`` are never symbolic (the op wrapper then skips them quickly).

    Args:
        cls: a class, such as the eager ``Tensor``.

    Returns:
        ``cls``, so it can decorate the class.
    """
    _PLAIN_TYPES.add(cls)
    return cls


def _symbolic(value):
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return False
    if kind is list or kind is tuple:
        for item in value:  # a loop, not a generator: shapes and strides are passed as tuples on every call
            if type(item) not in _PLAIN_TYPES and _symbolic(item):
                return True
        return False
    return bool(getattr(value, "_symbolic", False))


def has_symbolic(args, kwargs):
    """Whether an argument (or an item of a list or tuple argument) is a symbolic tensor."""
    for a in args:
        if type(a) not in _PLAIN_TYPES and _symbolic(a):
            return True
    if kwargs:
        for v in kwargs.values():
            if type(v) not in _PLAIN_TYPES and _symbolic(v):
                return True
    return False


def symbolic_aware(name, fn):
    """``fn``, recording an ``OpLayer`` node when called on symbolic tensors.

    Args:
        name: the op's name in ``kerasette.ops`` (``"image.resize"`` for image ops).
        fn: the op.
    """

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if has_symbolic(args, kwargs):
            from kerasette.layers.op_layer import record_op

            return record_op(name, fn, args, kwargs)
        return fn(*args, **kwargs)

    return op


def refusing_symbolic(name, fn):
    """``fn``, with a clear error when called on symbolic tensors (ops that take Python callables)."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if has_symbolic(args, kwargs):
            raise ValueError(f"`ops.{name}` cannot be recorded in a functional model: it takes Python code, which a "
                             "model config cannot hold. Use it inside a layer's `call` (a subclassed layer) instead.")
        return fn(*args, **kwargs)

    return op


def symbolic_shape(fn):
    """``ops.shape``: the shape tuple of a symbolic tensor (None for unknown sizes), as Keras gives it."""

    @functools.wraps(fn)
    def shape(x):
        return tuple(x.shape) if getattr(x, "_symbolic", False) else fn(x)

    return shape


def wrap_namespace(namespace, names, prefix=""):
    """Replace each function ``names`` lists in ``namespace`` (a module's globals or a module) by its wrapper."""
    get = namespace.get if isinstance(namespace, dict) else functools.partial(getattr, namespace)
    put = namespace.__setitem__ if isinstance(namespace, dict) else functools.partial(setattr, namespace)
    for name in names:
        fn = get(name, None)
        if not callable(fn) or isinstance(fn, type) or getattr(fn, "_symbolic_wrapped", False):
            continue
        if name == "shape":
            wrapped = symbolic_shape(fn)
        elif name in NOT_RECORDED:
            wrapped = refusing_symbolic(prefix + name, fn) if name in ("cond", "while_loop", "fori_loop", "scan",
                                                                       "switch", "map", "vectorized_map",
                                                                       "associative_scan", "custom_gradient",
                                                                       "vectorize") else fn
        else:
            wrapped = symbolic_aware(prefix + name, fn)
        wrapped._symbolic_wrapped = True
        put(name, wrapped)
