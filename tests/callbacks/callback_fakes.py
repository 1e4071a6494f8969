"""Test doubles for callbacks: a fake model and a driver that calls hooks like `fit`.

`run_fit` follows the Keras 3 loop: per epoch `on_epoch_begin`, train batches (stopping
early when `model.stop_training` is set), validation through the `on_test_*` hooks, then
`on_epoch_end` with the scripted epoch logs; `on_train_end` at the end.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

from kerasette.callbacks import CallbackList


class FakeOptimizer:
    """An optimizer with a settable float `learning_rate` (TypeError if `schedule`)."""

    def __init__(self, learning_rate: float = 0.01, schedule: bool = False) -> None:
        self._lr = float(learning_rate)
        self._schedule = schedule

    @property
    def learning_rate(self) -> float:
        return self._lr

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        if self._schedule:
            raise TypeError("learning rate is a schedule and cannot be set")
        self._lr = float(value)


class FakeModel:
    """What callbacks may touch on a model. Its weights record the last epoch trained."""

    def __init__(self, learning_rate: float = 0.01, schedule: bool = False) -> None:
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate, schedule)
        self.weights = [np.zeros(2), np.zeros(3)]
        self.history = None
        self.trained_batches = 0

    def get_weights(self) -> List[np.ndarray]:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        self.weights = [np.array(w, copy=True) for w in weights]

    def epoch_of_weights(self) -> int:
        return int(self.weights[0][0])


def val_loss_logs(values: Sequence[float], key: str = "val_loss") -> List[Dict[str, float]]:
    """Epoch logs with a fixed `loss` and the scripted `key` sequence."""
    return [{"loss": 1.0, key: float(v)} for v in values]


def run_fit(
    callbacks: Any,
    epoch_logs: Sequence[Dict[str, float]],
    model: Optional[FakeModel] = None,
    steps: Optional[int] = 2,
    verbose: int = 0,
    batch_loss: Optional[Callable[[int, int], float]] = None,
    validation_steps: int = 1,
):
    """Drives `callbacks` through `len(epoch_logs)` epochs like `Model.fit`.

    Training epoch `e` sets every weight to `e`. Batch logs carry a running `loss` from
    `batch_loss(epoch, batch)` (default: the epoch's scripted `loss`). With `steps=None`
    the driver still runs 2 batches, as a dataset of unknown length would.

    Returns:
        (model, history) where `history` is what `fit` returns.
    """
    model = model or FakeModel()
    epochs = len(epoch_logs)
    cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model,
                       verbose=verbose, epochs=epochs, steps=steps)
    model.stop_training = False
    cbs.on_train_begin()
    for epoch, scripted in enumerate(epoch_logs):
        cbs.on_epoch_begin(epoch)
        total, logs = 0.0, {}
        for batch in range(steps or 2):
            cbs.on_train_batch_begin(batch)
            model.weights = [np.full_like(w, epoch) for w in model.weights]
            model.trained_batches += 1
            loss = batch_loss(epoch, batch) if batch_loss else scripted.get("loss", 1.0)
            total += loss
            logs = {"loss": total / (batch + 1)}
            logs.update({k: v for k, v in scripted.items() if k != "loss" and not k.startswith("val_")})
            cbs.on_train_batch_end(batch, dict(logs))
            if model.stop_training:
                break
        val = {k: v for k, v in scripted.items() if k.startswith("val_")}
        if val:
            cbs.on_test_begin()
            for batch in range(validation_steps):
                cbs.on_test_batch_begin(batch)
                cbs.on_test_batch_end(batch, {k[4:]: v for k, v in val.items()})
            cbs.on_test_end({k[4:]: v for k, v in val.items()})
        epoch_end_logs = dict(scripted)
        if batch_loss:
            epoch_end_logs["loss"] = logs["loss"]
        cbs.on_epoch_end(epoch, epoch_end_logs)
        if model.stop_training:
            break
    cbs.on_train_end()
    return model, model.history
