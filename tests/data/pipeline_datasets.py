"""Datasets and models shared by the input-pipeline tests.

The PyDataset classes live at module level so worker processes (started with spawn) can unpickle them.
"""

import time

import numpy as np

import kerasette as ks


def arrays(count=40, features=4, seed=0):
    """``(x, y)``: float32 features and int64 labels of a separable two-class problem."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, features)).astype("float32")
    return x, (x[:, 0] - x[:, 1] > 0).astype("int64")


def model(features=4, seed=0, metrics=("accuracy",), optimizer="sgd"):
    """A small classifier with fixed initial weights (the same for every backend)."""
    ks.utils.set_random_seed(seed)
    net = ks.Sequential([ks.Input((features,)), ks.layers.Dense(6, activation="relu"),
                         ks.layers.Dense(2, activation="softmax")])
    net.set_weights([np.random.default_rng(seed + i).normal(scale=0.5, size=w.shape).astype("float32")
                     for i, w in enumerate(net.get_weights())])
    net.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return net


class ArrayDataset(ks.utils.PyDataset):
    """Batches ``batch_size`` rows of ``x``/``y`` (and ``sample_weight``); records what it was asked."""

    def __init__(self, x, y=None, batch_size=8, sample_weight=None, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.sample_weight, self.batch_size = x, y, sample_weight, batch_size
        self.calls, self.events = [], []

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def rows(self, index):
        return slice(index * self.batch_size, (index + 1) * self.batch_size)

    def __getitem__(self, index):
        self.calls.append(index)
        rows = self.rows(index)
        if self.y is None:
            return self.x[rows]
        if self.sample_weight is None:
            return self.x[rows], self.y[rows]
        return self.x[rows], self.y[rows], self.sample_weight[rows]

    def on_epoch_begin(self):
        self.events.append("begin")

    def on_epoch_end(self):
        self.events.append("end")


class DictDataset(ArrayDataset):
    """Batches as ``({"a": ..., "b": ...}, y)`` for a two-input functional model."""

    def __getitem__(self, index):
        rows = self.rows(index)
        return {"a": self.x[rows, :2], "b": self.x[rows, 2:]}, self.y[rows]


class FailingDataset(ArrayDataset):
    """Raises ``KeyError`` for batch ``fail_at`` (in a thread or a worker process alike)."""

    def __init__(self, x, y, fail_at, batch_size=8, **kwargs):
        super().__init__(x, y, batch_size, **kwargs)
        self.fail_at = fail_at

    def __getitem__(self, index):
        if index == self.fail_at:
            raise KeyError(f"no batch {index} here")
        return super().__getitem__(index)


class SlowDataset(ArrayDataset):
    """Each batch takes ``delay`` seconds (to see that training does not wait for all of them)."""

    def __init__(self, x, y, delay, batch_size=8, **kwargs):
        super().__init__(x, y, batch_size, **kwargs)
        self.delay = delay

    def __getitem__(self, index):
        time.sleep(self.delay)
        return super().__getitem__(index)


class ShiftingDataset(ArrayDataset):
    """Batch ``bad_at`` differs from the others as ``change`` says ("shape", "dtype", "structure", "nan")."""

    def __init__(self, x, y, bad_at, change, batch_size=8, **kwargs):
        super().__init__(x, y, batch_size, **kwargs)
        self.bad_at, self.change = bad_at, change

    def __getitem__(self, index):
        x, y = super().__getitem__(index)
        if index != self.bad_at:
            return x, y
        if self.change == "shape":
            return x[:, :3], y
        if self.change == "dtype":
            return x.astype("float64"), y
        if self.change == "structure":
            return x, y, np.ones(len(y), "float32"), y
        if self.change == "nan":
            x = x.copy()
            x[0, 0] = np.nan
            return x, y
        if self.change == "empty":
            return x[:0], y[:0]
        raise AssertionError(self.change)


class InfiniteDataset(ks.utils.PyDataset):
    """An endless stream of batches of one fixed array (``num_batches`` is None)."""

    def __init__(self, x, y, batch_size=8, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.calls = []

    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        self.calls.append(index)
        start = (index * self.batch_size) % len(self.x)
        return self.x[start : start + self.batch_size], self.y[start : start + self.batch_size]


class UnpicklableDataset(ArrayDataset):
    """Holds a lambda, so it cannot be sent to worker processes."""

    def __init__(self, x, y, **kwargs):
        super().__init__(x, y, **kwargs)
        self.transform = lambda batch: batch
