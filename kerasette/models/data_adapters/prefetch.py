"""``Prefetcher``: a background thread that runs an iterator of host batches ahead of the consumer.

The thread puts each item in a bounded queue (so at most ``depth`` batches wait in memory); the
consumer's ``next`` takes them in order. An exception in the thread is handed over and raised by
the consumer's next ``next`` (the same exception object, with its traceback from the thread).
``close`` stops the thread: the queue is drained, the iterator closed, the thread joined; it returns
every item made and not taken (including one the thread made as the stop came).
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Iterator, List, Optional

_POLL = 0.05  # seconds between checks of the stop flag while the queue is full (or empty)
_JOIN_TIMEOUT = 30.0  # the most close() waits for a thread stuck in user code


class Prefetcher:
    """Run ``iterator`` in a thread, up to ``depth`` items ahead of ``next``.

    Args:
        iterator: yields the items (host batches); it runs in the thread only.
        depth: the most items waiting in the queue.
        stop: the event that stops the thread (also seen by ``iterator``, to stop waiting); a new one if None.
        name: the thread's name.
    """

    def __init__(self, iterator: Iterator[Any], depth: int, stop: Optional[threading.Event] = None,
                 name: str = "kerasette-prefetch") -> None:
        self._iterator = iter(iterator)
        self._queue: queue.Queue = queue.Queue(max(1, int(depth)))
        self._stop = stop if stop is not None else threading.Event()
        self._done = False
        self._unsent: List[Any] = []  # an item made when the stop came, never queued
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            while not self._stop.is_set():
                try:
                    item = next(self._iterator)
                except StopIteration:
                    self._put(("end", None))
                    return
                if not self._put(("item", item)):
                    self._unsent.append(item)
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            self._put(("error", error))
        finally:
            close = getattr(self._iterator, "close", None)
            if close is not None:
                close()

    def _put(self, message):
        while not self._stop.is_set():
            try:
                self._queue.put(message, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> "Prefetcher":
        return self

    def __next__(self) -> Any:
        if self._done:
            raise StopIteration
        while True:
            try:
                kind, value = self._queue.get(timeout=_POLL)
                break
            except queue.Empty:
                if not self._thread.is_alive() and self._queue.empty():
                    self._done = True
                    raise RuntimeError("The data thread stopped without finishing its batches.") from None
        if kind == "item":
            return value
        self._done = True
        if kind == "end":
            raise StopIteration
        raise value

    def close(self) -> List[Any]:
        """Stop the thread and wait for it (it finishes the item it is making first).

        Returns:
            The items made but not taken, in order.
        """
        self._stop.set()
        self._done = True
        left = self._drain()
        self._thread.join(_JOIN_TIMEOUT)
        if not self._thread.is_alive():  # a put that was under way when the queue was drained, or none was
            left += self._drain() + self._unsent
            self._unsent = []
        return left

    def _drain(self):
        items = []
        try:
            while True:
                kind, value = self._queue.get_nowait()
                if kind == "item":
                    items.append(value)
        except queue.Empty:
            pass
        return items
