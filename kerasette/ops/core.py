"""Differentiable elementwise, reduction, shape and linear-algebra ops.

Each op calls one backend primitive forward and records gradient functions
written with these same ops. Names and signatures follow ``keras.ops``.
"""

import builtins

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.tensor import Tensor

_PY_SCALARS = (int, float, bool, np.number, np.bool_)


def floatx():
    return "float32"


def convert_to_tensor(x, dtype=None):
    """Return ``x`` as a Tensor on the active backend (Tensors pass through)."""
    if isinstance(x, Tensor):
        return x if dtype is None or x.dtype == dtype else cast(x, dtype)
    if dtype is None:
        array = np.asarray(x)
        if array.dtype == np.float64 and not isinstance(x, np.ndarray):
            dtype = floatx()  # Python floats and lists become float32, as in Keras
    return Tensor(_backend().asarray(x, dtype=dtype))


def convert_to_numpy(x):
    return x.numpy() if isinstance(x, Tensor) else np.asarray(x)


def _data(x):
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (np.generic,)):
        return x.item()  # numpy scalars would promote float32 arrays to float64
    if isinstance(x, _PY_SCALARS):
        return x
    return convert_to_tensor(x).data


def _shape(x):
    return x.shape if isinstance(x, Tensor) else np.shape(x)


def _unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched to reach ``shape``."""
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    if axes:
        grad = sum(grad, axis=axes, keepdims=True)
    return reshape(grad, shape)


def _binary(primitive, a, b, grad_a, grad_b):
    out = getattr(_backend(), primitive)(_data(a), _data(b))
    fns = [
        (lambda g: _unbroadcast(grad_a(g), _shape(a))) if grad_a else None,
        (lambda g: _unbroadcast(grad_b(g), _shape(b))) if grad_b else None,
    ]
    return make_tensor(out, (a, b), fns)


def _unary(primitive, x, grad_fn, *args):
    return make_tensor(getattr(_backend(), primitive)(_data(x), *args), (x,), [grad_fn])


def _unary_using_output(primitive, x, grad_fn, *args):
    """``_unary`` for rules written with the op's output: ``grad_fn(g, y)`` gets the output as an untracked
    Tensor. Capturing the output Tensor itself would make it reach itself through its own node, a
    reference cycle that keeps every step's graph alive until the garbage collector runs."""
    data = getattr(_backend(), primitive)(_data(x), *args)
    y = Tensor(data)
    return make_tensor(data, (x,), [lambda g: grad_fn(g, y)])


# ----- elementwise, binary -------------------------------------------------
def add(a, b):
    return _binary("add", a, b, lambda g: g, lambda g: g)


def subtract(a, b):
    return _binary("subtract", a, b, lambda g: g, negative)


def multiply(a, b):
    return _binary("multiply", a, b, lambda g: multiply(g, b), lambda g: multiply(g, a))


def divide(a, b):
    return _binary(
        "divide", a, b, lambda g: divide(g, b), lambda g: negative(divide(multiply(g, a), square(b)))
    )


true_divide = divide


def power(a, b):
    def grad_b(g):
        log_a = log(a) if isinstance(a, Tensor) else float(np.log(a))  # a Python float stays weak
        return multiply(g, multiply(power(a, b), log_a))

    def grad_a(g):
        b_minus_1 = b - 1 if isinstance(b, _PY_SCALARS) else subtract(b, 1)
        return multiply(g, multiply(b, power(a, b_minus_1)))

    return _binary("power", a, b, grad_a, grad_b)


def _select(g, condition):
    """``g`` where ``condition`` holds, else 0 (used in gradients, never recorded)."""
    return Tensor(_backend().where(_data(condition), g.data, 0.0))


def maximum(a, b):
    return _binary(
        "maximum", a, b, lambda g: _select(g, greater_equal(a, b)), lambda g: _select(g, less(a, b))
    )


def minimum(a, b):
    return _binary(
        "minimum", a, b, lambda g: _select(g, less_equal(a, b)), lambda g: _select(g, greater(a, b))
    )


def _comparison(primitive):
    def op(a, b):
        return Tensor(getattr(_backend(), primitive)(_data(a), _data(b)))

    op.__name__ = primitive
    op.__doc__ = f"Elementwise {primitive} (not differentiable)."
    return op


equal = _comparison("equal")
not_equal = _comparison("not_equal")
greater = _comparison("greater")
greater_equal = _comparison("greater_equal")
less = _comparison("less")
less_equal = _comparison("less_equal")
logical_and = _comparison("logical_and")


