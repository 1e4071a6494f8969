"""Run under mpiexec: rank 1 raises at step 3; the whole job must end (non-zero) within seconds, not hang."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mpi_models  # noqa: E402

import kerasette as keras  # noqa: E402
from kerasette import distribute as hvd  # noqa: E402

hvd.init()


class FailAtStep3(keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        if batch == 3 and hvd.rank() == 1:
            raise RuntimeError("rank 1 gives up at step 3")


mpi_models.train("mlp", 8, wrap=hvd.DistributedOptimizer, callbacks=[FailAtStep3()], epochs=1000)
