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

from typing import List, Sequence

import numpy as np

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
