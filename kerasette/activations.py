"""Activation functions, named and parameterised as in ``keras.activations``.

Each function takes a tensor and returns a tensor of the same shape, computed
with ``kerasette.ops`` only. ``get`` resolves the names layers accept
(``Dense(10, activation="relu")``); ``serialize`` gives the name back.

>>> from kerasette import activations, ops
>>> activations.get("relu")(ops.convert_to_tensor([-1.0, 2.0])).numpy().tolist()
[0.0, 2.0]
"""

import warnings

from kerasette import ops
from kerasette.registry import Registry

_registry = Registry("activation")
register = _registry.register


@register()
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with Keras's optional leak, ceiling and threshold.

    Args:
        x: input tensor.
        negative_slope: slope for values below ``threshold``.
        max_value: ceiling on the output (None: no ceiling).
        threshold: values at or below it are zeroed (or leaked).

    Returns:
        ``x`` where ``threshold < x``, clipped to ``max_value``; below the threshold
        ``negative_slope * (x - threshold)``.

    Example:
        >>> from kerasette import activations, ops
        >>> x = ops.convert_to_tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
        >>> activations.relu(x).numpy().tolist()
        [0.0, 0.0, 0.0, 5.0, 10.0]
        >>> activations.relu(x, negative_slope=0.5).numpy().tolist()
        [-5.0, -2.5, 0.0, 5.0, 10.0]
        >>> activations.relu(x, max_value=5.0).numpy().tolist()
        [0.0, 0.0, 0.0, 5.0, 5.0]
        >>> activations.relu(x, threshold=5.0).numpy().tolist()
        [0.0, 0.0, 0.0, 0.0, 10.0]
    """
    if threshold != 0.0:
        out = ops.where(ops.greater(x, threshold), x, ops.zeros_like(x))
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.minimum(out, max_value)
    if negative_slope != 0.0:
        out = ops.subtract(out, ops.multiply(ops.relu(ops.subtract(threshold, x)), negative_slope))
    return out


@register()
def sigmoid(x):
    """``1 / (1 + exp(-x))``; the result remembers ``x`` as its logits for stable losses.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.sigmoid(x)


@register()
def tanh(x):
    """Hyperbolic tangent, ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.tanh(x)


@register()
def softmax(x, axis=-1):
    """Exponentials normalised to sum to 1 along ``axis`` (logits kept for stable losses).

    Warns when ``axis`` has size 1: the output is then always 1.

    Args:
        x: input tensor (logits).
        axis: the axis normalised.

    Returns:
        A tensor of the same shape whose entries along ``axis`` are positive and sum to 1.

    Example:
        >>> from kerasette import activations, ops
        >>> y = activations.softmax(ops.convert_to_tensor([[0.0, 0.0], [0.0, 2.0]]))
        >>> [[round(v, 4) for v in row] for row in y.numpy().tolist()]
        [[0.5, 0.5], [0.1192, 0.8808]]
    """
    shape = tuple(ops.shape(x))
    if isinstance(axis, int) and shape and shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {shape}. This axis has "
            "size 1, so the softmax always returns 1. Did you mean a sigmoid?",
            stacklevel=2,
        )
    return ops.softmax(x, axis=axis)


@register()
def linear(x):
    """The identity: returns ``x`` unchanged.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return x


