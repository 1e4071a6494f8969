"""``PyDataset`` (also named ``Sequence``): batches made by Python code, for ``fit``/``evaluate``/``predict``.

A subclass says how many batches there are (``__len__``) and makes batch ``index`` on demand
(``__getitem__``). ``fit`` asks for the batches of an epoch (in a shuffled order with
``shuffle=True``) while the previous step trains: in one background thread by default, in
``workers`` threads, or in ``workers`` processes with ``use_multiprocessing=True``. ``map`` adds a
function (an augmentation layer, say) applied to each batch as a tensor, on the main thread.
"""

from __future__ import annotations

import itertools
import numbers
import warnings
from typing import Any, Callable, Iterator, Optional

import numpy as np


def batch_count(items: int, batch_size: Optional[int]) -> int:
    """How many batches ``items`` entries make: one per entry when ``batch_size`` is None, else ceil(items / size)."""
    return items if batch_size is None else -(-items // batch_size)


def batch_of(entries: Any, index: int, batch_size: Optional[int]) -> Any:
    """Entry ``index`` of ``entries`` (``batch_size`` None), or its ``index``-th run of ``batch_size`` entries.

    Args:
        entries: a sequence (rows, start positions...), one per sample.
        index: the batch's position.
        batch_size: samples per batch, or None for unbatched samples.

    Raises:
        IndexError: for an index outside the dataset's batches, as a Python sequence does.
    """
    batches = batch_count(len(entries), batch_size)
    if not 0 <= index < batches:
        raise IndexError(f"Batch index {index} is out of range for a dataset of {batches} batches.")
    if batch_size is None:
        return entries[index]
    return entries[index * batch_size : (index + 1) * batch_size]


class PyDataset:
    """Base class of a dataset whose batches are made by Python code, as ``keras.utils.PyDataset``.

    Implement ``__getitem__(index)`` (batch number ``index``: ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)``, where ``x`` may be a list or a dict of arrays for several inputs)
    and ``__len__`` (the number of batches), and optionally ``on_epoch_begin``/``on_epoch_end``.
    A dataset without ``__len__`` may define ``num_batches`` as None: it is infinite, and ``fit``
    needs ``steps_per_epoch``.

    How ``fit`` calls ``__getitem__``:

    - ``workers=0``: on the main thread, between steps (no prefetch).
    - ``workers=1`` (the default): in one background thread, up to ``max_queue_size`` batches
      ahead of the step that trains.
    - ``workers=N``: in N threads (good when ``__getitem__`` waits on files or on code that
      releases the GIL, such as Pillow or h5py).
    - ``use_multiprocessing=True``: in N worker processes, started with ``spawn`` (the dataset is
      pickled to them at every epoch, so it must be picklable, and a script must keep its
      training code under ``if __name__ == "__main__":``).

    Off the main thread, ``__getitem__`` must do host work only (numpy, Pillow, h5py): kerasette
    layers and ops belong in ``map``, whose functions run on the main thread, on tensors.

    Args:
        workers: the number of threads or processes making batches (0: the main thread).
        use_multiprocessing: make batches in processes rather than threads.
        max_queue_size: the most batches prepared ahead of training.

    Example:
        >>> import numpy as np
        >>> class Squares(PyDataset):
        ...     def __len__(self):
        ...         return 3
        ...     def __getitem__(self, index):
        ...         x = np.arange(4, dtype="float32") + 4 * index
        ...         return x.reshape(2, 2), x.reshape(2, 2) ** 2
        >>> data = Squares()
        >>> len(data), data[1][1].tolist()
        (3, [[16.0, 25.0], [36.0, 49.0]])
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size
        check_parallelism(self)

    def _warn_if_super_not_called(self):
        missing = [name for name in ("_workers", "_use_multiprocessing", "_max_queue_size") if not hasattr(self, name)]
        defaults = {"_workers": 1, "_use_multiprocessing": False, "_max_queue_size": 10}
        for name in missing:
            setattr(self, name, defaults[name])
        if missing:
            warnings.warn("Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. "
                          "`**kwargs` can include `workers`, `use_multiprocessing`, `max_queue_size`. Do not pass "
                          "these arguments to `fit()`, as they will be ignored.", stacklevel=3)

    @property
    def workers(self) -> int:
        """The number of threads or processes making batches (0: the main thread)."""
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        """Whether batches are made in worker processes rather than threads."""
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        """The most batches prepared ahead of training."""
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int) -> Any:
        """Batch number ``index``.

        Args:
            index: the batch's position, from 0 to ``len(self) - 1``.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(index)`, returning batch "
                                  "number `index`.")

    def __iter__(self) -> Iterator[Any]:
        """The batches in order (all of them, or forever for an infinite dataset)."""
        count = self.num_batches
        for index in itertools.count() if count is None else range(count):
            yield self[index]

    @property
    def num_batches(self) -> Optional[int]:
        """The number of batches: ``len(self)``, or None for an infinite dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError("You need to implement the `num_batches` property:\n\n"
                                  "@property\ndef num_batches(self):\n  return ...")

    def on_epoch_begin(self) -> None:
        """Called at the start of every epoch (before its first batch is asked for)."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch (after its last batch was made)."""

    def map(self, function: Callable[..., Any]) -> "MappedPyDataset":
        """A dataset whose batches are ``function(*batch)``, computed on the main thread, on tensors.

        This is where augmentation layers go: ``data.map(lambda x, y: (augment(x, training=True), y))``.
        ``fit`` makes the batches of ``self`` as usual (in its workers), turns them into tensors, then
        calls ``function``; a tuple batch is passed as separate arguments. kerasette extends Keras's
        ``PyDataset`` with this method (Keras's ``image_dataset_from_directory`` returns a
        ``tf.data.Dataset``, which has ``map``).

        Args:
            function: called with a batch's parts, returning a batch (``x``, ``(x, y)`` or ``(x, y, sw)``).

        Returns:
            A ``PyDataset`` with the same number of batches.
        """
        if not callable(function):
            raise TypeError(f"`PyDataset.map` expects a function. Received: {function!r}")
        return MappedPyDataset(self, function)


