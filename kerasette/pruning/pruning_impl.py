"""``Pruning``: the mask updates of one wrapper's weights, as TF-MOT's ``pruning_impl.Pruning``."""

from __future__ import annotations

from kerasette import ops
from kerasette.pruning import pruning_utils


class Pruning:
    """Magnitude-based pruning of ``(weight, mask, threshold)`` triples, following a schedule.

    Args:
        training_step_fn: a callable returning the current training step (an int).
        pruning_vars: a list of ``(weight, mask, threshold)`` variable triples.
        pruning_schedule: a ``PruningSchedule``.
        block_size: ``(height, width)`` of the blocks pruned together in rank-2 weights.
        block_pooling_type: ``"AVG"`` or ``"MAX"``, how a block's magnitudes are summarized.
        sparsity_m_by_n: None, or ``(m, n)``: ``m`` zeros in every ``n`` consecutive input channels;
            the masks are then computed once, at step 1.
    """

    def __init__(self, training_step_fn, pruning_vars, pruning_schedule, block_size, block_pooling_type,
                 sparsity_m_by_n=None):
        self._step_fn = training_step_fn
        self._pruning_vars = list(pruning_vars)
        self._pruning_schedule = pruning_schedule
        self._block_size = tuple(block_size)
        self._block_pooling_type = block_pooling_type
        self._sparsity_m_by_n = sparsity_m_by_n

    def _update_mask(self, weights):
        """``(threshold, mask)`` for ``weights`` at the schedule's sparsity of the current step."""
        sparsity = self._pruning_schedule(self._step_fn())[1]
        return pruning_utils.magnitude_mask(weights, sparsity)

    def _maybe_update_block_mask(self, weights):
        """``(threshold, mask)``: N:M, block or elementwise, as configured."""
        if self._sparsity_m_by_n:
            return 999.0, pruning_utils.m_by_n_mask(weights, self._sparsity_m_by_n)  # TF-MOT's placeholder threshold
        if self._block_size == (1, 1):
            return self._update_mask(weights)
        sparsity = self._pruning_schedule(self._step_fn())[1]
        return pruning_utils.block_magnitude_mask(weights, sparsity, self._block_size, self._block_pooling_type)

    def should_update_masks(self):
        """Whether the masks are due at the current step (N:M masks: only at step 1).

        Returns:
            A bool.
        """
        if self._sparsity_m_by_n:
            return self._step_fn() == 1
        return self._pruning_schedule(self._step_fn())[0]

    def conditional_mask_update(self):
        """Recompute every mask and threshold from the current weights if the schedule says so.

        Returns:
            True if the masks were updated.
        """
        if not self.should_update_masks():
            return False
        with ops.stop_recording():
            for weight, mask, threshold in self._pruning_vars:
                new_threshold, new_mask = self._maybe_update_block_mask(weight)
                threshold.assign(ops.cast(new_threshold, threshold.dtype))
                mask.assign(new_mask)
        return True

    def weight_mask_op(self):
        """Set every pruned weight to ``weight * mask``, so the zeros are in the weights themselves."""
        with ops.stop_recording():
            for weight, mask, _ in self._pruning_vars:
                weight.assign(ops.multiply(weight, mask))
