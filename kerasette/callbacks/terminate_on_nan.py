"""`TerminateOnNaN`: stop training as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from kerasette.callbacks.callback import Callback, Logs


class TerminateOnNaN(Callback):
    """Sets `model.stop_training = True` when a training batch's `loss` is NaN or inf.

    The fit loop stops after that batch (it checks `model.stop_training` after every
    batch), and a message naming the batch is printed.

    Example:
        >>> # model.fit(x, y, callbacks=[TerminateOnNaN()])
    """

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
