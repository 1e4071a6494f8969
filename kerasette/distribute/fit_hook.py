"""How ``fit`` runs under ``kerasette.distribute`` with several ranks (registered by ``init``).

- Data: every rank uses rank 0's shuffling seed and takes its part of each global batch (arrays in
  memory, HDF5 datasets and memmaps: see ``sharding``). A PyDataset or a generator is read whole by
  every rank (a warning says so): shard it yourself, and give every rank the same number of steps.
- Callbacks: on ranks other than 0, the ones that print or write files are left out
  (``ProgbarLogger``, ``ModelCheckpoint``, ``CSVLogger``, ``TensorBoard``, ``RemoteMonitor``),
  unless marked with ``callbacks.on_every_rank``.
- Each step: this rank's share of the global batch is published before the step (``replica``).
- Stopping: after each batch and each epoch the ranks agree on ``model.stop_training`` (one small
  allreduce of the flag, the maximum over ranks), so that ``EarlyStopping`` or ``TerminateOnNaN``
  acting on one rank stops them all at the same point.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import numpy as np

from kerasette.callbacks import Callback, CSVLogger, ModelCheckpoint, ProgbarLogger, RemoteMonitor, TensorBoard
from kerasette.distribute import _runtime, collectives, replica
from kerasette.distribute.sharding import Sharding
from kerasette.models import training_hooks

ROOT_ONLY = (ProgbarLogger, ModelCheckpoint, CSVLogger, TensorBoard, RemoteMonitor)


class StepSync(Callback):
    """Publishes each step's share of the global batch and makes the ranks agree on stopping.

    Args:
        sharding: the ``Sharding`` of the training data, or None when the data is not sharded.
    """

    def __init__(self, sharding: Optional[Sharding]) -> None:
        super().__init__()
        self.sharding = sharding

    def on_train_batch_begin(self, batch: int, logs: Optional[dict] = None) -> None:
        """Publish this rank's share of the coming step."""
        replica.set_share(None if self.sharding is None else self.sharding.share(batch))

    def on_train_batch_end(self, batch: int, logs: Optional[dict] = None) -> None:
        """Clear the share, then agree on ``stop_training``."""
        replica.set_share(None)
        self._agree()

    def on_epoch_end(self, epoch: int, logs: Optional[dict] = None) -> None:
        """Agree on ``stop_training`` (set by ``EarlyStopping`` on some rank, say)."""
        self._agree()

    def on_train_end(self, logs: Optional[dict] = None) -> None:
        """Clear the share."""
        replica.set_share(None)

    def _agree(self) -> None:
        wish = np.array([1 if self.model.stop_training else 0], dtype=np.int32)
        self.model.stop_training = bool(collectives.allreduce(wish, op=collectives.Max)[0])


class DistributeHook:
    """The ``training_hooks`` hook that ``init`` registers."""

    def prepare_data(self, model: Any, adapter: Any) -> None:
        """Share rank 0's shuffling seed and give the adapter this rank's ``Sharding``.

        Args:
            model: the model being trained.
            adapter: fit's training ``DataAdapter``.
        """
        self.sharding = None
        if _runtime.size() == 1:
            return
        seed = getattr(adapter, "seed", None)
        if seed is not None:
            adapter.seed = int(collectives.broadcast(np.array(seed, dtype=np.int64), 0))
        if hasattr(type(adapter), "sharding"):
            adapter.sharding = self.sharding = Sharding(_runtime.rank(), _runtime.size())
        else:
            warnings.warn(f"kerasette.distribute: fit's data ({type(adapter).__name__}) is not sharded: every rank "
                          "reads all of it. Give each rank its own part (by `kerasette.distribute.rank()`) and "
                          "the same number of steps.", stacklevel=4)

    def prepare_callbacks(self, model: Any, callbacks: Any) -> None:
        """Leave out the rank-0-only callbacks on other ranks; add the step synchronization.

        Args:
            model: the model being trained.
            callbacks: fit's ``CallbackList``.
        """
        if _runtime.size() == 1:
            return
        if _runtime.rank() != 0:
            callbacks.callbacks = [cb for cb in callbacks.callbacks
                                   if not isinstance(cb, ROOT_ONLY) or getattr(cb, "run_on_every_rank", False)]
        sync = StepSync(getattr(self, "sharding", None))
        sync.set_model(model)
        callbacks.callbacks.append(sync)


_hook = DistributeHook()


def install() -> None:
    """Register the hook with ``fit``."""
    training_hooks.register(_hook)


def uninstall() -> None:
    """Unregister it."""
    training_hooks.unregister(_hook)
