"""`EarlyStopping`: stop `fit` when a monitored metric stops improving."""

from __future__ import annotations

from typing import Any, List, Optional

from kerasette.callbacks._common import (
    check_non_negative,
    improvement_op,
    monitored_value,
    resolve_mode,
)
from kerasette.callbacks.callback import Callback, Logs
from kerasette.utils import io_utils


class EarlyStopping(Callback):
    """Stops training when `monitor` has not improved for `patience` epochs.

    At each epoch end the monitored value counts as an improvement when it beats the best
    value so far by more than `min_delta`. After `patience` epochs without one, the
    callback sets `model.stop_training = True` and `fit` ends after that epoch.

    Args:
        monitor: log key to watch, e.g. "val_loss" or "val_accuracy".
        min_delta: smallest change that counts as an improvement (its sign is ignored).
        patience: epochs without improvement before stopping.
        verbose: 1 prints a line when stopping and when restoring weights.
        mode: "min", "max" or "auto" (max when the name contains "acc" or "auc",
            min otherwise).
        baseline: value the metric must beat. Training stops after `patience` epochs
            that do not beat both `baseline` and the best value so far.
        restore_best_weights: at the end of training (early stop or not), put back the
            weights from the best epoch. If no epoch was monitored, weights are kept.
        start_from_epoch: epochs to ignore at the start (warm-up).

    Attributes:
        stopped_epoch: 0-based epoch at which training was stopped (0 if it was not).
        best: best monitored value seen, or None.
        best_epoch: 0-based epoch of `best`.

    Raises:
        ValueError: for an unknown `mode` or a negative `patience`/`start_from_epoch`.

    Example:
        >>> stopper = EarlyStopping(monitor="val_loss", patience=2)
        >>> # model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[stopper])

        What `fit` does with it, epoch by epoch:

        >>> class Model:
        ...     stop_training = False
        >>> stopper.set_model(Model())
        >>> stopper.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.9, 0.8, 0.85, 0.83, 0.7]):
        ...     stopper.on_epoch_end(epoch, {"val_loss": val_loss})
        ...     if stopper.model.stop_training:
        ...         break
        >>> stopper.stopped_epoch, stopper.best, stopper.best_epoch
        (3, 0.8, 1)

    Note: Keras 3 never stops a run that keeps improving on its own best while staying
    short of `baseline`; this implementation stops it, as Keras documents `baseline`.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: Optional[float] = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__()
        check_non_negative(patience, "patience", "EarlyStopping")
        check_non_negative(start_from_epoch, "start_from_epoch", "EarlyStopping")
        self.monitor = monitor
        self.min_delta = abs(float(min_delta))
        self.patience = patience
        self.verbose = verbose
        self.mode = resolve_mode(mode, monitor, "EarlyStopping")
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self._improves = improvement_op(self.mode, self.min_delta)
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best: Optional[float] = None
        self.best_epoch = 0
        self.best_weights: Optional[List[Any]] = None

    def on_train_begin(self, logs: Logs = None) -> None:
        """Forgets the previous run: wait count, best value and saved weights."""
        self._reset()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Compares `logs[monitor]` with the best so far; sets `model.stop_training` after `patience` misses."""
        current = monitored_value(logs, self.monitor, "Early stopping")
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until something improves, the first monitored epoch is the best one.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self.best is None or self._improves(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improves(current, self.baseline):
                self.wait = 0
                return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Logs = None) -> None:
        """Reports the stop (with `verbose`) and restores the best weights (with `restore_best_weights`)."""
        if self.stopped_epoch > 0 and self.verbose > 0:
            io_utils.print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                io_utils.print_msg(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
