"""`LearningRateScheduler`: set the learning rate from a function of the epoch."""

from __future__ import annotations

import inspect
import numbers
from typing import Callable

from kerasette.callbacks._common import get_learning_rate, set_learning_rate
from kerasette.callbacks.callback import Callback, Logs
from kerasette.utils import io_utils


def _takes_two_args(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature: assume the Keras form
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of every epoch.

    Args:
        schedule: `schedule(epoch, lr) -> float` with the 0-based epoch and the current
            learning rate. The one-argument form `schedule(epoch)` is accepted too.
        verbose: 1 prints the new learning rate each epoch.

    The learning rate used in each epoch is added to its logs as `learning_rate`.

    Raises:
        ValueError: (during `fit`) if `schedule` returns something that is not a number.
        TypeError: (during `fit`) if the optimizer's learning rate is a schedule and
            cannot be set.

    Example:
        >>> def halve_after_10(epoch, lr):
        ...     return lr if epoch < 10 else lr * 0.5
        >>> scheduler = LearningRateScheduler(halve_after_10)
        >>> # model.fit(x, y, epochs=15, callbacks=[scheduler])
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise ValueError(
                "Invalid value for argument `schedule` of callback `LearningRateScheduler`. "
                f"Expected a callable. Received: schedule={schedule!r}"
            )
        self.schedule = schedule
        self.verbose = verbose
        self._two_args = _takes_two_args(schedule)

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Sets the optimizer's learning rate to `schedule(epoch, lr)`."""
        lr = get_learning_rate(self.model, "LearningRateScheduler")
        new_lr = self.schedule(epoch, lr) if self._two_args else self.schedule(epoch)
        if isinstance(new_lr, bool) or not isinstance(new_lr, numbers.Real):
            raise ValueError(
                "The output of the `schedule` function should be a float. "
                f"Received: {new_lr!r}"
            )
        set_learning_rate(self.model, float(new_lr))
        if self.verbose > 0:
            io_utils.print_msg(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(new_lr)}.")

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Adds the epoch's learning rate to its logs as `learning_rate`."""
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model, "LearningRateScheduler")
