"""Run under mpiexec: train the MLP and the CNN data-parallel, then (rank 0, alone) the single-process references.

Usage: mpiexec -n N python train_equivalence.py OUT.npz [mlp] [cnn] [deterministic]

Rank 0 writes every rank's final weights (``<kind>/rank<r>/<i>``) and the reference weights (``<kind>/ref/<i>``):
one process at batch size ``N * B``. With ``deterministic``, gradients are reduced in rank order, the data set is
cut to a multiple of the global batch, and the MLP's reference is one process accumulating the gradients of the
same ``N`` parts of ``B`` samples in rank order (``gradient_accumulation_steps=N``).
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mpi_models  # noqa: E402

import kerasette  # noqa: E402
from kerasette import distribute as hvd  # noqa: E402

deterministic = "deterministic" in sys.argv[2:]
kinds = [k for k in ("mlp", "cnn") if k in sys.argv[2:]] or ["mlp", "cnn"]
hvd.init(deterministic=deterministic)
size, arrays = hvd.size(), {}
sizes = mpi_models.DIVISIBLE if deterministic else None
for kind in kinds:
    batch = mpi_models.SIZES[kind][1]
    callbacks = [hvd.callbacks.BroadcastGlobalVariablesCallback(0), hvd.callbacks.MetricAverageCallback()]
    weights, history = mpi_models.train(kind, batch, wrap=hvd.DistributedOptimizer, callbacks=callbacks,
                                        sizes=sizes if kind == "mlp" else None)
    every = hvd.communicator().gather(weights, root=0)
    if hvd.rank() == 0:
        for r, rank_weights in enumerate(every):
            arrays.update({f"{kind}/rank{r}/{i}": w for i, w in enumerate(rank_weights)})
        arrays[f"{kind}/loss"] = np.array(history["loss"])
hvd.shutdown()
if hvd.communicator() is None and int(os.environ.get("OMPI_COMM_WORLD_RANK", "0")) == 0:
    for kind in kinds:
        batch = mpi_models.SIZES[kind][1]
        if deterministic and kind == "mlp":
            reference, _ = mpi_models.train(kind, batch, accumulation=size if size > 1 else None, sizes=sizes)
        else:
            reference, history = mpi_models.train(kind, size * batch)
            arrays[f"{kind}/ref_loss"] = np.array(history["loss"])
        arrays.update({f"{kind}/ref/{i}": w for i, w in enumerate(reference)})
    arrays["backend"] = np.array(kerasette.backends.backend())
    np.savez(sys.argv[1], **arrays)
