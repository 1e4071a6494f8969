"""`CallbackList`: one object that forwards every hook to a list of callbacks."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Optional, Union

from kerasette.callbacks.callback import Callback, Logs
from kerasette.callbacks.history import History
from kerasette.callbacks.progbar_logger import ProgbarLogger


def _flatten(callbacks: Any) -> List[Callback]:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(
            "Invalid value for argument `callbacks`. Expected a list of "
            f"`kerasette.callbacks.Callback` instances. Received: callbacks={callbacks!r}"
        )
    flat: List[Callback] = []
    for item in callbacks:
        flat.extend(_flatten(item))
    return flat


class CallbackList(Callback):
    """Container that calls each hook on every callback, in list order.

    The training loop uses one of these instead of looping itself. User callbacks run
    first, then `History`, then `ProgbarLogger`, so the last two see keys that user
    callbacks add to `logs` (such as `learning_rate`).

    Args:
        callbacks: a `Callback`, a (nested) list of them, or None. The list is copied.
        add_history: append a `History` unless one is already in `callbacks`.
        add_progbar: append a `ProgbarLogger` unless one is already in `callbacks`.
        model: if given, `set_model(model)` is called (and `model.history` is set).
        **params: if given, passed to every callback's `set_params` (`verbose`,
            `epochs`, `steps`).

    Raises:
        TypeError: if an entry of `callbacks` is not a `Callback`.

    Example:
        >>> cbs = CallbackList([], add_history=True, epochs=2, steps=3, verbose=0)
        >>> cbs.on_train_begin()
        >>> cbs.on_epoch_end(0, {"loss": 0.5})
        >>> cbs.history.history
        {'loss': [0.5]}
    """

    def __init__(
        self,
        callbacks: Union[Callback, Iterable[Callback], None] = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        self.callbacks: List[Callback] = _flatten(callbacks)
        self.history: Optional[History] = None
        self.progbar: Optional[ProgbarLogger] = None
        for cb in self.callbacks:
            if isinstance(cb, History):
                self.history = cb
            elif isinstance(cb, ProgbarLogger):
                self.progbar = cb
        if add_history and self.history is None:
            self.history = History()
            self.callbacks.append(self.history)
        if add_progbar and self.progbar is None:
            self.progbar = ProgbarLogger()
            self.callbacks.append(self.progbar)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback: Callback) -> None:
        """Adds a callback at the end of the list."""
        self.callbacks.extend(_flatten(callback))

    def __iter__(self) -> Iterator[Callback]:
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def set_params(self, params: Any) -> None:
        """Stores `params` and passes it to every callback."""
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model: Any) -> None:
        """Sets the model on every callback and points `model.history` at `History`."""
        self._model = model
        if self.history is not None:
            model.history = self.history
        for cb in self.callbacks:
            cb.set_model(model)

    def _call(self, hook: str, *args: Any) -> None:
        # `logs` is always the last argument; None becomes {} so callbacks can add keys.
        *head, logs = args
        logs = {} if logs is None else logs
        for cb in self.callbacks:
            getattr(cb, hook)(*head, logs)

    def on_train_begin(self, logs: Logs = None) -> None:
        """Calls `on_train_begin` on every callback, in order."""
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: Logs = None) -> None:
        """Calls `on_train_end` on every callback, in order."""
        self._call("on_train_end", logs)

    def on_test_begin(self, logs: Logs = None) -> None:
        """Calls `on_test_begin` on every callback, in order."""
        self._call("on_test_begin", logs)

    def on_test_end(self, logs: Logs = None) -> None:
        """Calls `on_test_end` on every callback, in order."""
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Calls `on_predict_begin` on every callback, in order."""
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs: Logs = None) -> None:
        """Calls `on_predict_end` on every callback, in order."""
        self._call("on_predict_end", logs)

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Calls `on_epoch_begin` on every callback, in order."""
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Calls `on_epoch_end` on every callback, in order."""
        self._call("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_batch_begin` on every callback, in order."""
        self._call("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_batch_end` on every callback, in order."""
        self._call("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_train_batch_begin` on every callback, in order."""
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_train_batch_end` on every callback, in order."""
        self._call("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_test_batch_begin` on every callback, in order."""
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_test_batch_end` on every callback, in order."""
        self._call("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_predict_batch_begin` on every callback, in order."""
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Calls `on_predict_batch_end` on every callback, in order."""
        self._call("on_predict_batch_end", batch, logs)
