"""Callbacks for distributed ``fit``, as Horovod's Keras callbacks.

- ``BroadcastGlobalVariablesCallback(root_rank)``: every rank starts from ``root_rank``'s weights,
  non-trainable state and optimizer slots.
- ``MetricAverageCallback()``: each epoch's logs averaged over ranks, in place, so the callbacks
  after it in the list (and ``History``) see the averages.
- ``LearningRateScheduleCallback`` / ``LearningRateWarmupCallback``: learning rate multipliers by
  epoch, and the gradual warm-up from ``initial_lr / size()`` that large global batches need.
- ``on_every_rank(callback)``: keep a callback that ``fit`` otherwise runs on rank 0 only.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Optional, Union

import numpy as np

from kerasette.callbacks import Callback
from kerasette.callbacks._common import get_learning_rate, set_learning_rate
from kerasette.distribute import _runtime, collectives
from kerasette.utils import io_utils


def _check_device(device: Any, owner: str) -> None:
    if device != "":
        raise ValueError(f"Argument `device` of `{owner}` is not supported: kerasette reduces on the host. "
                         f"Expected device=''. Received: device={device!r}")


def on_every_rank(callback: Callback) -> Callback:
    """Mark ``callback`` to run on every rank.

    Under ``kerasette.distribute``, ``fit`` runs the callbacks that print or write files
    (``ProgbarLogger``, ``ModelCheckpoint``, ``CSVLogger``, ``TensorBoard``, ``RemoteMonitor``) on
    rank 0 only; a marked one runs everywhere (give each rank its own file name, say with ``rank()``).

    Args:
        callback: a ``Callback``.

    Returns:
        ``callback`` itself, marked.

    Example:
        >>> from kerasette import callbacks, distribute
        >>> logger = distribute.callbacks.on_every_rank(callbacks.CSVLogger("log-0.csv"))
        >>> logger.run_on_every_rank
        True
    """
    if not isinstance(callback, Callback):
        raise TypeError(f"Invalid value for argument `callback` of `on_every_rank`. Expected a Callback. "
                        f"Received: callback={callback!r}")
    callback.run_on_every_rank = True
    return callback


class BroadcastGlobalVariablesCallback(Callback):
    """Give every rank ``root_rank``'s model and optimizer state when training begins.

    At ``on_train_begin`` it builds the optimizer if needed, then broadcasts the model's weights
    (trainable and not, BatchNormalization statistics included) and the optimizer's variables
    (iteration count, learning rate, slots), so that training starts from the same point
    everywhere, whether from fresh random weights or from a checkpoint rank 0 loaded.

    Args:
        root_rank: the rank whose state is sent (usually 0).
        device: Horovod's device for the broadcast; only ``""`` (kerasette broadcasts from the host).

    Example:
        >>> from kerasette import distribute
        >>> callback = distribute.callbacks.BroadcastGlobalVariablesCallback(0)
        >>> callback.root_rank
        0
    """

    def __init__(self, root_rank: int, device: str = "") -> None:
        super().__init__()
        _check_device(device, "BroadcastGlobalVariablesCallback")
        if isinstance(root_rank, bool) or not isinstance(root_rank, numbers.Integral) or root_rank < 0:
            raise ValueError("Invalid value for argument `root_rank` of `BroadcastGlobalVariablesCallback`. Expected "
                             f"an int >= 0. Received: root_rank={root_rank!r}")
        self.root_rank = int(root_rank)
        self.broadcast_done = False

    def on_train_begin(self, logs: Optional[dict] = None) -> None:
        """Broadcast the weights and the optimizer state from ``root_rank``."""
        if not _runtime.is_initialized():
            return
        model = self.model
        collectives.broadcast_variables(model.weights, self.root_rank)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:
            if not optimizer.built and model.trainable_weights:
                optimizer.build(model.trainable_weights)
            collectives.broadcast_variables(optimizer.variables, self.root_rank)
        self.broadcast_done = True


class MetricAverageCallback(Callback):
    """Average each epoch's logs over all ranks, in place.

    Every rank sees the metrics of its own part of the data; at each epoch end this callback
    replaces every number in the logs by its mean over the ranks. Callbacks later in the list
    (``EarlyStopping``, ``ReduceLROnPlateau``, ``ModelCheckpoint``...) and ``History`` then see the
    averages, the same on every rank: put it first in the list.

    Args:
        device: Horovod's device for the allreduce; only ``""``.

    Example:
        >>> from kerasette import distribute
        >>> logs = {"loss": 0.5, "accuracy": 0.75}
        >>> distribute.callbacks.MetricAverageCallback().on_epoch_end(0, logs)  # one process: unchanged
        >>> logs
        {'loss': 0.5, 'accuracy': 0.75}
    """

    def __init__(self, device: str = "") -> None:
        super().__init__()
        _check_device(device, "MetricAverageCallback")

    def on_epoch_end(self, epoch: int, logs: Optional[dict] = None) -> None:
        """Replace each numeric log value by its mean over the ranks."""
        if logs is None or not _runtime.is_initialized() or _runtime.size() == 1:
            return
        keys = sorted(k for k, v in logs.items() if isinstance(v, numbers.Real) or
                      (isinstance(v, np.ndarray) and v.ndim == 0))
        comm = _runtime.communicator()
        every = comm.allgather(keys)
        if any(other != keys for other in every):
            raise ValueError(f"MetricAverageCallback: the ranks logged different metrics: {every}.")
        values = np.array([float(logs[k]) for k in keys], dtype=np.float64)
        averaged = collectives.allreduce(values, op=collectives.Average, name="MetricAverageCallback")
        logs.update({k: float(v) for k, v in zip(keys, averaged)})


class LearningRateScheduleCallback(Callback):
    """Set the learning rate to ``initial_lr * multiplier(epoch)`` between ``start_epoch`` and ``end_epoch``.

    With ``staircase=True`` the rate changes at the start of each epoch; with False, at every batch,
    with a fractional epoch (``epoch + batch / steps_per_epoch``). With ``momentum_correction`` the
    momentum of an optimizer that has one (SGD) is scaled by ``new_lr / old_lr`` for the batch where
    the rate changes (Goyal et al., 2017). Each epoch's rate is added to its logs as ``learning_rate``.

    Args:
        initial_lr: the reference learning rate (usually the one scaled by ``size()``).
        multiplier: a float (the rate is ``initial_lr * multiplier ** epoch``) or ``fn(epoch)``.
        start_epoch: the first epoch (0-based) the schedule applies to.
        end_epoch: the epoch it stops applying at (exclusive), or None for no end.
        staircase: change the rate once per epoch (True) or at every batch (False).
        momentum_correction: scale the momentum with the rate when it changes.
        steps_per_epoch: batches per epoch for ``staircase=False`` (None: read from ``fit``).

    Example:
        >>> from kerasette import distribute
        >>> decay = distribute.callbacks.LearningRateScheduleCallback(0.1, multiplier=0.5, start_epoch=2)
        >>> decay.multiplier(3)
        0.125
    """

    def __init__(self, initial_lr: float, multiplier: Union[float, Callable[[float], float]], start_epoch: int = 0,
                 end_epoch: Optional[int] = None, staircase: bool = True, momentum_correction: bool = True,
                 steps_per_epoch: Optional[int] = None) -> None:
        super().__init__()
        owner = type(self).__name__
        if initial_lr is None:
            raise ValueError(f"Argument `initial_lr` of `{owner}` is required.")
        if isinstance(initial_lr, bool) or not isinstance(initial_lr, numbers.Real) or initial_lr < 0:
            raise ValueError(f"Invalid value for argument `initial_lr` of `{owner}`. Expected a float >= 0. "
                             f"Received: initial_lr={initial_lr!r}")
        if callable(multiplier):
            self.multiplier = multiplier
        elif isinstance(multiplier, numbers.Real) and not isinstance(multiplier, bool):
            self.multiplier = lambda epoch, base=float(multiplier): base ** epoch
        else:
            raise ValueError(f"Invalid value for argument `multiplier` of `{owner}`. Expected a float or a function "
                             f"of the epoch. Received: multiplier={multiplier!r}")
        if steps_per_epoch is not None and (isinstance(steps_per_epoch, bool) or
                                            not isinstance(steps_per_epoch, int) or steps_per_epoch < 1):
            raise ValueError(f"Invalid value for argument `steps_per_epoch` of `{owner}`. Expected an int >= 1 or "
                             f"None. Received: steps_per_epoch={steps_per_epoch!r}")
        self.initial_lr = float(initial_lr)
        self.start_epoch, self.end_epoch = start_epoch, end_epoch
        self.staircase, self.momentum_correction = bool(staircase), bool(momentum_correction)
        self.steps_per_epoch = steps_per_epoch
        self.current_epoch = 0
        self._restore_momentum = None

    def on_train_begin(self, logs: Optional[dict] = None) -> None:
        """Read the number of steps per epoch from ``fit`` when it is needed and was not given."""
        if not self.staircase and not self.steps_per_epoch:
            steps = (self.params or {}).get("steps")
            if not steps:
                raise ValueError(f"{type(self).__name__} could not find the number of steps per epoch; pass "
                                 "`steps_per_epoch`.")
            self.steps_per_epoch = int(steps)

    def on_epoch_begin(self, epoch: int, logs: Optional[dict] = None) -> None:
        """Remember the epoch."""
        self.current_epoch = epoch

    def _in_range(self) -> bool:
        epoch = self.current_epoch
        return epoch >= self.start_epoch and (self.end_epoch is None or epoch < self.end_epoch)

    def on_train_batch_begin(self, batch: int, logs: Optional[dict] = None) -> None:
        """Set the learning rate for this batch (at batch 0 only, with ``staircase``)."""
        if not self._in_range():
            return
        if self.staircase and batch == 0:
            self._adjust(self.current_epoch)
        elif not self.staircase:
            self._adjust(self.current_epoch + float(batch) / self.steps_per_epoch)

    def _adjust(self, epoch: float) -> None:
        old_lr = get_learning_rate(self.model, type(self).__name__)
        new_lr = self.initial_lr * self.multiplier(epoch)
        set_learning_rate(self.model, new_lr)
        optimizer = self.model.optimizer
        momentum = getattr(optimizer, "momentum", None)
        if self.momentum_correction and isinstance(momentum, float) and old_lr > 0:
            self._restore_momentum = momentum
            optimizer.momentum = momentum * new_lr / old_lr

    def on_train_batch_end(self, batch: int, logs: Optional[dict] = None) -> None:
        """Put back the momentum a correction changed."""
        if self._restore_momentum is not None:
            self.model.optimizer.momentum = self._restore_momentum
            self._restore_momentum = None

    def on_epoch_end(self, epoch: int, logs: Optional[dict] = None) -> None:
        """Add the learning rate to the epoch's logs as ``learning_rate``."""
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model, type(self).__name__)


