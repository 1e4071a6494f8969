"""Run under mpiexec: fit on a PyDataset data-parallel, then (rank 0, alone) the single-process reference.

Usage: mpiexec -n N python train_py_dataset.py OUT.npz [equivalence|coverage|mismatch|files-*] [workers|FOLDER]

- ``equivalence``: 3 epochs, ``shuffle=False``, on a PyDataset of 15 batches of 8, 7 or 6 samples that
  reorders its samples in ``on_epoch_end``. Rank 0 writes every rank's final weights (``rank<r>/<i>``) and
  those of one process trained on the same global batches (``ref/<i>``): a PyDataset whose batch ``k`` is the
  base dataset's batches ``N * k`` to ``N * k + N - 1`` laid end to end; and (``plain/<i>``) those of one process
  on the base dataset's batches one by one, which must differ.
- ``coverage``: 2 epochs with ``shuffle=True``: which batches each rank read, in every epoch.
- ``mismatch``: every rank builds a dataset of a different length; fit must raise ValueError on every rank.
- ``files-same FOLDER`` / ``files-mismatch FOLDER``: ``image_dataset_from_directory`` with one seed on every
  rank / a seed per rank (the files in a different order on each: fit must raise ValueError on every rank).

Every mode also records, per rank, the steps run per epoch, the ``on_epoch_end`` calls and the "not sharded"
warnings, in ``info`` (a JSON string).
"""

import json
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mpi_models  # noqa: E402

import kerasette as keras  # noqa: E402
from kerasette import distribute as hvd  # noqa: E402

BATCHES, EPOCHS = 15, 3  # uneven on 2 ranks (the last step: 1 batch) and 4 (3 batches), even on 3


class Batches(keras.utils.PyDataset):
    """Batches of 8, 7, 6, 8, 7, 6... samples, dealt in a new sample order after every epoch."""

    def __init__(self, batches=BATCHES, **kwargs):
        super().__init__(**kwargs)
        self.ends = np.cumsum([8 - i % 3 for i in range(batches)])
        rng = np.random.default_rng(7)
        self.x = rng.normal(size=(int(self.ends[-1]), 6)).astype("float32")
        self.y = ((self.x[:, 0] + self.x[:, 1] * self.x[:, 2] > 0).astype("int64") + (self.x[:, 3] > 1))
        self.order = np.arange(len(self.x))
        self.epoch_ends = 0
        self.fetched = [[]]  # per epoch (the first list: fit's look at batch 0 before training)

    def __len__(self):
        return len(self.ends)

    def __getitem__(self, index):
        self.fetched[-1].append(int(index))
        rows = self.order[(self.ends[index - 1] if index else 0) : self.ends[index]]
        return self.x[rows], self.y[rows].astype("int64")

    def on_epoch_begin(self):
        self.fetched.append([])

    def on_epoch_end(self):
        self.epoch_ends += 1
        self.order = np.random.default_rng([3, self.epoch_ends]).permutation(len(self.x))


class Grouped(keras.utils.PyDataset):
    """Batch ``k``: the base dataset's batches ``parts * k`` to ``parts * k + parts - 1``, concatenated."""

    def __init__(self, base, parts):
        super().__init__(workers=0)
        self.base, self.parts = base, parts

    def __len__(self):
        return -(-len(self.base) // self.parts)

    def __getitem__(self, index):
        pieces = [self.base[i] for i in range(index * self.parts, min((index + 1) * self.parts, len(self.base)))]
        return np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])

    def on_epoch_begin(self):
        self.base.on_epoch_begin()

    def on_epoch_end(self):
        self.base.on_epoch_end()


class CountSteps(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.steps = []

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.append(0)

    def on_train_batch_begin(self, batch, logs=None):
        self.steps[-1] += 1


def train(dataset, shuffle, epochs, wrap=None, callbacks=()):
    keras.utils.set_random_seed(1)
    model = mpi_models.build("mlp")
    opt = keras.optimizers.Adam(learning_rate=0.01)
    model.compile(optimizer=opt if wrap is None else wrap(opt), loss="sparse_categorical_crossentropy")
    model.fit(dataset, epochs=epochs, shuffle=shuffle, verbose=0, callbacks=list(callbacks))
    return model.get_weights()


def train_on_files(dataset, callbacks):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Rescaling(1 / 255), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=hvd.DistributedOptimizer(keras.optimizers.SGD(0.1)), loss="sparse_categorical_crossentropy")
    model.fit(dataset, epochs=2, verbose=0, callbacks=list(callbacks))
    return model.get_weights()


mode = sys.argv[2] if len(sys.argv) > 2 else "equivalence"
workers = 2 if "workers" in sys.argv[3:] else 1
hvd.init()
size, rank, arrays = hvd.size(), hvd.rank(), {}
steps = CountSteps()
callbacks = [hvd.callbacks.BroadcastGlobalVariablesCallback(0), steps]
info = {"rank": rank}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        if mode.startswith("files"):  # files-same or files-mismatch: an image folder (argv[3]), seed per rank
            dataset = keras.utils.image_dataset_from_directory(
                sys.argv[3], color_mode="grayscale", batch_size=4, image_size=(8, 8), verbose=False,
                seed=rank + 1 if mode == "files-mismatch" else 11)
            weights = train_on_files(dataset, callbacks)
        else:
            dataset = Batches(BATCHES + rank if mode == "mismatch" else BATCHES, workers=workers)
            weights = train(dataset, mode == "coverage", 2 if mode == "coverage" else EPOCHS,
                            hvd.DistributedOptimizer, callbacks)
    except ValueError as error:
        weights, info["error"] = [], str(error)
info.update(steps=steps.steps, not_sharded=[str(w.message) for w in caught if "not sharded" in str(w.message)])
if not mode.startswith("files"):
    info.update(epoch_ends=dataset.epoch_ends, fetched=dataset.fetched[1:])
every = hvd.communicator().gather((weights, info), root=0)
if rank == 0:
    for r, (rank_weights, _) in enumerate(every):
        arrays.update({f"rank{r}/{i}": w for i, w in enumerate(rank_weights)})
    arrays["info"] = np.array(json.dumps([i for _, i in every]))
hvd.shutdown()
if hvd.communicator() is None and int(os.environ.get("OMPI_COMM_WORLD_RANK", "0")) == 0:
    if mode == "equivalence":
        reference = train(Grouped(Batches(), size), False, EPOCHS)
        arrays.update({f"ref/{i}": w for i, w in enumerate(reference)})
        plain = train(Batches(), False, EPOCHS)  # one process on the batches one by one: a different result
        arrays.update({f"plain/{i}": w for i, w in enumerate(plain)})
    arrays["backend"] = np.array(keras.backends.backend())
    np.savez(sys.argv[1], **arrays)
