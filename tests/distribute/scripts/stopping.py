"""Run under mpiexec: a stop decided on one rank stops every rank at the same point.

1. ``EarlyStopping`` on rank 0 only (``min_delta`` so large that nothing counts as an improvement, patience 1):
   rank 0 stops after its second epoch; the other ranks, which have no EarlyStopping, must stop there too.
2. A callback on the last rank sets ``stop_training`` after batch 2 of epoch 0: every rank must stop after it.

Each rank prints ``RESULT {"rank": r, "early_epochs": ..., "batches": ..., "epochs": ...}``.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mpi_models  # noqa: E402

import kerasette as keras  # noqa: E402
from kerasette import distribute as hvd  # noqa: E402

hvd.init()
rank, size = hvd.rank(), hvd.size()
first = [keras.callbacks.EarlyStopping(monitor="loss", min_delta=100.0, patience=1)] if rank == 0 else []
_, history = mpi_models.train("mlp", 8, wrap=hvd.DistributedOptimizer, callbacks=first, epochs=10)


class StopAfterBatch2(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch == 2 and rank == size - 1:
            self.model.stop_training = True


class Count(keras.callbacks.Callback):
    batches = 0

    def on_train_batch_end(self, batch, logs=None):
        Count.batches += 1


second = [Count()] + ([StopAfterBatch2()] if rank == size - 1 else [])
_, history_2 = mpi_models.train("mlp", 8, wrap=hvd.DistributedOptimizer, callbacks=second, epochs=3)
print("RESULT " + json.dumps({"rank": rank, "early_epochs": len(history["loss"]), "batches": Count.batches,
                              "epochs": len(history_2["loss"])}), flush=True)
