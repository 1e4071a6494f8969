"""Data-parallel training over MPI, with Horovod's Keras API.

Start the same script on several processes (``mpiexec -n 4 python train.py``, on one machine or
several); each trains on its own part of every batch and the gradients are averaged over all of
them at each step, so the model learns as one process would with a batch ``size()`` times larger.
It needs the ``mpi`` extra: ``pip install "kerasette[mpi]"`` (mpi4py with Open MPI).

>>> import kerasette as keras
>>> from kerasette import distribute as hvd
>>> hvd.init()  # doctest: +SKIP
>>> opt = hvd.DistributedOptimizer(keras.optimizers.Adam(0.001 * hvd.size()))  # doctest: +SKIP
>>> callbacks = [hvd.callbacks.BroadcastGlobalVariablesCallback(0),
...              hvd.callbacks.MetricAverageCallback()]  # doctest: +SKIP

A Horovod script ports by changing its imports. ``fit(batch_size=B)`` is the batch of each rank (the
global batch is ``size() * B``); each rank takes its part of the same shuffled order; the ranks
agree on stopping; progress bars, checkpoints and CSV logs come from rank 0 only. See the README
("Data-parallel training over MPI").
"""

from kerasette.distribute import callbacks
from kerasette.distribute._runtime import (
    abort,
    communicator,
    init,
    is_initialized,
    local_rank,
    local_size,
    rank,
    shutdown,
    size,
)
from kerasette.distribute.collectives import (
    Average,
    Max,
    Min,
    Sum,
    allgather,
    allreduce,
    broadcast,
    broadcast_variables,
)
from kerasette.distribute.compression import Compression
from kerasette.distribute.loading import load_model
from kerasette.distribute.optimizer import DistributedOptimizer, allreduce_statistics

__all__ = [
    "Average", "Compression", "DistributedOptimizer", "Max", "Min", "Sum", "abort", "allgather", "allreduce",
    "allreduce_statistics", "broadcast", "broadcast_variables", "callbacks", "communicator", "init",
    "is_initialized", "load_model", "local_rank", "local_size", "rank", "shutdown", "size",
]
