"""Callbacks for training pruned models: ``UpdatePruningStep`` (required) and ``PruningSummaries``."""

from __future__ import annotations

import os

from kerasette.callbacks import Callback, TensorBoard
from kerasette.pruning.pruning_wrapper import collect_prunable_layers


class UpdatePruningStep(Callback):
    """Advances the pruning wrappers' step at every batch and keeps the pruned weights at zero.

    Training a pruned model without it raises an error. At the start of training a fresh model's
    ``pruning_step`` goes from -1 to 0 (a restored model keeps its step); at the start of each batch
    every wrapper adds 1 to its step and recomputes its masks when the schedule says so; after
    each batch, and at the end of each epoch, the pruned weights are set to ``weight * mask``
    (the optimizer may have moved them), so the zeros are in the weights whenever you look.

    For a custom training loop, call ``set_model(model)`` and ``on_train_begin()`` once, then
    ``on_train_batch_begin(batch)`` before and ``on_train_batch_end(batch)`` after each step.

    Example:
        >>> from kerasette import pruning
        >>> callback = pruning.UpdatePruningStep()
        >>> # pruned_model.fit(x, y, callbacks=[callback])
    """

    def __init__(self):
        super().__init__()
        self.prunable_layers = []

    def on_train_begin(self, logs=None):
        """Collect the wrappers; a fresh model's step starts at 0."""
        self.prunable_layers = collect_prunable_layers(self.model)
        built = [layer for layer in self.prunable_layers if layer.built]
        if built and built[0]._step_value() == -1:
            for layer in built:
                layer._set_step(0)

    def on_train_batch_begin(self, batch, logs=None):
        """Add 1 to every wrapper's step and update the masks that are due."""
        for layer in self.prunable_layers:
            if layer.built:
                if layer._step_value() == -1:  # built by the first batch (a Sequential model without an input)
                    layer._set_step(0)
                layer.advance_step()

    def _remask(self):
        for layer in self.prunable_layers:
            if layer.built:
                layer.pruning_obj.weight_mask_op()

    def on_train_batch_end(self, batch, logs=None):
        """Write ``weight * mask`` into the pruned weights after the optimizer's update."""
        self._remask()

    def on_epoch_end(self, epoch, logs=None):
        """Write ``weight * mask`` into the pruned weights (so checkpoints hold the zeros)."""
        self._remask()


class PruningSummaries(TensorBoard):
    """``TensorBoard`` that also logs each mask's sparsity and each threshold at the start of every epoch.

    The scalars go to ``<log_dir>/metrics``, tagged ``<mask path>/sparsity`` (the fraction of zeros
    in the mask) and ``<threshold path>/threshold``, at the optimizer's iteration count, as TF-MOT
    writes them. Needs the ``tensorboard`` extra (tensorboardX), like ``TensorBoard``.

    Args:
        log_dir: str, the directory of the event files (non-empty).
        update_freq: as for ``TensorBoard``. Defaults to ``"epoch"``.
        **kwargs: the other ``TensorBoard`` arguments.

    Raises:
        ValueError: ``log_dir`` is not a non-empty string.
    """

    def __init__(self, log_dir, update_freq="epoch", **kwargs):
        if not isinstance(log_dir, (str, os.PathLike)) or not os.fspath(log_dir):
            raise ValueError(f"`log_dir` must be a non-empty string. You passed `log_dir`={log_dir!r}.")
        super().__init__(log_dir=log_dir, update_freq=update_freq, **kwargs)

    def on_epoch_begin(self, epoch, logs=None):
        """Write the sparsity of every mask and every threshold."""
        super().on_epoch_begin(epoch, logs)
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        step = 0 if iterations is None else int(iterations.numpy())
        writer = self._writer("metrics")
        for layer in collect_prunable_layers(self.model):
            for _, mask, threshold in layer.pruning_vars:
                writer.scalar(f"{mask.path}/sparsity", 1.0 - float(mask.numpy().mean()), step)
                writer.scalar(f"{threshold.path}/threshold", float(threshold.numpy()), step)
        writer.flush()