def where(condition, x1, x2):
    out = _backend().where(_data(condition), _data(x1), _data(x2))
    fns = [
        None,
        lambda g: _unbroadcast(_select(g, condition), _shape(x1)),
        lambda g: _unbroadcast(_select(g, logical_not(condition)), _shape(x2)),
    ]
    return make_tensor(out, (condition, x1, x2), fns)


def logical_not(x):
    return equal(x, False)


# ----- elementwise, unary --------------------------------------------------
def negative(x):
    return _unary("negative", x, negative)


def abs(x):  # noqa: A001
    return _unary("abs", x, lambda g: multiply(g, sign(x)))


def sign(x):
    return Tensor(_backend().sign(_data(x)))


def square(x):
    return _unary("square", x, lambda g: multiply(g, multiply(x, 2.0)))


def sqrt(x):
    return _unary_using_output("sqrt", x, lambda g, y: divide(g, multiply(y, 2.0)))


def exp(x):
    return _unary_using_output("exp", x, lambda g, y: multiply(g, y))


def log(x):
    return _unary("log", x, lambda g: divide(g, x))


def log1p(x):
    return _unary("log1p", x, lambda g: divide(g, add(x, 1.0)))


def tanh(x):
    return _unary_using_output("tanh", x, lambda g, y: multiply(g, subtract(1.0, square(y))))


def sigmoid(x):
    out = _unary_using_output("sigmoid", x, lambda g, y: multiply(g, multiply(y, subtract(1.0, y))))
    out.logits, out.logits_from = x, "sigmoid"
    return out


def erf(x):
    return _unary("erf", x, lambda g: multiply(g, multiply(exp(negative(square(x))), 2.0 / np.sqrt(np.pi))))


def clip(x, x_min, x_max):
    def grad(g):
        return _select(g, logical_and(greater_equal(x, x_min), less_equal(x, x_max)))

    return _unary("clip", x, grad, _data(x_min), _data(x_max))


def isfinite(x):
    return Tensor(_backend().isfinite(_data(x)))


def stop_gradient(x):
    return Tensor(_data(x))


def cast(x, dtype):
    x_dtype = x.dtype if isinstance(x, Tensor) else np.asarray(x).dtype.name

    def grad(g):
        return cast(g, x_dtype)

    floating = np.issubdtype(np.dtype(x_dtype), np.floating) and np.issubdtype(np.dtype(dtype), np.floating)
    return make_tensor(_backend().cast(_data(x), dtype), (x,), [grad if floating else None])


# ----- reductions ----------------------------------------------------------
def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axis = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(int(a) % ndim for a in axis)


def _keep_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def sum(x, axis=None, keepdims=False):  # noqa: A001
    shape = _shape(x)

    def grad(g):
        return broadcast_to(reshape(g, _keep_shape(shape, _axes(axis, len(shape)))), shape)

    return _unary("sum", x, grad, None if axis is None else _axes(axis, len(shape)), keepdims)


def mean(x, axis=None, keepdims=False):
    shape = _shape(x)
    axes = _axes(axis, len(shape))
    count = int(np.prod([shape[a] for a in axes])) if axes else 1

    def grad(g):
        return broadcast_to(reshape(divide(g, float(count)), _keep_shape(shape, axes)), shape)

    return _unary("mean", x, grad, None if axis is None else axes, keepdims)


