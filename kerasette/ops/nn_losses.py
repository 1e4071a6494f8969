"""Loss-like ops of ``keras.ops``: the cross-entropies (elementwise, not averaged), psnr, ctc_loss, ctc_decode.

Probabilities are clipped to ``[1e-7, 1 - 1e-7]`` (Keras's ``epsilon()``) before their log, as Keras does.
``ctc_loss`` runs the CTC forward recursion with ops (one step per frame), so it is differentiable on
every backend; ``ctc_decode`` is a search, computed on the host.
"""

from __future__ import annotations

from typing import Tuple

import numpy as np

from kerasette.ops._helpers import cast, convert_to_numpy, convert_to_tensor
from kerasette.ops._promote import normalize_axis, tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import (
    add,
    clip,
    divide,
    log,
    logical_and,
    multiply,
    negative,
    not_equal,
    square,
    subtract,
    where,
)
from kerasette.ops.encoding import one_hot
from kerasette.ops.tensor import Tensor

_EPSILON = 1e-7
_NEGATIVE = -1e30  # log of a probability 0 in the CTC recursion (finite, so gradients stay finite)


def binary_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False) -> Tensor:
    """Elementwise binary cross-entropy ``-(t log(o) + (1 - t) log(1 - o))``.

    Args:
        target: the targets, in [0, 1].
        output: probabilities (or logits with ``from_logits``), shaped like ``target``.
        from_logits: whether ``output`` holds logits (a sigmoid is applied first).

    Returns:
        A Tensor shaped like ``target``.

    Raises:
        ValueError: when the shapes differ.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.binary_crossentropy([1.0, 0.0], [0.9, 0.2]).numpy().tolist()]
        [0.1054, 0.2231]
    """
    from kerasette.ops.elementwise import sigmoid

    target, output = to_float(target), to_float(output)
    if target.shape != output.shape:
        raise ValueError(f"Arguments `target` and `output` of `binary_crossentropy` must have the same shape. "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")
    if from_logits:
        output = sigmoid(output)
    output = clip(output, _EPSILON, 1.0 - _EPSILON)
    return negative(add(multiply(target, log(output)), multiply(subtract(1.0, target), log(subtract(1.0, output)))))


def _log_probabilities(output, axis, from_logits):
    from kerasette.ops.nn import log_softmax
    from kerasette.ops.reductions import sum as _sum

    if from_logits:
        return log_softmax(output, axis=axis)
    output = divide(output, _sum(output, axis=axis, keepdims=True))
    return log(clip(output, _EPSILON, 1.0 - _EPSILON))


def categorical_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False,
                             axis: int = -1) -> Tensor:
    """Cross-entropy ``-sum(t * log(o))`` along ``axis`` between one-hot (or soft) targets and probabilities.

    Args:
        target: the target distributions.
        output: probabilities (rescaled to sum to 1 along ``axis``), or logits with ``from_logits``.
        from_logits: whether ``output`` holds logits (a log-softmax is applied).
        axis: the class axis.

    Returns:
        A Tensor: the shape without ``axis``.

    Raises:
        ValueError: when the shapes differ or are scalars.

    Example:
        >>> from kerasette import ops
        >>> [round(v, 4) for v in ops.categorical_crossentropy([[0.0, 1.0]], [[0.25, 0.75]]).numpy().tolist()]
        [0.2877]
    """
    from kerasette.ops.reductions import sum as _sum

    target, output = to_float(target), to_float(output)
    if target.shape != output.shape or target.ndim < 1:
        raise ValueError(f"Arguments `target` and `output` of `categorical_crossentropy` must have the same shape, "
                         f"of rank >= 1. Received: target.shape={target.shape}, output.shape={output.shape}")
    return negative(_sum(multiply(target, _log_probabilities(output, axis, from_logits)), axis=axis))


