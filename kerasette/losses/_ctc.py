"""Connectionist temporal classification (CTC) loss, as a forward pass over the label lattice.

The forward (alpha) recursion of Graves et al. (2006) runs in log space, one
time step after another, with ordinary ops, so the tape differentiates it: no
hand-written backward pass. It follows optax's formulation (the one Keras's
numpy and JAX backends use): two score arrays per step, one for "just emitted
label n" and one for "in the blank after label n", with -1e5 standing in for
log(0).
"""

import numpy as np

from kerasette import ops
from kerasette.losses import _checks
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import registry

_LOG_ZERO = -1e5


def _add_to_tail(phi, score):
    """``phi[:, 1:]`` log-added with ``score``; ``phi[:, :1]`` unchanged."""
    return ops.concatenate([phi[:, :1], ops.logaddexp(phi[:, 1:], score)], axis=1)


def ctc(y_true, y_pred):
    """Per-sample CTC loss: ``-log P(labels | y_pred)`` summed over every alignment.

    Class 0 is the blank, and 0 also pads ``y_true``: the label length of a row is its
    number of non-zero entries (so real labels are 1 .. num_classes - 1). Every
    sequence uses all ``max_length`` time steps.

    Args:
        y_true: integer labels of shape ``(batch_size, max_label_length)``, padded with 0.
        y_pred: logits of shape ``(batch_size, max_length, num_classes)``; they go through
            ``log_softmax`` here.

    Returns:
        A tensor of shape ``(batch_size,)``.

    Raises:
        ValueError: for ``y_true`` not of rank 2 or ``y_pred`` not of rank 3.

    Example:
        >>> import numpy as np
        >>> from kerasette import losses
        >>> logits = np.log(np.array([[[0.6, 0.4], [0.3, 0.7]]]))  # two steps, blank and one label
        >>> [round(v, 4) for v in losses.ctc([[1]], logits).numpy().tolist()]  # -log(P("1-") + P("-1") + P("11"))
        [0.1985]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer "
                         f"format. Received: y_true.shape={y_true.shape}")
    if len(y_pred.shape) != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
                         f"num_classes)`. Received: y_pred.shape={y_pred.shape}")
    if y_pred.dtype not in ("float32", "float64"):
        y_pred = ops.cast(y_pred, "float32")
    batch, steps, classes = y_pred.shape
    width = y_true.shape[1]
    labels = ops.cast(y_true, "int32")
    label_length = ops.sum(ops.cast(ops.not_equal(labels, 0), "int32"), axis=-1)
    log_probs = ops.log_softmax(y_pred, axis=-1)
    # repeat[b, n] is 1 where label n + 1 repeats label n: the path must pass through a blank between them.
    same = ops.cast(ops.equal(labels[:, :-1], labels[:, 1:]), y_pred.dtype)
    repeat = ops.concatenate([same, ops.zeros((batch, 1), dtype=y_pred.dtype)], axis=1)
    emit_scores = ops.matmul(log_probs, ops.transpose(ops.one_hot(labels, classes, dtype=y_pred.dtype), (0, 2, 1)))
    blank_scores = log_probs[:, :, :1]
    phi = ops.convert_to_tensor(np.concatenate([np.zeros((batch, 1)), np.full((batch, width), _LOG_ZERO)], axis=1),
                                dtype=y_pred.dtype)
    emit = ops.full((batch, width), _LOG_ZERO, dtype=y_pred.dtype)
    no_skip, skip = ops.multiply(repeat, _LOG_ZERO), ops.multiply(ops.subtract(1.0, repeat), _LOG_ZERO)
    for t in range(steps):
        emit_t, blank_t = emit_scores[:, t, :], blank_scores[:, t, :]
        entered = _add_to_tail(phi, ops.add(emit, no_skip))  # emit -> blank, unless the next label repeats
        next_emit = ops.logaddexp(ops.add(entered[:, :-1], emit_t), ops.add(emit, emit_t))
        next_phi = _add_to_tail(ops.add(entered, blank_t), ops.add(ops.add(emit, blank_t), skip))
        phi, emit = next_phi, next_emit
    final = _add_to_tail(phi, emit)
    chosen = ops.one_hot(label_length, width + 1, dtype=y_pred.dtype)
    return ops.negative(ops.sum(ops.multiply(final, chosen), axis=-1))


def _check_ctc_labels(name, y_true, output_shape):
    y = _checks.check_common(name, y_true)
    classes = output_shape[-1]
    if y.ndim != 2 or len(output_shape) != 3:
        raise ValueError(f"Invalid labels for loss `{name}`: expected integer label sequences of shape "
                         f"(N, max_label_length) for an output of shape (N, max_length, num_classes). Received "
                         f"targets of shape {y.shape} for an output of rank {len(output_shape)}.")
    if y.size and (np.any(y != np.round(y)) or y.min() < 0 or (classes is not None and y.max() >= classes)):
        raise ValueError(f"Invalid labels for loss `{name}`: expected integer labels in [0, {classes}) with 0 as the "
                         f"blank/padding. Received values in [{y.min()}, {y.max()}].")


@registry.register("ctc")
class CTC(AlignedLoss):
    """Connectionist temporal classification loss, for unaligned label sequences; see ``ctc``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> import numpy as np
        >>> from kerasette import losses
        >>> logits = np.log(np.array([[[0.6, 0.4], [0.3, 0.7]], [[0.5, 0.5], [0.5, 0.5]]]))
        >>> round(float(losses.CTC()([[1], [1]], logits)), 4)
        0.2431
    """

    _function = staticmethod(ctc)
    _check = staticmethod(_check_ctc_labels)

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
