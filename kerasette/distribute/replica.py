"""What one rank contributes to the current step, and sums over ranks that gradients flow through.

``fit`` under ``kerasette.distribute`` gives each rank a part of every global batch. The parts of
the last, uneven batch differ in size, and a rank may get no sample at all; it then trains on a
placeholder sample (so that it still takes part in every collective) whose contribution is zero.
``Share`` says, for the step running now, how many real samples this rank holds and how many the
global batch has; ``DistributedOptimizer`` weights the loss by it and ``BatchNormalization(
synchronized=True)`` leaves a placeholder out of the batch statistics.

``replica_sum`` is an allreduce-sum recorded on the tape: its gradient is the allreduce-sum of the
incoming gradients, so the batch statistics of a synchronized BatchNormalization are differentiated
over the global batch.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

import numpy as np

from kerasette import ops
from kerasette.distribute import _runtime, collectives


class Share:
    """This rank's part of one global batch.

    Args:
        local_count: the real samples this rank trains on in this step (0: it holds a placeholder).
        global_count: the samples of the global batch, over all ranks.
        uniform: whether every rank holds the same number of samples in this step.
    """

    def __init__(self, local_count: int, global_count: int, uniform: bool) -> None:
        self.local_count, self.global_count, self.uniform = int(local_count), int(global_count), bool(uniform)

    @property
    def loss_factor(self) -> float:
        """``size * local_count / global_count``: the weight that makes the average over ranks the global mean."""
        return _runtime.size() * self.local_count / self.global_count

    def __repr__(self) -> str:
        return f"Share(local_count={self.local_count}, global_count={self.global_count}, uniform={self.uniform})"


_current: dict = {"share": None}


def set_share(share: Optional[Share]) -> None:
    """Set (or clear, with None) the share of the step about to run.

    Args:
        share: a ``Share``, or None outside a sharded step.
    """
    _current["share"] = share


def current_share() -> Optional[Share]:
    """The share of the step running now, or None (outside ``fit``, or with one rank).

    Returns:
        A ``Share`` or None.
    """
    return _current["share"]


def active() -> bool:
    """Whether sums over ranks mean anything: ``init()`` was called and there are several ranks.

    Returns:
        A bool.
    """
    return _runtime.is_initialized() and _runtime.size() > 1


def _sum_over_ranks(array: np.ndarray) -> np.ndarray:
    return collectives.reduce_in_place(np.ascontiguousarray(array).reshape(-1).copy(), collectives.Sum)


@ops.custom_gradient
def replica_sum(x: Any) -> Tuple[Any, Any]:
    """``x`` summed over all ranks, differentiable: the gradient is the sum over ranks of the gradients.

    Args:
        x: a tensor of the same shape on every rank.

    Returns:
        ``(sum, gradient function)`` as ``ops.custom_gradient`` takes it.
    """
    shape, dtype = tuple(x.shape), x.dtype

    def grad(upstream):
        total = _sum_over_ranks(np.asarray(ops.convert_to_numpy(upstream)))
        return ops.convert_to_tensor(total.reshape(shape), dtype)

    total = _sum_over_ranks(np.asarray(ops.convert_to_numpy(x)))
    return ops.convert_to_tensor(total.reshape(shape), dtype), grad


def moments(inputs: Any, axes: Sequence[int]) -> Tuple[Any, Any]:
    """The mean and (biased) variance of ``inputs`` over ``axes`` and over every rank's batch.

    Two passes, as one process computes them: the global mean, then the global mean of the squared
    deviations from it. A rank holding a placeholder (``current_share().local_count == 0``) adds
    nothing. Both results keep the reduced axes (size 1).

    Args:
        inputs: this rank's batch.
        axes: the axes to reduce (every axis but the features').

    Returns:
        ``(mean, variance)``, recorded on the tape.
    """
    share = current_share()
    weight = 0.0 if share is not None and share.local_count == 0 else 1.0
    count = weight * float(np.prod([inputs.shape[a] for a in axes]))
    local = ops.sum(inputs, axis=tuple(axes), keepdims=True)
    if weight == 0.0:
        local = ops.multiply(local, 0.0)
    packed = ops.concatenate([ops.reshape(local, (-1,)), ops.convert_to_tensor([count], local.dtype)])
    summed = replica_sum(packed)
    size = int(np.prod(local.shape))
    total = ops.convert_to_numpy(summed[size])
    if float(total) <= 0:
        raise ValueError("BatchNormalization(synchronized=True): the global batch holds no sample.")
    mean = ops.divide(ops.reshape(summed[:size], local.shape), float(total))
    deviations = ops.sum(ops.square(ops.subtract(inputs, mean)), axis=tuple(axes), keepdims=True)
    if weight == 0.0:
        deviations = ops.multiply(deviations, 0.0)
    variance = ops.divide(replica_sum(deviations), float(total))
    return mean, variance
