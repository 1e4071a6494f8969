"""``FileDataset``: what the directory datasets (images, texts, audio) share: batching files and dealing them anew.

A subclass reads one file (``_load(row)``) and stacks a batch of them (``_collate(items)``); this base class
holds the files, their labels and class names, encodes the labels for ``label_mode``, and, with ``shuffle``,
deals the files into batches in a new order every epoch (drawn from ``seed`` and the epoch).
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from kerasette.utils import directory_index
from kerasette.utils.py_dataset import PyDataset, batch_count, batch_of


class FileDataset(PyDataset):
    """Batches of samples read from files, with their labels; the base of the ``*_dataset_from_directory`` results.

    Each batch is ``(samples, labels)`` (or ``samples`` alone without labels); labels int32 (``"int"``),
    float32 one-hot (``"categorical"``) or float32 of shape (batch, 1) (``"binary"``).

    Args:
        file_paths: the files.
        labels: an int label per file, or None.
        class_names: the class names (index = label), or None.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        batch_size: samples per batch (None: one sample per item, without a batch axis).
        shuffle: deal the files in a new order every epoch.
        seed: the shuffling seed.
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size`` (see ``PyDataset``).
    """

    def __init__(self, file_paths: List[str], labels: Any, class_names: Optional[List[str]],
                 label_mode: Optional[str], batch_size: Optional[int] = 32, shuffle: bool = False, seed: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file_paths, self.labels, self.class_names = list(file_paths), labels, class_names
        self.label_mode, self.batch_size, self.shuffle, self.seed = label_mode, batch_size, shuffle, seed
        self._epoch = 0
        self._order = np.arange(len(self.file_paths))

    def _load(self, row: int) -> Any:
        """The sample read from file ``row``."""
        raise NotImplementedError

    def _collate(self, items: List[Any], rows: np.ndarray) -> Any:
        """One batch made of the samples ``items`` (read from the files ``rows``)."""
        return np.stack(items)

    def __len__(self) -> int:
        return batch_count(len(self.file_paths), self.batch_size)

    def __getitem__(self, index: int) -> Any:
        """Batch ``index``: ``(samples, labels)``, or ``samples`` without labels.

        Args:
            index: the batch's position.
        """
        rows = batch_of(self._order, index, self.batch_size)
        if self.batch_size is None:
            sample = self._load(rows)
            return sample if self.labels is None else (sample, self._encode(self.labels[rows : rows + 1])[0])
        batch = self._collate([self._load(row) for row in rows], rows)
        return batch if self.labels is None else (batch, self._encode(self.labels[rows]))

    def _encode(self, labels):
        return directory_index.encode_labels(labels, self.label_mode, len(self.class_names or ()))

    def on_epoch_end(self) -> None:
        """Deal the files into batches in a new order for the next epoch (with ``shuffle``)."""
        self._epoch += 1
        if self.shuffle:
            self._order = np.random.default_rng([int(self.seed), self._epoch]).permutation(len(self.file_paths))
