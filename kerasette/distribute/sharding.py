"""Each rank's part of every global batch: the same global order everywhere, disjoint parts.

``fit(batch_size=B)`` on ``n`` ranks trains on global batches of ``n * B`` samples, drawn from the
order one process would use at batch size ``n * B`` (``batch_indices``, keyed by the shared
shuffling seed and the epoch number). Rank ``k`` takes the ``k``-th of ``n`` contiguous parts of
each global batch. The parts of the last, smaller batch differ by at most one sample; a rank whose
part is empty trains on a placeholder (the global batch's first sample) whose loss is weighted 0,
so every rank runs the same number of steps and the update is the one of the whole global batch.

>>> import numpy as np
>>> sharding = Sharding(rank=1, size=2)
>>> [index.tolist() for index in sharding.take([np.arange(0, 4), np.arange(4, 5)])]
[[2, 3], [4]]
>>> sharding.shares[1]
Share(local_count=0, global_count=1, uniform=False)
"""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import numpy as np

from kerasette.distribute import collectives
from kerasette.distribute.replica import Share


def split_sizes(count: int, parts: int) -> List[int]:
    """The sizes of ``parts`` contiguous parts of ``count`` samples (the first ones one larger).

    Args:
        count: the samples of a global batch.
        parts: the number of ranks.

    Returns:
        A list of ``parts`` ints that add up to ``count``.

    Example:
        >>> split_sizes(5, 4)
        [2, 1, 1, 1]
    """
    base, extra = divmod(int(count), int(parts))
    return [base + (1 if k < extra else 0) for k in range(parts)]


class Sharding:
    """Rank ``rank``'s part of each global batch of an epoch, and what each part weighs.

    ``take`` is called once per epoch with the global batches' indices (in the data thread, before
    the epoch's first step); ``shares`` then holds one ``Share`` per step, read by
    ``kerasette.distribute`` just before each step.

    Args:
        rank: this process's rank.
        size: the number of ranks.
    """

    def __init__(self, rank: int, size: int) -> None:
        self.rank, self.size = int(rank), int(size)
        self.shares: List[Share] = []

    def take(self, global_batches: Sequence[np.ndarray]) -> List[np.ndarray]:
        """This rank's part of each global batch (a placeholder index where the part is empty).

        Args:
            global_batches: one index array per global batch, in step order.

        Returns:
            One index array per step.
        """
        parts, shares = [], []
        for index in global_batches:
            index = np.asarray(index)
            sizes = split_sizes(len(index), self.size)
            start = sum(sizes[: self.rank])
            part = index[start : start + sizes[self.rank]]
            shares.append(Share(len(part), len(index), uniform=len(set(sizes)) == 1))
            parts.append(part if len(part) else index[:1])
        self.shares = shares
        return parts

    def share(self, step: int) -> Share:
        """The share of step ``step`` of the current epoch.

        Args:
            step: the step's number in the epoch.
        """
        return self.shares[step]


class BatchSharding:
    """Rank ``rank``'s batches of a ``PyDataset`` in each epoch: one whole batch per rank and step.

    Step ``k`` of an epoch on ``n`` ranks trains on the dataset's batches ``n * k`` to ``n * k + n - 1``
    of the epoch's order (the shared shuffled order with ``shuffle=True``), rank ``r`` taking batch
    ``n * k + r``: the ranks together read every batch once, and all run ``ceil(len(dataset) / n)``
    steps. In the last step of an uneven epoch the ranks past the last batch train on a placeholder
    (that step's first batch, read again) whose loss is weighted 0. As the batches' sizes are only
    known once read, ``share`` adds up the ranks' sample counts (one small allreduce per step), so the
    averaged gradient is that of the step's batches laid end to end: one process training on those
    concatenated batches reaches the same weights.

    Args:
        rank: this process's rank.
        size: the number of ranks.

    Example:
        >>> sharding = BatchSharding(rank=2, size=3)
        >>> sharding.take([4, 0, 3, 1, 2])
        [3, 1]
        >>> sharding.real
        [True, False]
    """

    def __init__(self, rank: int, size: int) -> None:
        self.rank, self.size = int(rank), int(size)
        self.real: List[bool] = []
        self._counts: Dict[int, int] = {}

    def steps(self, batches: int) -> int:
        """The steps of an epoch of ``batches`` dataset batches: ``ceil(batches / size)``.

        Args:
            batches: the dataset batches the epoch visits, over all ranks.
        """
        return -(-int(batches) // self.size)

    def take(self, keys: Sequence[int]) -> List[int]:
        """The dataset batches this rank reads in each step (a placeholder where it has none).

        Args:
            keys: the epoch's batch indices, in the order one process would visit them.

        Returns:
            One batch index per step.
        """
        chosen, real = [], []
        for start in range(0, len(keys), self.size):
            group = keys[start : start + self.size]
            real.append(self.rank < len(group))
            chosen.append(group[self.rank] if real[-1] else group[0])
        self.real, self._counts = real, {}
        return chosen

    def record(self, step: int, samples: int) -> None:
        """Note the samples of the batch made for ``step`` (in the data thread, before the step runs).

        Args:
            step: the step's number in the epoch.
            samples: the batch's number of samples.
        """
        self._counts[step] = int(samples) if self.real[step] else 0

    def counts(self, step: int) -> Tuple[int, ...]:
        """Every rank's real samples in step ``step`` (a collective: every rank calls it for every step).

        Args:
            step: the step's number in the epoch.

        Returns:
            One count per rank, in rank order.
        """
        mine = np.zeros(self.size, dtype=np.int64)
        mine[self.rank] = self._counts.pop(step)
        return tuple(int(c) for c in collectives.reduce_in_place(mine, collectives.Sum))

    def share(self, step: int) -> Share:
        """The share of step ``step``: this rank's samples among the step's samples over all ranks.

        Args:
            step: the step's number in the epoch.

        Raises:
            ValueError: if the step's batches hold no sample at all (on every rank alike).
        """
        counts = self.counts(step)
        if sum(counts) == 0:
            raise ValueError(f"kerasette.distribute: step {step} of the epoch has no sample on any rank (the "
                             "PyDataset's batches are empty).")
        return Share(counts[self.rank], sum(counts), uniform=len(set(counts)) == 1)
