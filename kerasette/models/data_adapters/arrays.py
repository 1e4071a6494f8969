"""``ArrayAdapter``: mini-batches of arrays held in memory (checked whole by the model before the first step).

The data thread gathers each batch's rows (``array[index]``); the main thread uploads them. The
order of an epoch comes from ``batch_indices``: keyed by ``(seed, epoch)``, so a resumed run sees
the batches an uninterrupted one would.
"""

from __future__ import annotations

import threading
from typing import Any, Iterator, Optional

from kerasette.models import data_adapter as da
from kerasette.models.data_adapters.adapter import DataAdapter


class ArrayAdapter(DataAdapter):
    """Batches of host arrays, one pass (or ``steps`` batches) per epoch.

    Args:
        xs: host arrays, one per model input (already checked and cast by the model).
        ys: host arrays, one per model output, or None.
        sample_weight: per-sample weights, or None.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: True, False or ``"batch"`` (see ``batch_indices``).
        steps: batches per epoch (wrapping around the data), or None for one pass.
        seed: the shuffling seed.
    """

    def __init__(self, xs: list, ys: Optional[list] = None, sample_weight: Any = None, batch_size: int = 32,
                 shuffle: Any = False, steps: Optional[int] = None, seed: int = 0) -> None:
        self.xs, self.ys, self.sample_weight = xs, ys, sample_weight
        self.batch_size, self.shuffle, self.steps, self.seed = batch_size, shuffle, steps, seed

    @property
    def num_samples(self) -> int:
        """The number of samples in one pass over the data."""
        return len(self.xs[0])

    # Set by kerasette.distribute (a ``Sharding``): each epoch runs over global batches of
    # ``batch_size * sharding.size`` samples, of which this process takes ``sharding.take``'s part.
    sharding = None

    @property
    def num_batches(self) -> int:
        """Batches per epoch: ``steps``, or enough to cover every sample once (over all processes when sharded)."""
        return self.steps or -(-self.num_samples // (self.batch_size * (self.sharding.size if self.sharding else 1)))

    def epoch_indices(self, epoch: int = 0) -> list:
        """The sample indices of each batch of epoch number ``epoch``.

        Args:
            epoch: the epoch's number over the model's life.
        """
        if self.sharding is None:
            return da.batch_indices(self.num_samples, self.batch_size, self.shuffle, self.steps, self.seed, epoch)
        global_size = self.batch_size * self.sharding.size
        return self.sharding.take(da.batch_indices(self.num_samples, global_size, self.shuffle, self.steps, self.seed,
                                                   epoch))

    def host_batches(self, epoch: int, stop: threading.Event) -> Iterator[Any]:
        """Yield ``(xs, ys, sample_weight)`` gathered at each batch's indices.

        Args:
            epoch: the epoch's number.
            stop: unused (gathering never waits).
        """
        for index in self.epoch_indices(epoch):
            yield self.read(index)

    def read(self, index: Any) -> tuple:
        """The rows at ``index`` of every array: ``(xs, ys, sample_weight)``.

        Args:
            index: an index array.
        """
        return ([a[index] for a in self.xs], None if self.ys is None else [a[index] for a in self.ys],
                None if self.sample_weight is None else self.sample_weight[index])
