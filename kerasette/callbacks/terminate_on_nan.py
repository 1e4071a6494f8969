"""`TerminateOnNaN`: stop training as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from kerasette.callbacks.callback import Callback, Logs
from kerasette.utils import io_utils


class TerminateOnNaN(Callback):
    """Sets `model.stop_training = True` when a training batch's `loss` is NaN or inf.

    The fit loop stops after that batch (it checks `model.stop_training` after every
    batch), and a message naming the batch is printed.

    Example:
        >>> # model.fit(x, y, callbacks=[TerminateOnNaN()])
        >>> class Model:
        ...     stop_training = False
        >>> guard = TerminateOnNaN()
        >>> guard.set_model(Model())
        >>> guard.on_train_batch_end(0, {"loss": 0.5}); guard.model.stop_training
        False
        >>> guard.on_train_batch_end(1, {"loss": float("nan")}); guard.model.stop_training
        Batch 1: Invalid loss, terminating training
        True
    """

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Stops training when `logs["loss"]` is NaN or infinite."""
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            io_utils.print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
