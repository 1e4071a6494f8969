"""``GeneratorAdapter``: batches from a Python generator or iterator, pulled ahead of the step.

An epoch takes ``steps`` batches (``steps_per_epoch``) from where the last one stopped, or runs
until the generator ends. A generator that ends early stops training after that epoch with
Keras's warning ("Your input ran out of data; interrupting training..."). The first batch is
pulled on the main thread (it builds the model); later ones in the data thread, which never
pulls more than the epoch needs (batches it made for an epoch that stopped early are kept for
the next).
"""

from __future__ import annotations

import collections
import threading
import types
from typing import Any, Iterator, Optional

from kerasette.models.data_adapters.adapter import DataAdapter
from kerasette.models.data_adapters.batch_checks import BatchChecker


def is_generator(value: Any) -> bool:
    """Whether ``value`` is a generator or an iterator (something ``next()`` accepts), not an array.

    Args:
        value: a candidate ``x``.
    """
    return isinstance(value, types.GeneratorType) or (hasattr(value, "__next__") and hasattr(value, "__iter__")
                                                      and not hasattr(value, "shape"))


class GeneratorAdapter(DataAdapter):
    """Batches pulled from a generator (or iterator), checked one by one.

    Args:
        model: the model (checks each batch, and is built from the first).
        generator: yields ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` batches.
        steps: batches per epoch, or None to run until the generator ends.
        class_weight: ``{class: weight}``, or None.
        argument: the argument the generator came in, for messages.
        need_y: whether targets are required.
    """

    def __init__(self, model: Any, generator: Any, steps: Optional[int] = None, class_weight: Optional[dict] = None,
                 argument: str = "x", need_y: bool = True) -> None:
        kind = "generator" if isinstance(generator, types.GeneratorType) else f"iterator `{type(generator).__name__}`"
        self.source = f"the {kind}" if argument == "x" else f"the {kind} of `{argument}`"
        self.steps = steps
        self._iterator = generator
        self._pending = collections.deque()
        self._ended = False
        try:
            first = next(generator)
        except StopIteration:
            raise ValueError(f"When passing a Python generator to a Keras model, the generator must yield at least "
                             f"one batch. Received an empty generator ({self.source} yielded no batch).") from None
        self.checker = BatchChecker(model, self.source, argument, need_y, class_weight)
        self._pending.append(self.checker.first(first))
        self._pulled = 1

    @property
    def num_batches(self) -> Optional[int]:
        """``steps``, or None (an epoch runs until the generator ends)."""
        return self.steps

    @property
    def exhausted(self) -> bool:
        """Whether the generator has ended and every batch it made was used."""
        return self._ended and not self._pending

    def host_batches(self, epoch: int, stop: threading.Event) -> Iterator[Any]:
        """Yield up to ``steps`` checked batches (kept ones first), stopping when the generator ends.

        Args:
            epoch: unused (a generator has its own order).
            stop: set when the epoch stops early.
        """
        made = 0
        while (self.steps is None or made < self.steps) and not stop.is_set():
            if self._pending:
                batch = self._pending.popleft()
            elif self._ended:
                return
            else:
                try:
                    raw = next(self._iterator)
                except StopIteration:
                    self._ended = True
                    return
                position, self._pulled = self._pulled, self._pulled + 1
                batch = self.checker.check(position, raw)
            made += 1
            yield batch

    def push_back(self, items: list) -> None:
        """Keep batches made but not used, for the next epoch.

        Args:
            items: host batches, in order.
        """
        self._pending.extendleft(reversed(items))
