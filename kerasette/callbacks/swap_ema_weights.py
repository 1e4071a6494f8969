"""`SwapEMAWeights`: evaluate (and optionally checkpoint) with the optimizer's moving averages."""

from __future__ import annotations

from typing import Any, List

from kerasette.callbacks.callback import Callback, Logs
from kerasette.ops import updates


def _ema_optimizers(optimizer: Any) -> List[Any]:
    """The optimizers that hold moving averages (through a `LossScaleOptimizer` or a `MultiOptimizer`)."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    candidates = list(getattr(optimizer, "optimizers", [optimizer]))
    found = [opt for opt in candidates if getattr(opt, "use_ema", False)]
    if not found:
        name = getattr(optimizer, "name", optimizer)
        raise ValueError(
            "`SwapEMAWeights` needs an optimizer created with `use_ema=True` (e.g. `Adam(use_ema=True)`), "
            f"which keeps the moving averages it swaps in. Received: optimizer `{name}` with use_ema=False"
        )
    return found


class SwapEMAWeights(Callback):
    """Swaps the model's weights with the optimizer's moving averages around evaluation.

    With an optimizer created with `use_ema=True`, the validation of `fit`, `evaluate` and
    `predict` run with the exponential moving averages of the weights ("Polyak averaging");
    the training weights are put back afterwards. The swap happens in place on the backend
    (no copy through the host). With `swap_on_epoch=True` the averages are also in the model
    between `on_epoch_end` and the next `on_epoch_begin`, so callbacks placed after this one
    (e.g. `ModelCheckpoint`) see them; after the last epoch they stay in the model.

    Unlike Keras 3.15, whose `on_predict_end` leaves the averages in the model, the training
    weights are restored after `predict` too.

    Args:
        swap_on_epoch: whether to swap at epoch boundaries as well. Defaults to False.

    Raises:
        TypeError: if `swap_on_epoch` is not a bool.
        ValueError: (when training or evaluation starts) if the optimizer does not use EMA.

    Example:
        >>> # model.compile(optimizer=keras.optimizers.SGD(use_ema=True), loss=...)
        >>> # model.fit(x, y, validation_data=(xv, yv), callbacks=[SwapEMAWeights()])
        >>> SwapEMAWeights(swap_on_epoch=True).swap_on_epoch
        True
    """

    def __init__(self, swap_on_epoch: bool = False) -> None:
        super().__init__()
        if not isinstance(swap_on_epoch, bool):
            raise TypeError(
                "Invalid value for argument `swap_on_epoch` of callback `SwapEMAWeights`. Expected a bool. "
                f"Received: swap_on_epoch={swap_on_epoch!r}"
            )
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _swap(self) -> None:
        for optimizer in _ema_optimizers(self.model.optimizer):
            averages = getattr(optimizer, "_model_variables_moving_average", None)
            if averages is None:
                raise ValueError(
                    f"`SwapEMAWeights`: optimizer `{optimizer.name}` has no moving averages yet (it has not been "
                    "built): train the model before evaluating it with its averaged weights."
                )
            for variable, average in zip(optimizer._trainable_variables, averages):
                updates.swap_values(variable, average)
        self._ema_weights_in_model = not self._ema_weights_in_model

    def _keep_averages_in_model(self) -> None:
        """After the last epoch: the averages stay in the model; the slots take the same values."""
        for optimizer in _ema_optimizers(self.model.optimizer):
            for variable, average in zip(optimizer._trainable_variables, optimizer._model_variables_moving_average):
                average.assign(variable)

    def on_train_begin(self, logs: Logs = None) -> None:
        """Checks that the optimizer keeps moving averages, before any epoch is spent."""
        _ema_optimizers(self.model.optimizer)

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """With `swap_on_epoch`, puts the training weights back before the epoch trains."""
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """With `swap_on_epoch`, puts the averages into the model (for the callbacks that follow)."""
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap()
            if self.params and epoch == self.params.get("epochs", 0) - 1:
                self._keep_averages_in_model()

    def on_test_begin(self, logs: Logs = None) -> None:
        """Puts the averages into the model for evaluation."""
        if not self._ema_weights_in_model:
            self._swap()

    def on_test_end(self, logs: Logs = None) -> None:
        """Puts the training weights back."""
        if self._ema_weights_in_model:
            self._swap()

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Puts the averages into the model for prediction."""
        if not self._ema_weights_in_model:
            self._swap()

    def on_predict_end(self, logs: Logs = None) -> None:
        """Puts the training weights back."""
        if self._ema_weights_in_model:
            self._swap()
