"""`History`: records every epoch's logs; `fit` returns it."""

from __future__ import annotations

from typing import Any, Dict, List

from kerasette.callbacks.callback import Callback, Logs


class History(Callback):
    """Collects the epoch logs of a `fit` run.

    `fit` adds one automatically and returns it (it is also `model.history`).

    Attributes:
        history: dict mapping each log key (`loss`, `accuracy`, `val_loss`, ...) to the
            list of its per-epoch values.
        epoch: list of the 0-based epoch indices that were recorded.

    Example:
        >>> h = History()
        >>> h.on_train_begin()
        >>> h.on_epoch_end(0, {"loss": 0.9, "val_loss": 1.1})
        >>> h.on_epoch_end(1, {"loss": 0.7, "val_loss": 1.0})
        >>> h.history["loss"], h.epoch
        ([0.9, 0.7], [0, 1])
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: Dict[str, List[Any]] = {}
        self.epoch: List[int] = []

    def on_train_begin(self, logs: Logs = None) -> None:
        """Clears the list of recorded epochs (`history` keeps accumulating, as in Keras)."""
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Appends each log value to `history[key]` and points `model.history` at this callback."""
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
