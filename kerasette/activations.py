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
    """``1 / (1 + exp(-x))``; the result remembers ``x`` as its logits for stable losses."""
    return ops.sigmoid(x)


@register()
def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


@register()
def softmax(x, axis=-1):
    """Exponentials normalised to sum to 1 along ``axis`` (logits kept for stable losses).

    Warns when ``axis`` has size 1: the output is then always 1.
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
    """The identity: returns ``x`` unchanged."""
    return x


@register()
def elu(x, alpha=1.0):
    """``x`` for positive inputs, ``alpha * (exp(x) - 1)`` otherwise."""
    return ops.elu(x, alpha)


@register()
def selu(x):
    """Scaled ELU with the self-normalising constants of Klambauer et al. (2017)."""
    return ops.selu(x)


@register()
def gelu(x, approximate=False):
    """Gaussian error linear unit; ``approximate=True`` uses the tanh form."""
    return ops.gelu(x, approximate=approximate)


@register("swish")
def silu(x):
    """``x * sigmoid(x)`` (also called swish)."""
    return ops.silu(x)


swish = silu


@register()
def leaky_relu(x, negative_slope=0.2):
    """``x`` for positive inputs, ``negative_slope * x`` otherwise."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


@register()
def relu6(x):
    """ReLU capped at 6."""
    return ops.relu6(x)


@register()
def softplus(x):
    """``log(1 + exp(x))``, computed without overflow."""
    return ops.softplus(x)


@register()
def softsign(x):
    """``x / (1 + |x|)``."""
    return ops.divide(x, ops.add(ops.abs(x), 1.0))


@register()
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: ``relu6(x + 3) / 6``."""
    return ops.divide(ops.relu6(ops.add(x, 3.0)), 6.0)


@register()
def exponential(x):
    """``exp(x)``."""
    return ops.exp(x)


@register()
def log_softmax(x, axis=-1):
    """Logarithm of the softmax along ``axis``."""
    return ops.log_softmax(x, axis=axis)


def get(identifier):
    """Resolve an activation: None gives ``linear``; a name, a config or a callable.

    Raises:
        ValueError: for an unknown name (the message lists the valid names).
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict) and identifier.get("class_name") == "function":
        identifier = identifier.get("config")  # Keras 3's form for a built-in function
    return _registry.get(identifier)


def serialize(activation):
    """The registered name of a built-in activation (e.g. ``"relu"``), or a config dict."""
    return _registry.serialize(activation)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize``: a name or a config dict back to the activation."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    return _registry.deserialize(config, custom_objects)
