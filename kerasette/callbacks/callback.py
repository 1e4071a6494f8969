"""The `Callback` base class: every hook a training loop calls, all doing nothing."""

from __future__ import annotations

from typing import Any, Dict, Optional

Logs = Optional[Dict[str, Any]]


class Callback:
    """Base class for objects that hook into `fit`, `evaluate` and `predict`.

    Subclass it and override the hooks you need. The loop calls `set_params` and
    `set_model` before training, then the hooks in this order::

        on_train_begin
          on_epoch_begin(epoch)
            on_train_batch_begin(batch) / on_train_batch_end(batch)   (per batch)
            on_test_begin, on_test_batch_begin/end, on_test_end        (validation)
          on_epoch_end(epoch)                                          (logs include val_*)
        on_train_end

    `logs` is a dict of Python floats (running means during an epoch, epoch values at
    `on_epoch_end`). Callbacks may add keys to it, as `ReduceLROnPlateau` adds
    `learning_rate`.

    Attributes:
        params: dict given by the loop (`verbose`, `epochs`, `steps`), or None.
        model: the model being trained, or None before `set_model`.

    Example:
        >>> class CountEpochs(Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.seen = epoch + 1
        >>> cb = CountEpochs()
        >>> cb.on_epoch_end(0, {"loss": 1.0}); cb.seen
        1
    """

    params: Optional[Dict[str, Any]] = None
    _model: Any = None

    def __init__(self) -> None:
        self.params = None
        self._model = None

    def set_params(self, params: Dict[str, Any]) -> None:
        """Stores the loop's parameters (`verbose`, `epochs`, `steps`)."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """Stores the model the callback acts on."""
        self._model = model

    @property
    def model(self) -> Any:
        """The model set by `set_model` (None before)."""
        return self._model

    @model.setter
    def model(self, model: Any) -> None:
        self._model = model

    # Epoch and whole-run hooks.
    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Called at the start of each training epoch (0-based `epoch`)."""

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Called at the end of each epoch; `logs` holds the epoch's metrics and `val_*`."""

    def on_train_begin(self, logs: Logs = None) -> None:
        """Called once when `fit` starts."""

    def on_train_end(self, logs: Logs = None) -> None:
        """Called once when `fit` ends (also after early stopping)."""

    def on_test_begin(self, logs: Logs = None) -> None:
        """Called when evaluation (or validation inside `fit`) starts."""

    def on_test_end(self, logs: Logs = None) -> None:
        """Called when evaluation (or validation inside `fit`) ends."""

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Called when `predict` starts."""

    def on_predict_end(self, logs: Logs = None) -> None:
        """Called when `predict` ends."""

    # Batch hooks. The train ones forward to the legacy `on_batch_*` names.
    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Legacy alias: called by the default `on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Legacy alias: called by the default `on_train_batch_end`."""

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called before each training batch (0-based index within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called after each training batch; `logs` holds running means for the epoch."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called before each evaluation batch."""

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called after each evaluation batch."""

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called before each prediction batch."""

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called after each prediction batch."""
