"""The workers of a ``PyDataset``: threads, or spawned processes, that call ``__getitem__`` ahead of training.

Both kinds offer ``imap(keys, window, stop)``: the batches for ``keys``, in order, with up to
``window`` of them in the making at once, and ``close()``, which stops and joins every thread or
process. Processes are started with ``spawn`` (safe with the threads and OpenCL contexts of the
parent) and talk over pipes only, so closing leaves no helper thread behind. A process worker
ignores Ctrl-C: the parent stops it. The dataset is pickled to the processes at every epoch (when
it changed), so what ``on_epoch_end`` changes reaches them, as Keras's per-epoch pools do.
"""

from __future__ import annotations

import collections
import concurrent.futures
import multiprocessing
import multiprocessing.connection
import pickle
import signal
import traceback
from typing import Any, Callable, Iterable, Iterator, Tuple

_POLL = 0.05  # seconds between checks of the stop flag (and of the processes' health) while waiting
_JOIN_TIMEOUT = 5.0  # seconds a process gets to finish its batch at close before it is terminated


class ThreadWorkers:
    """``count`` threads calling ``function(key)``.

    Args:
        count: the number of threads.
        function: makes the batch for a key (``dataset.__getitem__``).
    """

    def __init__(self, count: int, function: Callable[[Any], Any]) -> None:
        self._function = function
        self._pool = concurrent.futures.ThreadPoolExecutor(count, thread_name_prefix="kerasette-data-worker")

    def imap(self, keys: Iterable[Any], window: int, stop: Any) -> Iterator[Tuple[Any, Any]]:
        """``(key, batch)`` for each key in order, ``window`` batches in the making at once.

        Args:
            keys: the batch keys (indices).
            window: how many batches may be made ahead.
            stop: a ``threading.Event``; when set, waiting stops and the iterator ends.
        """
        pending = collections.deque()
        keys = iter(keys)
        try:
            for key in keys:
                pending.append((key, self._pool.submit(self._function, key)))
                if len(pending) >= window:
                    item = self._take(pending, stop)
                    if item is None:
                        return
                    yield item
            while pending:
                item = self._take(pending, stop)
                if item is None:
                    return
                yield item
        finally:
            for _, future in pending:
                future.cancel()

    @staticmethod
    def _take(pending, stop):
        key, future = pending[0]
        while not stop.is_set():
            try:
                result = future.result(timeout=_POLL)
            except concurrent.futures.TimeoutError:
                continue
            pending.popleft()
            return key, result
        return None

    def set_dataset(self, dataset: Any) -> None:
        """Nothing to do: threads share the dataset object.

        Args:
            dataset: the dataset (unused).
        """

    def close(self) -> None:
        """Cancel what has not started and join the threads."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class ProcessWorkers:
    """``count`` spawned processes making batches of a pickled dataset.

    Args:
        count: the number of processes.
        label: how messages name the dataset (``PyDataset `Images```).
    """

    def __init__(self, count: int, label: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._label = label
        self._workers = []
        self._payload = None
        self._generation = 0
        try:
            for number in range(count):
                task_read, task_write = context.Pipe(duplex=False)
                result_read, result_write = context.Pipe(duplex=False)
                process = context.Process(target=_serve, args=(task_read, result_write), daemon=True,
                                          name=f"kerasette-data-worker-{number}")
                process.start()
                task_read.close()
                result_write.close()
                self._workers.append((process, task_write, result_read))
        except BaseException:
            self.close()
            raise

    def set_dataset(self, dataset: Any) -> None:
        """Send ``dataset`` to every process (skipped when it pickles as it did last time).

        Args:
            dataset: the PyDataset whose ``__getitem__`` the processes call.
        """
        try:
            payload = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            raise ValueError(f"use_multiprocessing=True sends {self._label} to worker processes, but it cannot be "
                             f"pickled ({type(error).__name__}: {error}). Define its class at module level and keep "
                             "no open files, locks or lambdas in it, or use threads (use_multiprocessing=False)."
                             ) from error
        if payload == self._payload:
            return
        for number, (_, tasks, _) in enumerate(self._workers):
            try:
                tasks.send(("dataset", payload))
            except OSError:
                raise self._died(number, None) from None
        self._payload = payload

    def imap(self, keys: Iterable[Any], window: int, stop: Any) -> Iterator[Tuple[Any, Any]]:
        """``(key, batch)`` for each key in order, ``window`` batches in the making at once.

        Args:
            keys: the batch keys (indices).
            window: how many batches may be made ahead.
            stop: a ``threading.Event``; when set, waiting stops and the iterator ends.
        """
        self._generation += 1  # results of an epoch that stopped early are recognised and dropped
        generation, keys, sent, arrived = self._generation, iter(keys), [], {}

        def submit():
            key = next(keys, _END)
            if key is _END:
                return False
            tasks = self._workers[len(sent) % len(self._workers)][1]
            try:
                tasks.send(("get", generation, len(sent), key))
            except OSError:
                raise self._died(len(sent) % len(self._workers), key) from None
            sent.append(key)
            return True

        while len(sent) < window and submit():
            pass
        for position in range(1 << 62):
            if position >= len(sent):
                return
            while position not in arrived:
                received = self._receive(generation, sent[position], stop)
                if received is None:
                    return
                arrived[received[0]] = received[1:]
            ok, payload = arrived.pop(position)
            if not ok:
                raise _rebuild_error(payload, position % len(self._workers), sent[position])
            yield sent[position], pickle.loads(payload)
            submit()

    def _receive(self, generation, key, stop):
        connections = {result: number for number, (_, _, result) in enumerate(self._workers)}
        while not stop.is_set():
            for connection in multiprocessing.connection.wait(list(connections), timeout=_POLL):
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    raise self._died(connections[connection], key) from None
                if message[0] == generation:
                    return message[1:]
        return None

    def _died(self, number, key):
        process = self._workers[number][0]
        process.join(_POLL)
        making = "" if key is None else f" while making batch {key}"
        return RuntimeError(f"Data worker process {number} (pid {process.pid}) of {self._label} stopped "
                            f"unexpectedly{making} (exit code {process.exitcode}). With use_multiprocessing=True the "
                            "workers are spawned: a script must keep its training code under "
                            "`if __name__ == \"__main__\":`, and the dataset's module must be importable.")

    def close(self) -> None:
        """Ask each process to stop, join it (terminate it after a grace period) and close the pipes."""
        for _, tasks, _ in self._workers:
            try:
                tasks.send(None)
            except OSError:
                pass
        for process, tasks, results in self._workers:
            process.join(_JOIN_TIMEOUT)
            if process.is_alive():
                process.terminate()
                process.join()
            tasks.close()
            results.close()
        self._workers = []


_END = object()


def _serve(tasks, results):
    """A worker process: load the dataset it is sent, make the batches it is asked for."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the parent, which stops the workers
    dataset, load_error = None, None
    while True:
        try:
            message = tasks.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "dataset":
            try:
                dataset, load_error = pickle.loads(message[1]), None
            except BaseException as error:
                dataset, load_error = None, _error_payload(error)
            continue
        _, generation, position, key = message
        try:
            if load_error is not None:
                ok, payload = False, load_error
            else:
                ok, payload = True, pickle.dumps(dataset[key], protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:
            ok, payload = False, _error_payload(error)
        try:
            results.send((generation, position, ok, payload))
        except (EOFError, OSError):
            return


def _error_payload(error):
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        pickled = pickle.dumps(error)
    except Exception:
        pickled = None
    return pickle.dumps((text, pickled))


def _rebuild_error(payload, number, key):
    text, pickled = pickle.loads(payload)
    note = f"Raised in data worker process {number} while making batch {key}:\n{text}"
    try:
        error = pickle.loads(pickled) if pickled is not None else None
    except Exception:
        error = None
    if error is None:
        return RuntimeError(note)
    if hasattr(error, "add_note"):
        error.add_note(note)
    return error
