"""How ``fit`` runs under ``kerasette.distribute`` with several ranks (registered by ``init``).

- Data: every rank uses rank 0's shuffling seed and runs the same number of steps, and in one pass
  over the data the ranks together read each sample once (``steps_per_epoch`` counts global steps).

  - Arrays in memory, HDF5 datasets and memmaps: rank ``r`` takes the ``r``-th part of each global
    batch of ``size() * batch_size`` samples (``sharding.Sharding``).
  - A ``PyDataset`` (and the directory datasets built on it): whole batches are dealt out, rank
    ``r`` reading batches ``r``, ``size() + r``, ``2 * size() + r``... of the epoch's order, so an
    epoch has ``ceil(len(dataset) / size())`` steps; in the last step of an uneven epoch the ranks
    left without a batch train on a placeholder weighted 0 (``sharding.BatchSharding``). Each step
    is one update on the ``size()`` batches it holds, weighted by their sample counts. Every rank
    must build the same dataset (the same length; a directory dataset: the same files and ``seed``),
    which is checked before training. ``on_epoch_begin``/``on_epoch_end`` run on every rank. With
    ``shuffle=True`` the batch order (not the samples inside a batch) is shuffled, alike on every rank.
  - A generator (no length) is read whole by every rank, and a warning says so: give each rank
    its own part (by ``kerasette.distribute.rank()``) and the same number of steps, or use a
    ``PyDataset``.
- Callbacks: on ranks other than 0, the ones that print or write files are left out
  (``ProgbarLogger``, ``ModelCheckpoint``, ``CSVLogger``, ``TensorBoard``, ``RemoteMonitor``),
  unless marked with ``callbacks.on_every_rank``.
- Each step: this rank's share of the global batch is published before the step (``replica``); for
  a PyDataset that takes one small allreduce of the ranks' sample counts.
- Validation data, ``evaluate`` and ``predict`` are not divided: every rank reads all of it.
- Stopping: after each batch and each epoch the ranks agree on ``model.stop_training`` (one small
  allreduce of the flag, the maximum over ranks), so that ``EarlyStopping`` or ``TerminateOnNaN``
  acting on one rank stops them all at the same point.
"""

from __future__ import annotations

import warnings
import zlib
from typing import Any, Optional

import numpy as np

from kerasette.callbacks import Callback, CSVLogger, ModelCheckpoint, ProgbarLogger, RemoteMonitor, TensorBoard
from kerasette.distribute import _runtime, collectives, replica
from kerasette.distribute.sharding import BatchSharding, Sharding
from kerasette.models import training_hooks
from kerasette.models.data_adapters.py_dataset_adapter import PyDatasetAdapter

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
        """Share rank 0's shuffling seed and give the adapter this rank's ``Sharding`` (``BatchSharding``).

        Args:
            model: the model being trained.
            adapter: fit's training ``DataAdapter``.

        Raises:
            ValueError: (on every rank alike) if the ranks' PyDatasets differ in length or in their files.
        """
        self.sharding = None
        if _runtime.size() == 1:
            return
        seed = getattr(adapter, "seed", None)
        if seed is not None:
            adapter.seed = int(collectives.broadcast(np.array(seed, dtype=np.int64), 0))
        if isinstance(adapter, PyDatasetAdapter):  # whole batches per rank
            _check_same_dataset(adapter)
            adapter.sharding = self.sharding = BatchSharding(_runtime.rank(), _runtime.size())
        elif hasattr(type(adapter), "sharding"):
            adapter.sharding = self.sharding = Sharding(_runtime.rank(), _runtime.size())
        else:
            warnings.warn(f"kerasette.distribute: fit's data ({type(adapter).__name__}) is not sharded: every rank "
                          "reads all of it (a generator has no length to divide). Give each rank its own part (by "
                          "`kerasette.distribute.rank()`) and the same number of steps, or use a PyDataset.",
                          stacklevel=4)

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


def _fingerprint(adapter: Any) -> tuple:
    """What must agree between ranks for a PyDataset's batches to be dealt out.

    Its length and, for a directory dataset, its files in order and its shuffling.
    """
    dataset = adapter.dataset
    paths = getattr(dataset, "file_paths", None)
    files = None if paths is None else (zlib.crc32("\n".join(map(str, paths)).encode()),
                                        bool(getattr(dataset, "shuffle", False)), getattr(dataset, "seed", None))
    return adapter.count, files


def _check_same_dataset(adapter: Any) -> None:
    """Raise on every rank alike when the ranks' PyDatasets differ (a hang or overlapping shares otherwise)."""
    comm = _runtime.communicator()
    if comm is None or comm.Get_size() == 1:
        return
    every = comm.allgather(_fingerprint(adapter))
    if any(f != every[0] for f in every):
        lengths = [f[0] for f in every]
        raise ValueError(f"kerasette.distribute: {adapter.source} must be the same on every rank to be divided "
                         f"between them. Received lengths (num_batches) by rank: {lengths}"
                         + ("" if len(set(lengths)) > 1 else "; the files differ in order (pass the same `seed` to "
                            "the dataset on every rank)") + ".")


_hook = DistributeHook()


def install() -> None:
    """Register the hook with ``fit``."""
    training_hooks.register(_hook)


def uninstall() -> None:
    """Unregister it."""
    training_hooks.unregister(_hook)