class MappedPyDataset(PyDataset):
    """A ``PyDataset`` with a function applied to each of its batches (see ``PyDataset.map``).

    Args:
        dataset: the dataset whose batches are mapped.
        function: called with a batch's parts, returning a batch.
    """

    def __init__(self, dataset: PyDataset, function: Callable[..., Any]) -> None:
        self.dataset, self.function = dataset, function

    # The mapped dataset's settings are this one's: its batches are made the same way.
    workers = property(lambda self: self.dataset.workers, doc="The mapped dataset's ``workers``.")
    use_multiprocessing = property(lambda self: self.dataset.use_multiprocessing,
                                   doc="The mapped dataset's ``use_multiprocessing``.")
    max_queue_size = property(lambda self: self.dataset.max_queue_size, doc="The mapped dataset's ``max_queue_size``.")

    def __len__(self) -> int:
        return len(self.dataset)

    @property
    def num_batches(self) -> Optional[int]:
        """The mapped dataset's number of batches."""
        return self.dataset.num_batches

    def __getitem__(self, index: int) -> Any:
        """Batch ``index`` of the mapped dataset, with the function applied (as tensors).

        Args:
            index: the batch's position.
        """
        batch = self.dataset[index]
        if isinstance(batch, tuple):
            return self.function(*[None if part is None else as_tensors(part) for part in batch])
        return self.function(as_tensors(batch))

    def on_epoch_begin(self) -> None:
        """Forwarded to the mapped dataset."""
        self.dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        """Forwarded to the mapped dataset."""
        self.dataset.on_epoch_end()

    def __getattr__(self, name: str) -> Any:
        # Attributes of the mapped dataset (`class_names`, `file_paths`...) stay reachable.
        if name.startswith("__") or name in ("dataset", "function"):
            raise AttributeError(name)
        return getattr(self.dataset, name)


def as_tensors(value: Any) -> Any:
    """``value`` (an array, or a list/tuple/dict of arrays) with each numeric array made a tensor (text stays numpy).

    Args:
        value: part of a batch.
    """
    if isinstance(value, dict):
        return {key: _as_tensor(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_as_tensor(v) for v in value)
    return _as_tensor(value)


def _as_tensor(value):
    from kerasette import ops

    if isinstance(value, np.ndarray) and value.dtype.kind in "USO":
        return value  # text stays on the host, for TextVectorization and the lookup layers
    return ops.convert_to_tensor(value)


def check_parallelism(dataset: PyDataset) -> None:
    """Check ``workers``, ``use_multiprocessing`` and ``max_queue_size`` of ``dataset``.

    Args:
        dataset: a ``PyDataset``.

    Raises:
        ValueError: ``workers`` is not an int >= 0, ``max_queue_size`` not an int >= 1, or
            ``use_multiprocessing=True`` comes with ``workers=0`` (no process to use).
    """
    workers, processes, queue_size = dataset.workers, dataset.use_multiprocessing, dataset.max_queue_size
    name = type(dataset).__name__
    if isinstance(workers, bool) or not isinstance(workers, numbers.Integral) or workers < 0:
        raise ValueError(f"Invalid value for argument `workers` of PyDataset `{name}`. Expected an int >= 0. "
                         f"Received: workers={workers!r}")
    if not isinstance(processes, bool):
        raise ValueError(f"Invalid value for argument `use_multiprocessing` of PyDataset `{name}`. Expected a bool. "
                         f"Received: use_multiprocessing={processes!r}")
    if isinstance(queue_size, bool) or not isinstance(queue_size, numbers.Integral) or queue_size < 1:
        raise ValueError(f"Invalid value for argument `max_queue_size` of PyDataset `{name}`. Expected an int >= 1. "
                         f"Received: max_queue_size={queue_size!r}")
    if processes and workers == 0:
        raise ValueError(f"Invalid arguments of PyDataset `{name}`: use_multiprocessing=True needs workers >= 1 "
                         "(the number of processes). Received: workers=0. Use workers=0 without "
                         "use_multiprocessing to make batches on the main thread.")