def sparse_categorical_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False,
                                    axis: int = -1) -> Tensor:
    """Cross-entropy between integer class targets and probabilities (or logits) along ``axis``.

    Args:
        target: integer classes, shaped like ``output`` without its class axis (a trailing 1 is accepted).
        output: probabilities, or logits with ``from_logits``.
        from_logits: whether ``output`` holds logits.
        axis: the class axis of ``output``.

    Returns:
        A Tensor shaped like ``target``.

    Raises:
        ValueError: when the shapes do not match.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> loss = ops.sparse_categorical_crossentropy(np.array([1]), [[0.25, 0.75]])
        >>> [round(v, 4) for v in loss.numpy().tolist()]
        [0.2877]
    """
    from kerasette.ops.reductions import sum as _sum
    from kerasette.ops.shapes import reshape

    target, output = cast(tensor(target), "int32"), to_float(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = reshape(target, target.shape[:-1])
    if output.ndim < 1 or target.shape != output.shape[:-1]:
        raise ValueError("Arguments `target` and `output` of `sparse_categorical_crossentropy` must have the same "
                         f"shape up to the last axis. Received: target.shape={target.shape}, "
                         f"output.shape={output.shape}")
    axis = normalize_axis(axis, output.ndim, "sparse_categorical_crossentropy")
    log_probs = _log_probabilities(output, axis, from_logits)
    targets = one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return negative(_sum(multiply(targets, log_probs), axis=axis))


def psnr(x1: TensorLike, x2: TensorLike, max_val: float) -> Tensor:
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mean((x1 - x2)**2))``, over all elements.

    Args:
        x1: the first image (batch).
        x2: the second, of the same shape.
        max_val: the largest possible pixel value (1.0 or 255).

    Returns:
        A scalar float Tensor, in decibels.

    Raises:
        ValueError: when the shapes differ.

    Example:
        >>> from kerasette import ops
        >>> round(float(ops.psnr([0.0, 1.0], [0.0, 0.9], 1.0)), 4)
        23.0103
    """
    from kerasette.ops.exponential import log10
    from kerasette.ops.reductions import mean

    x1, x2 = to_float(x1), to_float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"`psnr` needs inputs of one shape. Received {x1.shape} and {x2.shape}.")
    mse = mean(square(subtract(x1, x2)))
    return subtract(20.0 * float(np.log10(max_val)), multiply(log10(mse), 10.0))


def ctc_loss(target: TensorLike, output: TensorLike, target_length: TensorLike, output_length: TensorLike,
             mask_index: int = 0) -> Tensor:
    """Connectionist temporal classification loss: ``-log p(target | output)`` per sequence.

    Args:
        target: integer labels ``(batch, max_label_length)`` (entries past ``target_length`` ignored).
        output: logits ``(batch, max_length, num_classes)``.
        target_length: the label count of each target ``(batch,)``.
        output_length: the frame count of each output ``(batch,)``.
        mask_index: the class of the blank.

    Returns:
        A float Tensor ``(batch,)``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> logits = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]]))
        >>> round(float(ops.ctc_loss(np.array([[1]]), logits, np.array([1]), np.array([2]))[0]), 4)
        0.2877
    """
    from kerasette.ops.indexing import take_along_axis
    from kerasette.ops.nn import log_softmax
    from kerasette.ops.reducing import logsumexp
    from kerasette.ops.shapes import broadcast_to, concatenate, reshape, stack

    output = to_float(output)
    labels = cast(tensor(target), "int64")
    batch, frames, classes = output.shape
    width = 2 * labels.shape[1] + 1
    log_probs = log_softmax(output, axis=-1)
    blank = convert_to_tensor(np.full((batch, 1), mask_index, dtype=np.int64))
    # the extended label sequence: blank, l1, blank, l2, ..., blank
    extended = concatenate([reshape(stack([broadcast_to(blank, labels.shape), labels], axis=-1), (batch, -1)),
                            blank], axis=1)
    emit = take_along_axis(log_probs, broadcast_to(reshape(extended, (batch, 1, width)), (batch, frames, width)), 2)
    previous_two = concatenate([convert_to_tensor(np.full((batch, 2), -1, np.int64)), extended[:, :-2]], axis=1)
    skip = logical_and(not_equal(extended, mask_index), not_equal(extended, previous_two))  # may jump 2 back
    lengths = convert_to_numpy(tensor(output_length)).astype(np.int64).reshape(-1)
    neg = convert_to_tensor(np.full((batch, 1), _NEGATIVE, dtype=output.dtype))
    start = np.full((1, width), _NEGATIVE)
    start[0, :2] = 0.0
    alpha = add(convert_to_tensor(start.astype(output.dtype)), emit[:, 0])
    for t in range(1, frames):
        stay = alpha
        step = concatenate([neg, alpha[:, :-1]], axis=1)
        jump = where(skip, concatenate([neg, neg, alpha[:, :-2]], axis=1), _NEGATIVE)
        new = add(logsumexp(stack([stay, step, jump]), axis=0), emit[:, t])
        active = convert_to_tensor((t < lengths).reshape(batch, 1))
        alpha = where(active, new, alpha)
    ends = cast(tensor(target_length), "int64")
    last = reshape(multiply(ends, 2), (batch, 1))
    final = stack([take_along_axis(alpha, last, axis=1),
                   take_along_axis(alpha, where(last > 0, subtract(last, 1), last), axis=1)])
    both = where(reshape(last > 0, (1, batch, 1)), final, stack([final[0], broadcast_to(neg, final[0].shape)]))
    return negative(reshape(logsumexp(both, axis=0), (batch,)))


def ctc_decode(inputs: TensorLike, sequence_lengths: TensorLike, strategy: str = "greedy", beam_width: int = 100,
               top_paths: int = 1, merge_repeated: bool = True, mask_index: int = 0) -> Tuple[Tensor, Tensor]:
    """Decode CTC outputs to label sequences, greedily or by prefix beam search (on the host).

    Args:
        inputs: logits ``(batch, max_length, num_classes)``.
        sequence_lengths: the frame count of each sequence ``(batch,)``.
        strategy: ``"greedy"`` (best class per frame) or ``"beam_search"``.
        beam_width: the number of prefixes kept per step (beam search).
        top_paths: the number of sequences returned per input (beam search).
        merge_repeated: merge repeated classes between blanks (greedy; beam search always merges).
        mask_index: the class of the blank.

    Returns:
        ``(decoded, scores)``: int32 sequences padded with -1, shape ``(paths, batch, max_length)`` (one
        path for greedy), and scores: ``(batch, 1)`` negative sums of the frames' best logits for greedy,
        ``(batch, top_paths)`` log probabilities for beam search.

    Raises:
        ValueError: for an unknown ``strategy``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> logits = np.log(np.array([[[0.1, 0.9], [0.1, 0.9], [0.9, 0.1], [0.2, 0.8]]]))
        >>> decoded, _ = ops.ctc_decode(logits, np.array([4]))
        >>> decoded.numpy().tolist()
        [[[1, 1, -1, -1]]]
    """
    from kerasette.ops._ctc_decode import beam_search, greedy

    if strategy not in ("greedy", "beam_search"):
        raise ValueError(f'Invalid value for argument `strategy` of `ctc_decode`. Expected "greedy" or '
                         f'"beam_search". Received: strategy={strategy!r}')
    logits = convert_to_numpy(to_float(inputs))
    lengths = convert_to_numpy(tensor(sequence_lengths)).astype(np.int64).reshape(-1)
    if strategy == "greedy":
        paths, scores = greedy(logits, lengths, merge_repeated, mask_index)
    else:
        paths, scores = beam_search(logits, lengths, int(beam_width), int(top_paths), mask_index)
    return convert_to_tensor(paths.astype(np.int32)), convert_to_tensor(scores.astype(logits.dtype))

