"""``ArrayLikeAdapter``: h5py datasets and numpy memmaps passed as ``x``/``y``, read batch by batch.

The data is never loaded whole: each batch's rows are read when the batch is made (in the data
thread), at sorted indices (HDF5 reads need increasing indices; the batch holds the same samples
as the in-memory order would, only sorted), or as one contiguous slice when they are consecutive
(``shuffle=False``, or ``shuffle="batch"``, the fastest from disk). Each batch is checked as it is
read (``BatchChecker``); arrays in memory may sit alongside (``y`` in memory, say).
"""

from __future__ import annotations

import threading
from typing import Any, Iterator, Optional

import numpy as np

from kerasette.models.data_adapters.arrays import ArrayAdapter
from kerasette.models.data_adapters.batch_checks import BatchChecker, leaves


def is_array_like(value: Any) -> bool:
    """Whether ``value`` is an array on disk read batch by batch: an h5py ``Dataset`` or a numpy memmap.

    Args:
        value: a candidate ``x``/``y`` (or one of their leaves).
    """
    if isinstance(value, np.memmap):
        return True
    kind = type(value)
    return kind.__name__ == "Dataset" and kind.__module__.startswith("h5py")


def holds_array_like(*values: Any) -> bool:
    """Whether any leaf of ``values`` (arrays, or lists/dicts of them) is an h5py dataset or a memmap.

    Args:
        *values: ``x``, ``y``, ``sample_weight``.
    """
    return any(is_array_like(leaf) for value in values if value is not None
               for _, leaf in leaves((value,)))


def _describe(value):
    return "a numpy memmap" if isinstance(value, np.memmap) else "an HDF5 dataset"


def read_rows(array: Any, index: np.ndarray) -> np.ndarray:
    """The rows of ``array`` at sorted, distinct ``index``: one slice when they are consecutive.

    Args:
        array: an h5py dataset, a memmap or a numpy array.
        index: increasing row indices.
    """
    if len(index) and int(index[-1]) - int(index[0]) + 1 == len(index):
        return np.array(array[int(index[0]) : int(index[-1]) + 1])
    return np.array(array[index])


class ArrayLikeAdapter(ArrayAdapter):
    """Batches read from h5py datasets or memmaps (and arrays beside them), checked one by one.

    Args:
        model: the model (checks each batch, and is built from the first).
        x: the inputs: an array-like, or a list/dict of them.
        y: the targets, or None.
        sample_weight: per-sample weights, or None.
        batch_size: samples per batch.
        shuffle: True (sorted reads of a random sample per batch), False or ``"batch"``.
        steps: batches per epoch, or None for one pass.
        seed: the shuffling seed.
        class_weight: ``{class: weight}``, or None.
        argument: the argument the data came in, for messages.
        need_y: whether targets are required.
        rows: the ``(start, stop)`` range of rows to use (``validation_split`` makes two).
    """

    def __init__(self, model: Any, x: Any, y: Any = None, sample_weight: Any = None, batch_size: int = 32,
                 shuffle: Any = False, steps: Optional[int] = None, seed: int = 0, class_weight: Optional[dict] = None,
                 argument: str = "x", need_y: bool = True, rows: Optional[tuple] = None) -> None:
        self.parts = (x, y, sample_weight)
        self.batch_size, self.shuffle, self.steps, self.seed = batch_size, shuffle, steps, seed
        self.options = {"class_weight": class_weight, "argument": argument, "need_y": need_y}
        count = self._check_leaves(argument)
        self.rows = rows or (0, count)
        disk = next(leaf for value in self.parts if value is not None for _, leaf in leaves((value,))
                    if is_array_like(leaf))
        source = f"`{argument}` ({_describe(disk)})"
        self.checker = BatchChecker(model, source, argument, need_y, class_weight)
        start, stop = self.rows
        self.checker.first(self._read(np.arange(start, min(start + batch_size, stop))))
        self.model = model

    def _check_leaves(self, argument):
        """Numeric dtypes and one length for every leaf, read from metadata only; returns the length."""
        counts = {}
        for part, value in zip(("x", "y", "sample_weight"), self.parts):
            if value is None:
                continue
            for label, leaf in leaves((value,)):
                name = part + label[1:]
                dtype = np.dtype(leaf.dtype) if hasattr(leaf, "dtype") else np.asarray(leaf).dtype
                shape = tuple(leaf.shape) if hasattr(leaf, "shape") else np.shape(leaf)
                if dtype.kind not in "biuf":
                    raise ValueError(f"Invalid value for argument `{argument}`: `{name}` has dtype {dtype}. Expected "
                                     "real numbers.")
                if not shape:
                    raise ValueError(f"Invalid value for argument `{argument}`: `{name}` is a scalar. Expected an "
                                     "array with one row per sample.")
                counts[name] = len(leaf)
        if len(set(counts.values())) > 1:
            raise ValueError(f"The arrays of `{argument}` must have the same number of samples. Received: "
                             + ", ".join(f"{name}: {count}" for name, count in counts.items()))
        count = next(iter(counts.values()))
        if count == 0:
            raise ValueError(f"Invalid value for argument `{argument}`: the data is empty (0 samples).")
        return count

    @property
    def num_samples(self) -> int:
        """The number of rows this adapter reads from."""
        return self.rows[1] - self.rows[0]

    def host_batches(self, epoch: int, stop: threading.Event) -> Iterator[Any]:
        """Yield each batch of the epoch: read from disk at sorted indices, then checked.

        Args:
            epoch: the epoch's number (it keys the shuffled order).
            stop: unused (a read is not interrupted).
        """
        for position, index in enumerate(self.epoch_indices(epoch)):
            yield self.checker.check(position, self._read(index + self.rows[0]))

    def _read(self, index):
        index = np.sort(np.asarray(index))
        return tuple(_read_structure(value, index) for value in self.parts if value is not None)

    def split(self, validation_split: float) -> tuple:
        """``(train, validation)`` adapters over the first and the last ``validation_split`` of the rows.

        Args:
            validation_split: the fraction held out, taken from the end (before shuffling), as for arrays.
        """
        if not 0 <= validation_split < 1:
            raise ValueError(f"Invalid value for argument `validation_split`. Expected a float in [0, 1). "
                             f"Received: validation_split={validation_split!r}")
        start, stop = self.rows
        split_at = start + int((stop - start) * (1 - validation_split))
        if split_at in (start, stop):
            raise ValueError(f"validation_split={validation_split} leaves no samples for "
                             f"{'training' if split_at == start else 'validation'} out of {stop - start}.")
        train = self._view((start, split_at), self.steps, self.shuffle, self.options)
        options = dict(self.options, class_weight=None, argument="validation_split")
        return train, self._view((split_at, stop), None, False, options)

    def _view(self, rows, steps, shuffle, options):
        x, y, sample_weight = self.parts
        return ArrayLikeAdapter(self.model, x, y, sample_weight, self.batch_size, shuffle, steps, self.seed,
                                rows=rows, **options)


def _read_structure(value, index):
    if isinstance(value, dict):
        return {key: _read_structure(v, index) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_read_structure(v, index) for v in value)
    return read_rows(value, index)
