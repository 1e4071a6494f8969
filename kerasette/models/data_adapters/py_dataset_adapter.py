"""``PyDatasetAdapter``: the batches of a ``keras.utils.PyDataset`` (and of ``PyDataset.map``).

With ``shuffle=True`` an epoch visits the batches in an order keyed by ``(seed, epoch)`` (so a
resumed run repeats it); ``steps_per_epoch`` takes that many, wrapping around. An infinite
dataset (``num_batches`` None) continues where the last epoch stopped. ``__getitem__`` runs
where ``workers``/``use_multiprocessing`` say (see ``PyDataset``); functions added by
``PyDataset.map`` run on the main thread, on the uploaded tensors. Under ``kerasette.distribute``
each process reads its share of the epoch's batches (``sharding``, a ``BatchSharding``).
"""

from __future__ import annotations

import numbers
import threading
import warnings
from typing import Any, Iterator, Optional

import numpy as np

from kerasette.models import data_adapter as da
from kerasette.models.data_adapters.adapter import DataAdapter, to_step_data
from kerasette.models.data_adapters.batch_checks import BatchChecker, leaves, to_host
from kerasette.models.data_adapters.worker_pool import ProcessWorkers, ThreadWorkers
from kerasette.utils.py_dataset import MappedPyDataset, as_tensors, check_parallelism


class PyDatasetAdapter(DataAdapter):
    """Batches of a ``PyDataset``, made by its workers ahead of the step.

    Args:
        model: the model (checks each batch, and is built from the first).
        dataset: the ``PyDataset`` (possibly made by ``map``).
        shuffle: visit the batches in a shuffled order each epoch.
        steps: batches per epoch (required for an infinite dataset), or None for ``len(dataset)``.
        seed: the shuffling seed.
        class_weight: ``{class: weight}``, or None.
        argument: the argument the dataset came in, for messages.
        need_y: whether targets are required.
    """

    def __init__(self, model: Any, dataset: Any, shuffle: Any = False, steps: Optional[int] = None, seed: int = 0,
                 class_weight: Optional[dict] = None, argument: str = "x", need_y: bool = True) -> None:
        functions = []
        while isinstance(dataset, MappedPyDataset):
            functions.insert(0, dataset.function)
            dataset = dataset.dataset
        check_parallelism(dataset)
        self.dataset, self.functions = dataset, functions
        self.source = f"the PyDataset `{type(dataset).__name__}`"
        self.count = _check_count(dataset.num_batches, self.source)
        if self.count is None and steps is None:
            raise ValueError(f"{self.source} is infinite (its `num_batches` is None): pass `steps_per_epoch` (or "
                             "`steps`, or `validation_steps`) to say how many batches make an epoch.")
        if self.count is None and shuffle:
            warnings.warn("`shuffle=True` was passed, but will be ignored since the data `x` was provided as an "
                          "infinite PyDataset. The PyDataset is expected to already be shuffled.", stacklevel=4)
        self.shuffle, self.steps, self.seed = bool(shuffle) and self.count is not None, steps, seed
        self.workers, self.processes = dataset.workers, dataset.use_multiprocessing
        self.queue_size = dataset.max_queue_size
        self.depth = self.queue_size if self.workers else 0
        self._pool = None
        self._next_key = 0  # where an infinite dataset continues
        self.checker = BatchChecker(model, self.source, argument, need_y, class_weight)
        first = self._fetch(0)
        if functions:
            self.checker.first(to_host(self._apply(self.checker.first_raw(first))))
        else:
            self.checker.first(first)

    # Set by kerasette.distribute (a ``BatchSharding``): each step reads one batch per process, this
    # process taking ``sharding.take``'s share of the epoch's batches.
    sharding = None

    @property
    def num_batches(self) -> int:
        """Batches per epoch: ``steps``, or the dataset's length (divided among the processes when sharded)."""
        if self.steps or self.sharding is None:
            return self.steps or self.count
        return self.sharding.steps(self.count)

    def epoch_keys(self, epoch: int) -> list:
        """The batch indices of epoch number ``epoch``, in the order they are visited.

        Args:
            epoch: the epoch's number over the model's life.
        """
        ranks = 1 if self.sharding is None else self.sharding.size
        if self.count is None:
            keys = list(range(self._next_key, self._next_key + self.steps * ranks))
            self._next_key += self.steps * ranks
        else:
            order = np.arange(self.count)
            if self.shuffle:
                order = np.random.default_rng([int(self.seed), int(epoch)]).permutation(self.count)
            if self.steps is not None:
                order = [order[i % self.count] for i in range(self.steps * ranks)]
            keys = [int(key) for key in order]
        return keys if self.sharding is None else self.sharding.take(keys)

    def host_batches(self, epoch: int, stop: threading.Event) -> Iterator[Any]:
        """Yield the epoch's batches, made by the workers and checked.

        Args:
            epoch: the epoch's number.
            stop: set when the epoch stops early.
        """
        keys = self.epoch_keys(epoch)
        check = self.checker.check_raw if self.functions else self.checker.check
        if self.workers <= 1 and not self.processes:
            made = ((key, self._fetch(key)) for key in keys if not stop.is_set())
        else:
            if self._pool is None:
                self._pool = (ProcessWorkers(self.workers, self.source) if self.processes
                              else ThreadWorkers(self.workers, self._fetch))
            self._pool.set_dataset(self.dataset)
            made = self._pool.imap(keys, self.queue_size, stop)
        for position, (key, batch) in enumerate(made):
            host = check(key, batch)
            if self.sharding is not None:
                self.sharding.record(position, np.shape(leaves(host)[0][1])[0])
            yield host

    def _fetch(self, key):
        try:
            return self.dataset[key]
        except Exception as error:
            if hasattr(error, "add_note"):
                error.add_note(f"(raised by {self.source}.__getitem__({key}))")
            raise

    def to_data(self, host: Any, position: int) -> Any:
        """Upload a batch; for a mapped dataset, apply the functions and check what they return.

        Args:
            host: the batch from ``host_batches``.
            position: the batch's number in the epoch.
        """
        if not self.functions:
            return to_step_data(*host)
        xs, ys, sw = self.checker.check_mapped(position, self._apply(host))
        return da.pack_x_y_sample_weight(da.pack(xs), None if ys is None else da.pack(ys), sw)

    def _apply(self, batch):
        batch = tuple(None if part is None else as_tensors(part) for part in batch)
        for function in self.functions:
            batch = function(*batch) if isinstance(batch, tuple) else function(batch)
        return batch

    def on_epoch_begin(self) -> None:
        """Call the dataset's ``on_epoch_begin``."""
        self.dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        """Call the dataset's ``on_epoch_end``."""
        self.dataset.on_epoch_end()

    def close(self) -> None:
        """Stop the running epoch, then the worker threads or processes."""
        super().close()
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def _check_count(count, source):
    if count is None:
        return None
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 0:
        raise ValueError(f"{source} has an invalid length: `len()` (or `num_batches`) must be an int >= 0. "
                         f"Received: {count!r}")
    if count == 0:
        raise ValueError(f"{source} has no batches (its length is 0).")
    return int(count)
