"""Dealing a PyDataset's batches out to the ranks, in one process (``BatchSharding`` and the adapter's use of it).

The mpiexec runs are in ``test_mpi_py_dataset.py``; here each rank's view is built in turn.
"""

import threading

import numpy as np
import pytest

import kerasette as keras
from kerasette.distribute import fit_hook
from kerasette.distribute.sharding import BatchSharding
from kerasette.models.data_adapters import PyDatasetAdapter


class Sized(keras.utils.PyDataset):
    """Batch ``i`` holds ``3 + i % 2`` samples, each equal to the batch's index."""

    def __init__(self, batches=7, infinite=False):
        super().__init__(workers=0)
        self.batches, self.infinite = batches, infinite
        self.epoch_ends = 0

    @property
    def num_batches(self):
        return None if self.infinite else self.batches

    def __len__(self):
        return self.batches

    def __getitem__(self, index):
        x = np.full((3 + index % 2, 2), float(index), dtype="float32")
        return x, x[:, :1]

    def on_epoch_end(self):
        self.epoch_ends += 1


def _adapters(size, dataset_factory=Sized, **options):
    adapters = []
    for rank in range(size):
        model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        adapter = PyDatasetAdapter(model, dataset_factory(), **options)
        adapter.sharding = BatchSharding(rank, size)
        adapters.append(adapter)
    return adapters


def _epoch(adapter, epoch):
    """(batch index, samples recorded for the step) of each step of the epoch, through ``host_batches``."""
    made = []
    for step, host in enumerate(adapter.host_batches(epoch, threading.Event())):
        made.append((int(host[0][0][0, 0]), adapter.sharding.counts(step)[adapter.sharding.rank]))
    return made


@pytest.mark.parametrize("size", [2, 3, 4])
def test_the_ranks_read_each_batch_of_the_shuffled_order_once(size):
    adapters = _adapters(size, shuffle=True, seed=5)
    order = np.random.default_rng([5, 2]).permutation(7).tolist()  # what one process visits in epoch 2
    steps = -(-7 // size)
    assert all(adapter.num_batches == steps for adapter in adapters)
    epochs = [_epoch(adapter, 2) for adapter in adapters]
    for step in range(steps):
        group = order[step * size : (step + 1) * size]
        for rank, made in enumerate(epochs):
            key, samples = made[step]
            if rank < len(group):
                assert (key, samples) == (group[rank], 3 + group[rank] % 2)
            else:  # the placeholder: the step's first batch again, counting no sample
                assert (key, samples) == (group[0], 0)


def test_steps_per_epoch_counts_steps_of_every_rank_and_wraps_around():
    adapters = _adapters(2, steps=5)
    assert adapters[1].num_batches == 5
    assert [key for key, _ in _epoch(adapters[1], 0)] == [1, 3, 5, 0, 2]  # of 0..6, 0..2 again


def test_an_infinite_dataset_continues_over_all_ranks_reads():
    adapters = _adapters(2, lambda: Sized(infinite=True), steps=3)
    assert [[key for key, _ in _epoch(adapter, 0)] for adapter in adapters] == [[0, 2, 4], [1, 3, 5]]
    assert [[key for key, _ in _epoch(adapter, 1)] for adapter in adapters] == [[6, 8, 10], [7, 9, 11]]


def test_a_mapped_dataset_records_the_samples_of_its_raw_batches():
    adapter = _adapters(3, lambda: Sized().map(lambda x, y: (x * 2.0, y)))[1]
    made = [host for host in adapter.host_batches(0, threading.Event())]
    assert [int(np.asarray(host[0])[0, 0]) for host in made] == [1, 4, 6]  # the last step: batch 6, a placeholder
    assert [adapter.sharding.counts(step)[1] for step in range(3)] == [4, 3, 0]


def test_take_deals_whole_batches_and_marks_placeholders():
    sharding = BatchSharding(rank=1, size=3)
    assert sharding.steps(7) == 3 and sharding.steps(6) == 2
    assert sharding.take([6, 5, 4, 3, 2, 1, 0]) == [5, 2, 0]
    assert sharding.real == [True, True, False]
    sharding.record(2, 4)
    assert sharding.counts(2) == (0, 0, 0)  # a placeholder counts no sample


def test_the_hook_deals_a_py_dataset_out_without_a_warning(monkeypatch):
    monkeypatch.setattr(fit_hook._runtime, "size", lambda: 4)
    monkeypatch.setattr(fit_hook._runtime, "rank", lambda: 3)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    adapter = PyDatasetAdapter(model, Sized(), shuffle=False)
    fit_hook.DistributeHook().prepare_data(model, adapter)  # filterwarnings=error: no "not sharded" warning
    assert isinstance(adapter.sharding, BatchSharding)
    assert (adapter.sharding.rank, adapter.sharding.size, adapter.num_batches) == (3, 4, 2)
    assert adapter.epoch_keys(0) == [3, 4]  # batch 3, then a placeholder (batch 4, the last step's first)
