"""Numerically stable cross-entropy kernels shared by the three cross-entropy losses.

With ``from_logits=True`` they use ``log_softmax`` or the softplus form of
sigmoid cross-entropy. With probabilities that came straight from
``ops.softmax``/``ops.sigmoid`` (the tensor's ``logits`` attribute is set)
they use those logits the same way. Otherwise probabilities are clipped to
[1e-7, 1 - 1e-7], as Keras does.
"""

import warnings

from kerasette import config, ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank


def _clipped_log(p):
    return ops.log(ops.clip(p, config.epsilon(), 1.0 - config.epsilon()))


def _logits_from(y_pred, activation):
    """The logits ``y_pred`` was computed from by ``activation``, or None."""
    if getattr(y_pred, "logits_from", None) == activation:
        return y_pred.logits
    return None


def _warn_not_logits(name, activation):
    warnings.warn(
        f"`{name}` received `from_logits=True`, but `y_pred` came from a {activation}, so it holds "
        f"probabilities, not logits. Using the {activation}'s inputs as the logits; pass "
        "`from_logits=False` (or remove the activation) to silence this warning.",
        stacklevel=4,
    )


def categorical_log_probs(y_pred, from_logits, axis, name):
    """Log-probabilities along ``axis`` from logits, softmax outputs (via their logits) or clipped probabilities."""
    logits = _logits_from(y_pred, "softmax")
    if logits is not None:
        if from_logits:
            _warn_not_logits(name, "softmax")
        return ops.log_softmax(logits, axis=axis)
    if from_logits:
        return ops.log_softmax(y_pred, axis=axis)
    return _clipped_log(ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True)))


def same_rank(y_true, y_pred):
    """Keras's rank alignment, carrying ``y_pred.logits`` along when ``y_pred`` is reshaped."""
    y_true, aligned = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if aligned is not y_pred and getattr(y_pred, "logits", None) is not None:
        aligned.logits = ops.reshape(y_pred.logits, aligned.shape)
        aligned.logits_from = y_pred.logits_from
    return y_true, aligned


def binary_elements(y_true, y_pred, from_logits):
    """Elementwise binary cross-entropy: the softplus form for logits and sigmoid outputs, else clipped."""
    logits = _logits_from(y_pred, "sigmoid")
    if logits is not None and from_logits:
        _warn_not_logits("binary_crossentropy", "sigmoid")
    if logits is None and from_logits:
        logits = y_pred
    if logits is not None:
        return ops.subtract(ops.softplus(logits), ops.multiply(y_true, logits))
    p = ops.clip(y_pred, config.epsilon(), 1.0 - config.epsilon())
    return ops.negative(
        ops.add(
            ops.multiply(y_true, ops.log(p)),
            ops.multiply(ops.subtract(1.0, y_true), ops.log(ops.subtract(1.0, p))),
        )
    )