def _extremum(primitive, x, axis, keepdims):
    shape = _shape(x)
    axes = _axes(axis, len(shape))

    def grad(g, y):
        kept = reshape(y, _keep_shape(shape, axes))
        hits = cast(equal(x, kept), g.dtype)
        share = divide(hits, sum(hits, axis=axes, keepdims=True))  # ties split the gradient
        return multiply(share, reshape(g, _keep_shape(shape, axes)))

    return _unary_using_output(primitive, x, grad, None if axis is None else axes, keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return _extremum("max", x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return _extremum("min", x, axis, keepdims)


def argmax(x, axis=-1):
    return Tensor(_backend().argmax(_data(x), axis))


def var(x, axis=None, keepdims=False):
    centered = subtract(x, mean(x, axis=axis, keepdims=True))
    return mean(square(centered), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return sqrt(var(x, axis=axis, keepdims=keepdims))


# ----- shape ---------------------------------------------------------------
def shape(x):
    return _shape(x)


def reshape(x, new_shape):
    old = _shape(x)
    new_shape = tuple(int(s) for s in (new_shape if isinstance(new_shape, (tuple, list)) else (new_shape,)))
    if tuple(old) == new_shape and isinstance(x, Tensor):
        return x
    return _unary("reshape", x, lambda g: reshape(g, old), new_shape)


def transpose(x, axes=None):
    ndim = len(_shape(x))
    axes = tuple(reversed(range(ndim))) if axes is None else tuple(a % ndim for a in axes)
    inverse = tuple(int(i) for i in np.argsort(axes))
    return _unary("transpose", x, lambda g: transpose(g, inverse), axes)


def broadcast_to(x, new_shape):
    old = _shape(x)
    return _unary("broadcast_to", x, lambda g: _unbroadcast(g, old), tuple(new_shape))


def expand_dims(x, axis):
    old = list(_shape(x))
    axis = axis % (len(old) + 1)
    return reshape(x, old[:axis] + [1] + old[axis:])


def squeeze(x, axis=None):
    old = _shape(x)
    axes = [i for i, s in enumerate(old) if s == 1] if axis is None else _axes(axis, len(old))
    for a in axes:
        if old[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a} of a tensor of shape {tuple(old)}: its size is not 1.")
    return reshape(x, [s for i, s in enumerate(old) if i not in axes])


def concatenate(xs, axis=0):
    xs = list(xs)
    ndim = len(_shape(xs[0]))
    axis = axis % ndim
    bounds = np.cumsum([0] + [_shape(x)[axis] for x in xs])

    def part(k):
        def grad(g):
            starts = [0] * ndim
            stops = list(g.shape)
            starts[axis], stops[axis] = int(bounds[k]), int(bounds[k + 1])
            return slice(g, starts, stops)

        return grad

    out = _backend().concatenate([_data(x) for x in xs], axis)
    return make_tensor(out, tuple(xs), [part(k) for k in range(len(xs))])


def stack(xs, axis=0):
    return concatenate([expand_dims(x, axis) for x in xs], axis=axis)


def slice(x, start_indices, stop_indices):  # noqa: A001
    """``x[start:stop]`` along every axis (Keras's ``ops.slice`` takes start and shape)."""
    full = _shape(x)
    starts, stops = [int(s) for s in start_indices], [int(s) for s in stop_indices]

    def grad(g):
        return pad(g, [(a, n - b) for a, b, n in zip(starts, stops, full)])

    return _unary("slice", x, grad, starts, stops)


def getitem(x, key):
    """Basic indexing: ints, unit-step slices, ``...`` and ``None`` (a new axis of size 1)."""
    key = key if isinstance(key, tuple) else (key,)
    full = _shape(x)
    indexing = [k for k in key if k is not None and k is not Ellipsis]
    if len(indexing) > len(full):
        raise IndexError(f"Too many indices for a tensor of shape {tuple(full)}: {key!r}.")
    if builtins.sum(k is Ellipsis for k in key) > 1:
        raise IndexError("An index can only have a single ellipsis ('...').")
    at = key.index(Ellipsis) if Ellipsis in key else len(key)  # unnamed axes go where ... is, else last
    key = key[:at] + (builtins.slice(None),) * (len(full) - len(indexing)) + key[at + 1 :]
    starts, stops, out_shape, axis = [], [], [], 0
    for k in key:
        if k is None:
            out_shape.append(1)
            continue
        n = full[axis]
        axis += 1
        if isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            if not -n <= k < n:
                raise IndexError(f"Index {int(k)} is out of bounds for axis {axis - 1} with size {n}.")
            k = int(k) % n
            starts.append(k), stops.append(k + 1)
        elif isinstance(k, builtins.slice) and k.step in (None, 1):
            a, b, _ = k.indices(n)
            b = builtins.max(a, b)
            starts.append(a), stops.append(b), out_shape.append(b - a)
        else:
            raise TypeError(f"Unsupported index {k!r}: use ints, unit-step slices, ... and None.")
    return reshape(slice(x, starts, stops), out_shape)


def take(x, indices, axis=None):
    """The entries of ``x`` at integer ``indices`` along ``axis`` (None: of the flattened ``x``), as ``np.take``.

    Negative indices count from the end; indices outside [-n, n) raise IndexError. The gradient with
    respect to ``x`` sums the incoming gradient into each taken position (repeated indices add up);
    ``indices`` get no gradient.
    """
    if axis is None:
        return take(reshape(x, (int(np.prod(_shape(x))),)), indices, 0)
    shape = tuple(_shape(x))
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"`take`: axis {axis} is out of range for a tensor of shape {shape}.")
    axis = int(axis) % len(shape)
    index_data = _data(indices)
    kind = indices.dtype if isinstance(indices, Tensor) else _backend().dtype(index_data)
    if not kind.startswith(("int", "uint")):
        raise TypeError(f"`take` needs integer indices. Received indices of dtype {kind}.")
    B = _backend()

    def grad(g):
        return Tensor(B.scatter_add(shape, index_data, g.data, axis))

    return make_tensor(B.take(_data(x), index_data, axis), (x, indices), [grad, None])


def pad(x, pad_width, constant_values=0):
    """Constant padding; ``pad_width`` is ((before, after), ...) per axis, or one pair or int for all."""
    full = _shape(x)
    pad_width = [tuple(int(v) for v in p) for p in np.broadcast_to(np.asarray(pad_width), (len(full), 2))]

    def grad(g):
        return slice(g, [p[0] for p in pad_width], [p[0] + n for p, n in zip(pad_width, full)])

    return _unary("pad", x, grad, pad_width, constant_values)


def flatten_batch(x):
    """Reshape (batch, ...) to (batch, features)."""
    s = _shape(x)
    return reshape(x, (s[0], int(np.prod(s[1:]))))


# ----- creation ------------------------------------------------------------
def zeros(shape, dtype="float32"):
    return Tensor(_backend().zeros(tuple(shape), dtype))


def ones(shape, dtype="float32"):
    return Tensor(_backend().ones(tuple(shape), dtype))


def full(shape, fill_value, dtype="float32"):
    return Tensor(_backend().full(tuple(shape), fill_value, dtype))


def zeros_like(x, dtype=None):
    return zeros(_shape(x), dtype or convert_to_tensor(x).dtype)


def ones_like(x, dtype=None):
    return ones(_shape(x), dtype or convert_to_tensor(x).dtype)


def one_hot(x, num_classes, dtype="float32"):
    return Tensor(_backend().one_hot(_data(x), int(num_classes), dtype))


# ----- linear algebra ------------------------------------------------------
def matmul(a, b):
    """Matrix product batched over leading axes; 1-D operands act as numpy's do."""
    a_shape, b_shape = tuple(_shape(a)), tuple(_shape(b))
    if not a_shape or not b_shape:
        raise ValueError(f"matmul needs operands of rank >= 1. Received shapes {a_shape} and {b_shape}.")
    if len(a_shape) == 1 or len(b_shape) == 1:
        # Promote vectors to matrices, multiply, then drop the added axes, so the
        # gradient rules below only ever see rank >= 2.
        a2 = reshape(a, (1,) + a_shape) if len(a_shape) == 1 else a
        b2 = reshape(b, b_shape + (1,)) if len(b_shape) == 1 else b
        out = matmul(a2, b2)
        out_shape = list(out.shape)
        if len(b_shape) == 1:
            out_shape.pop(-1)
        if len(a_shape) == 1:
            out_shape.pop(-1 if len(b_shape) == 1 else -2)
        return reshape(out, out_shape)

    def grad_a(g):
        return _unbroadcast(matmul(g, transpose(b, _swap_last(len(b_shape)))), a_shape)

    def grad_b(g):
        return _unbroadcast(matmul(transpose(a, _swap_last(len(a_shape))), g), b_shape)

    return make_tensor(_backend().matmul(_data(a), _data(b)), (a, b), [grad_a, grad_b])


def _swap_last(ndim):
    return tuple(range(ndim - 2)) + (ndim - 1, ndim - 2)


dot = matmul


# ----- in-place optimizer updates -------------------------------------------
def _check_update(op, variable, pairs):
    shape = variable.shape
    for name, value in pairs:
        if tuple(_shape(value)) != shape:
            raise ValueError(f"`{op}`: `{name}` has shape {tuple(_shape(value))}, expected {shape} (the variable's).")


def adam_update(variable, gradient, momentum, velocity, alpha, beta_1, beta_2, epsilon):
    """One Adam step, in place on the Variables ``variable``, ``momentum`` and ``velocity``.

    ``momentum += (gradient - momentum) * (1 - beta_1)``,
    ``velocity += (gradient**2 - velocity) * (1 - beta_2)``,
    ``variable -= momentum * alpha / (sqrt(velocity) + epsilon)``: the composite formula of
    ``optimizers.Adam`` with the same rounding, fused by the backend so no temporaries are allocated.
    """
    _check_update("adam_update", variable, [("gradient", gradient), ("momentum", momentum), ("velocity", velocity)])
    _backend().adam_update(variable.data, _data(gradient), momentum.data, velocity.data, float(alpha),
                           float(beta_1), float(beta_2), float(epsilon))
    return variable


def rmsprop_update(variable, gradient, velocity, learning_rate, rho, epsilon):
    """One plain RMSprop step, in place on the Variables ``variable`` and ``velocity``.

    ``velocity = velocity * rho + gradient**2 * (1 - rho)``,
    ``variable -= gradient * learning_rate / sqrt(velocity + epsilon)``, with the rounding of the
    composite formula in ``optimizers.RMSprop``.
    """
    _check_update("rmsprop_update", variable, [("gradient", gradient), ("velocity", velocity)])
    _backend().rmsprop_update(variable.data, _data(gradient), velocity.data, float(learning_rate), float(rho),
                              float(epsilon))
    return variable