@register()
def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` for positive inputs, ``alpha * (exp(x) - 1)`` otherwise.

    Args:
        x: input tensor.
        alpha: the scale of the negative part.

    Returns:
        A tensor of the same shape.
    """
    return ops.elu(x, alpha)


@register()
def selu(x):
    """Scaled ELU with the self-normalising constants of Klambauer et al. (2017).

    ``scale * x`` for positive inputs, ``scale * alpha * (exp(x) - 1)`` otherwise, with
    ``alpha ~ 1.6733`` and ``scale ~ 1.0507``; use it with the ``lecun_normal`` initializer.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.selu(x)


@register()
def gelu(x, approximate=False):
    """Gaussian error linear unit, ``x * P(X <= x)`` for a standard normal ``X``.

    Args:
        x: input tensor.
        approximate: use the tanh approximation instead of the exact ``erf`` form.

    Returns:
        A tensor of the same shape.
    """
    return ops.gelu(x, approximate=approximate)


@register("swish")
def silu(x):
    """Sigmoid linear unit ``x * sigmoid(x)`` (also called swish).

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.silu(x)


swish = silu


@register()
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: ``x`` for positive inputs, ``negative_slope * x`` otherwise.

    Args:
        x: input tensor.
        negative_slope: the slope for negative inputs.

    Returns:
        A tensor of the same shape.
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


@register()
def relu6(x):
    """ReLU capped at 6: ``min(max(x, 0), 6)``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.relu6(x)


@register()
def softplus(x):
    """Softplus, ``log(1 + exp(x))``, computed without overflow.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.softplus(x)


@register()
def softsign(x):
    """Softsign, ``x / (1 + |x|)``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.divide(x, ops.add(ops.abs(x), 1.0))


@register()
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: ``relu6(x + 3) / 6``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.divide(ops.relu6(ops.add(x, 3.0)), 6.0)


@register()
def exponential(x):
    """Exponential, ``exp(x)``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.exp(x)


@register()
def log_softmax(x, axis=-1):
    """Logarithm of the softmax along ``axis``, computed stably.

    Args:
        x: input tensor (logits).
        axis: the axis the softmax normalises.

    Returns:
        A tensor of the same shape.
    """
    return ops.log_softmax(x, axis=axis)


@register()
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``x`` for ``x >= 0``, ``alpha * (exp(x / alpha) - 1)`` otherwise.

    Args:
        x: input tensor.
        alpha: the scale of the negative part (> 0). Defaults to 1.

    Returns:
        A tensor of the same shape.
    """
    negative = ops.multiply(ops.subtract(ops.exp(ops.divide(ops.minimum(x, 0.0), alpha)), 1.0), alpha)
    return ops.add(ops.maximum(x, 0.0), negative)


@register()
def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)``, where ``a`` and ``b`` are the two halves of ``x`` along ``axis``.

    Args:
        x: input tensor; its size along ``axis`` must be even.
        axis: the axis split in two. Defaults to -1.

    Returns:
        A tensor with half the size of ``x`` along ``axis``.

    Raises:
        ValueError: if the size along ``axis`` is odd.

    Example:
        >>> from kerasette import activations, ops
        >>> activations.glu(ops.convert_to_tensor([[2.0, 4.0, 0.0, 0.0]])).numpy().tolist()
        [[1.0, 2.0]]
    """
    shape = tuple(ops.shape(x))
    axis = axis % len(shape)
    if shape[axis] % 2:
        raise ValueError(f"`glu` needs an even size along `axis`. Received: x.shape={shape} with axis={axis}")
    half = shape[axis] // 2
    lead = (slice(None),) * axis
    x = ops.convert_to_tensor(x)
    return ops.multiply(x[lead + (slice(0, half),)], ops.sigmoid(x[lead + (slice(half, None),)]))


@register()
def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: ``x`` where ``|x| > threshold``, else 0.

    Args:
        x: input tensor.
        threshold: the half-width of the zeroed band. Defaults to 0.5.

    Returns:
        A tensor of the same shape.
    """
    return ops.where(ops.greater(ops.abs(x), threshold), x, 0.0)


@register("hard_swish")
def hard_silu(x):
    """Hard SiLU (hard swish): ``x * hard_sigmoid(x) = x * relu6(x + 3) / 6``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


@register()
def hard_tanh(x):
    """Hard tanh: ``x`` clipped to [-1, 1].

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.clip(x, -1.0, 1.0)


@register()
def log_sigmoid(x):
    """Logarithm of the sigmoid, ``-softplus(-x)``, computed without overflow.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, with values <= 0.
    """
    return ops.negative(ops.softplus(ops.negative(x)))


@register()
def mish(x):
    """Mish (Misra, 2019): ``x * tanh(softplus(x))``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


@register()
def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: ``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0.

    Args:
        x: input tensor.
        threshold: the half-width of the zeroed band. Defaults to 0.5.

    Returns:
        A tensor of the same shape.
    """
    shrunk = ops.where(ops.greater(x, threshold), ops.subtract(x, threshold), ops.add(x, threshold))
    return ops.where(ops.greater(ops.abs(x), threshold), shrunk, 0.0)


@register()
def sparse_plus(x):
    """SparsePlus: 0 for ``x <= -1``, ``(x + 1) ** 2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    middle = ops.multiply(ops.square(ops.add(x, 1.0)), 0.25)
    return ops.where(ops.less_equal(x, -1.0), 0.0, ops.where(ops.less(x, 1.0), middle, x))


@register()
def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape, with values in [0, 1].
    """
    return ops.clip(ops.multiply(ops.add(x, 1.0), 0.5), 0.0, 1.0)


@register()
def sparsemax(x, axis=-1):
    """Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of ``x`` onto the probability simplex.

    ``max(x - tau, 0)``, with ``tau`` chosen so that the outputs along ``axis`` sum to 1; unlike softmax,
    small logits get exactly 0. The support is found by comparing every pair of entries along ``axis``
    (memory grows with the square of that axis's size). Keras 3.15.1 computes ``tau`` wrongly whenever more
    than one entry is in the support (keras-team/keras#23425, fixed upstream in #23469); kerasette follows
    the paper, so its outputs always sum to 1.

    Args:
        x: input tensor (logits).
        axis: the axis normalised. Defaults to -1.

    Returns:
        A tensor of the same shape, non-negative, summing to 1 along ``axis``.

    Example:
        >>> from kerasette import activations, ops
        >>> activations.sparsemax(ops.convert_to_tensor([0.0, 0.5, 1.0])).numpy().tolist()
        [0.0, 0.25, 0.75]
    """
    x = ops.convert_to_tensor(x)
    axis = axis % len(x.shape)
    with ops.stop_recording():  # which entries are in the support: piecewise constant, no gradient
        others = ops.expand_dims(x, axis + 1)  # x_j along a new axis after `axis`
        at_least = ops.cast(ops.greater_equal(others, ops.expand_dims(x, axis)), x.dtype)  # [x_j >= x_i]
        count = ops.sum(at_least, axis=axis)  # entries >= x_i
        total = ops.sum(ops.multiply(at_least, others), axis=axis)  # their sum
        support = ops.cast(ops.greater(ops.add(ops.multiply(count, x), 1.0), total), x.dtype)
    size = ops.sum(support, axis=axis, keepdims=True)
    tau = ops.divide(ops.subtract(ops.sum(ops.multiply(x, support), axis=axis, keepdims=True), 1.0), size)
    return ops.maximum(ops.subtract(x, tau), 0.0)


@register()
def squareplus(x, b=4):
    """Squareplus (Barron, 2021): ``(x + sqrt(x ** 2 + b)) / 2``, a smooth ReLU.

    Args:
        x: input tensor.
        b: the smoothness (>= 0). Defaults to 4.

    Returns:
        A tensor of the same shape.
    """
    return ops.multiply(ops.add(x, ops.sqrt(ops.add(ops.square(x), float(b)))), 0.5)


@register()
def tanh_shrink(x):
    """Tanh shrink: ``x - tanh(x)``.

    Args:
        x: input tensor.

    Returns:
        A tensor of the same shape.
    """
    return ops.subtract(x, ops.tanh(x))


@register()
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``.

    Args:
        x: input tensor.
        threshold: the value ``x`` must exceed to be kept.
        default_value: the value put where ``x <= threshold``.

    Returns:
        A tensor of the same shape.
    """
    x = ops.convert_to_tensor(x)
    return ops.where(ops.greater(x, threshold), x, ops.full((), default_value, x.dtype))


def get(identifier):
    """Resolve an activation: None gives ``linear``; a name, a config or a callable.

    Args:
        identifier: None, a name (``"relu"``), a config dict from ``serialize`` or Keras, or a callable
            (returned as is).

    Returns:
        The activation function.

    Raises:
        ValueError: for an unknown name (the message lists the valid names).

    Example:
        >>> from kerasette import activations
        >>> activations.get("swish") is activations.silu, activations.get(None) is activations.linear
        (True, True)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict) and identifier.get("class_name") == "function":
        identifier = identifier.get("config")  # Keras 3's form for a built-in function
    return _registry.get(identifier)


def serialize(activation):
    """The registered name of a built-in activation (e.g. ``"relu"``), or a config dict.

    Args:
        activation: an activation function (or an object with ``get_config``).

    Returns:
        The name, or ``{"class_name": ..., "config": ...}``.

    Example:
        >>> from kerasette import activations
        >>> activations.serialize(activations.relu)
        'relu'
    """
    return _registry.serialize(activation)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize``: a name or a config dict back to the activation.

    Args:
        config: a name or a config dict.
        custom_objects: a dict of the user's functions by name, or None.

    Returns:
        The activation function.

    Raises:
        ValueError: for an unknown name.
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    return _registry.deserialize(config, custom_objects)
