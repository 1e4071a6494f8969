"""PyDataset workers (threads and spawned processes): results in order, errors raised promptly, and nothing
left running after fit, whether it ends, fails or is interrupted."""

import multiprocessing
import os
import signal
import threading
import time

import numpy as np
import pytest
from pipeline_datasets import ArrayDataset, FailingDataset, SlowDataset, UnpicklableDataset, arrays, model

import kerasette as ks


def _ours():
    """Data threads and worker processes still alive (the numpy backend's own pool threads are not ours)."""
    threads = [t.name for t in threading.enumerate() if t.name.startswith(("kerasette-prefetch", "kerasette-data"))]
    return threads + [p.name for p in multiprocessing.active_children()]


@pytest.fixture
def nothing_left():
    before = {t.ident for t in threading.enumerate()}
    yield
    assert _ours() == []
    extra = [t.name for t in threading.enumerate()
             if t.ident not in before and not t.name.startswith("kerasette-numpy")]
    assert extra == []


class Dying(ArrayDataset):
    def __getitem__(self, index):
        if index == 1:
            os._exit(3)
        return super().__getitem__(index)


def test_worker_processes_give_the_batches_of_threads(backend, nothing_left):
    x, y = arrays(40)
    with_threads = model()
    with_threads.fit(ArrayDataset(x, y, 8, workers=2), epochs=2, verbose=0)
    with_processes = model()
    with_processes.fit(ArrayDataset(x, y, 8, workers=2, use_multiprocessing=True), epochs=2, verbose=0)
    for got, expected in zip(with_processes.get_weights(), with_threads.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_a_raising_worker_process_makes_fit_raise_its_error(nothing_left):
    x, y = arrays(40)
    with pytest.raises(KeyError, match="no batch 3 here") as info:
        model().fit(FailingDataset(x, y, 3, workers=2, use_multiprocessing=True), shuffle=False, verbose=0)
    assert "while making batch 3" in "".join(info.value.__notes__)


@pytest.mark.parametrize("workers", [1, 3])
def test_a_raising_worker_thread_makes_fit_raise_promptly(workers, nothing_left):
    x, y = arrays(800)
    start = time.perf_counter()
    with pytest.raises(KeyError, match="no batch 2 here") as info:
        model().fit(FailingDataset(x, y, 2, workers=workers), epochs=50, shuffle=False, verbose=0)
    assert time.perf_counter() - start < 20  # long before the 50 epochs
    assert "__getitem__(2)" in "".join(info.value.__notes__)


def test_a_worker_process_that_dies_is_reported(nothing_left):
    x, y = arrays(40)
    with pytest.raises(RuntimeError, match="Data worker process .* stopped unexpectedly .*exit code 3"):
        model().fit(Dying(x, y, 8, workers=1, use_multiprocessing=True), shuffle=False, verbose=0)


@pytest.mark.parametrize("processes", [False, True])
def test_ctrl_c_stops_the_workers(processes, nothing_left):
    x, y = arrays(400)

    def interrupt(batch, logs):
        if batch == 2:  # Ctrl-C in a terminal: SIGINT to the whole process group (workers ignore it)
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGINT)
            signal.raise_signal(signal.SIGINT)

    data = SlowDataset(x, y, 0.01, 8, workers=2, use_multiprocessing=processes)
    with pytest.raises(KeyboardInterrupt):
        model().fit(data, epochs=3, verbose=0, callbacks=[ks.callbacks.LambdaCallback(on_train_batch_end=interrupt)])


def test_an_unpicklable_dataset_with_processes_is_a_clear_error(nothing_left):
    x, y = arrays(16)
    with pytest.raises(ValueError, match="cannot be pickled.*use_multiprocessing=False"):
        model().fit(UnpicklableDataset(x, y, workers=1, use_multiprocessing=True), verbose=0)


def test_bad_worker_settings_are_refused():
    x, y = arrays(16)
    with pytest.raises(ValueError, match="use_multiprocessing=True needs workers >= 1"):
        ArrayDataset(x, y, workers=0, use_multiprocessing=True)
    data = ArrayDataset(x, y)
    data.workers = -1
    with pytest.raises(ValueError, match="Invalid value for argument `workers` of PyDataset `ArrayDataset`"):
        model().fit(data, verbose=0)
    with pytest.raises(ValueError, match="`max_queue_size`"):
        ArrayDataset(x, y, max_queue_size=0)
