"""`ReduceLROnPlateau`: lower the learning rate when a metric stops improving."""

from __future__ import annotations

import math

from kerasette.callbacks._common import (
    check_non_negative,
    get_learning_rate,
    improvement_op,
    monitored_value,
    resolve_mode,
    set_learning_rate,
)
from kerasette.callbacks.callback import Callback, Logs
from kerasette.utils import io_utils


class ReduceLROnPlateau(Callback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    Every epoch it also records the learning rate used in that epoch as
    `logs["learning_rate"]`, so `History`, `CSVLogger` and the progress bar show it.

    Args:
        monitor: log key to watch.
        factor: multiplier for the learning rate, `new_lr = lr * factor`; must be < 1.
        patience: epochs without improvement before reducing.
        verbose: 1 prints a line on each reduction.
        mode: "min", "max" or "auto" (max when the name contains "acc" or "auc").
        min_delta: smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting patience again.
        min_lr: lower bound for the learning rate.

    Raises:
        ValueError: if `factor >= 1`, for an unknown `mode`, or a negative
            `patience`/`cooldown`.

    Example:
        >>> reduce = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3)
        >>> # model.fit(x, y, validation_split=0.2, callbacks=[reduce])
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ) -> None:
        super().__init__()
        if factor >= 1.0:
            raise ValueError(
                "ReduceLROnPlateau does not support a factor >= 1.0. "
                f"Received: factor={factor}"
            )
        check_non_negative(patience, "patience", "ReduceLROnPlateau")
        check_non_negative(cooldown, "cooldown", "ReduceLROnPlateau")
        self.monitor = monitor
        self.factor = float(factor)
        self.patience = patience
        self.verbose = verbose
        self.mode = resolve_mode(mode, monitor, "ReduceLROnPlateau")
        self.min_delta = min_delta
        self.cooldown = cooldown
        self.min_lr = float(min_lr)
        self._improves = improvement_op(self.mode, min_delta)
        self._reset()

    def _reset(self) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.wait = 0
        self.cooldown_counter = 0

    def in_cooldown(self) -> bool:
        """True while the callback is waiting out `cooldown` after a reduction."""
        return self.cooldown_counter > 0

    def on_train_begin(self, logs: Logs = None) -> None:
        """Forgets the previous run: best value, wait and cooldown counters."""
        self._reset()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Records `logs["learning_rate"]` and lowers the rate after `patience` epochs without improvement."""
        logs = {} if logs is None else logs
        lr = get_learning_rate(self.model, "ReduceLROnPlateau")
        logs["learning_rate"] = lr
        current = monitored_value(logs, self.monitor, "Learning rate reduction")
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improves(current, self.best):
            self.best = current
            self.wait = 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait >= self.patience and lr > self.min_lr:
            new_lr = max(lr * self.factor, self.min_lr)
            set_learning_rate(self.model, new_lr)
            if self.verbose > 0:
                io_utils.print_msg(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
            self.cooldown_counter = self.cooldown
            self.wait = 0