class LearningRateWarmupCallback(LearningRateScheduleCallback):
    """Raise the learning rate from ``initial_lr / size()`` to ``initial_lr`` over ``warmup_epochs`` epochs.

    Training with a global batch ``size()`` times larger uses a learning rate ``size()`` times
    larger; starting there at once can diverge, so the rate grows linearly, batch by batch
    (Goyal et al., 2017), as Horovod's callback: at fractional epoch ``e`` (the end of the current
    batch) the rate is ``initial_lr / size() * (e * (size() - 1) / warmup_epochs + 1)``.

    Args:
        initial_lr: the learning rate to reach (the single-process rate times ``size()``).
        warmup_epochs: the epochs the warm-up lasts.
        momentum_correction: scale the momentum with the rate (SGD).
        steps_per_epoch: batches per epoch (None: read from ``fit``).
        verbose: 1 prints a line on rank 0 when the warm-up ends.

    Example:
        >>> from kerasette import distribute
        >>> warmup = distribute.callbacks.LearningRateWarmupCallback(0.004, warmup_epochs=2, steps_per_epoch=10)
        >>> warmup.multiplier(1.9)  # one process: the rate is initial_lr all along
        1.0
    """

    def __init__(self, initial_lr: float, warmup_epochs: int = 5, momentum_correction: bool = True,
                 steps_per_epoch: Optional[int] = None, verbose: int = 0) -> None:
        if isinstance(warmup_epochs, bool) or not isinstance(warmup_epochs, numbers.Real) or warmup_epochs <= 0:
            raise ValueError("Invalid value for argument `warmup_epochs` of `LearningRateWarmupCallback`. Expected a "
                             f"number > 0. Received: warmup_epochs={warmup_epochs!r}")
        self.warmup_epochs = warmup_epochs
        self.verbose = verbose

        def multiplier(epoch):
            epoch += 1.0 / self.steps_per_epoch  # the rate reached at the end of the batch: round numbers per epoch
            count = _runtime.size() if _runtime.is_initialized() else 1
            return 1.0 / count * (epoch * (count - 1) / self.warmup_epochs + 1)

        super().__init__(initial_lr, multiplier, start_epoch=0, end_epoch=warmup_epochs, staircase=False,
                         momentum_correction=momentum_correction, steps_per_epoch=steps_per_epoch)

    def on_epoch_end(self, epoch: int, logs: Optional[dict] = None) -> None:
        """Log the learning rate; on rank 0 with ``verbose``, say when the warm-up is over."""
        super().on_epoch_end(epoch, logs)
        first = not _runtime.is_initialized() or _runtime.rank() == 0
        if epoch == self.end_epoch - 1 and self.verbose > 0 and first:
            rate = get_learning_rate(self.model, type(self).__name__)
            io_utils.print_msg(f"\nEpoch {epoch + 1}: finished gradual learning rate warmup to {rate:g}.")
