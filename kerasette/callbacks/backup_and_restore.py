"""BackupAndRestore: resume an interrupted ``fit`` from its last finished epoch."""

import json
import os

from kerasette.callbacks.callback import Callback

_STATE = "training_state.json"  # {"epoch": e, "weights": file}; replacing it commits a backup


class BackupAndRestore(Callback):
    """Backs up weights, optimizer state and the epoch count to ``backup_dir`` at each epoch end.

    When ``fit`` starts and a backup exists, the model is restored from it and
    training continues with the epoch after the one backed up. After a
    ``fit`` that completes, the backup is deleted (``delete_checkpoint=True``).
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True, double_checkpoint=False):
        super().__init__()
        if not backup_dir:
            raise ValueError("Invalid value for argument `backup_dir` of callback `BackupAndRestore`. "
                             f"Expected a folder path. Received: backup_dir={backup_dir!r}")
        if save_freq != "epoch":
            raise ValueError('BackupAndRestore supports only save_freq="epoch". '
                             f"Received: save_freq={save_freq!r}")
        self.backup_dir = os.fspath(backup_dir)
        self.delete_checkpoint = delete_checkpoint
        self._state_path = os.path.join(self.backup_dir, _STATE)

    def on_train_begin(self, logs=None):
        if not os.path.exists(self._state_path):
            return
        state = self._read_state()
        self.model.load_weights(os.path.join(self.backup_dir, state["weights"]))
        self.model._initial_epoch = int(state["epoch"]) + 1

    def _read_state(self):
        with open(self._state_path, encoding="utf-8") as f:
            return json.load(f)

    def on_epoch_end(self, epoch, logs=None):
        os.makedirs(self.backup_dir, exist_ok=True)
        previous = self._read_state()["weights"] if os.path.exists(self._state_path) else None
        weights = f"epoch_{epoch + 1:04d}.weights.h5"
        self.model.save_weights(os.path.join(self.backup_dir, weights), overwrite=True)
        temp = self._state_path + ".tmp"
        with open(temp, "w", encoding="utf-8") as f:
            json.dump({"epoch": epoch, "weights": weights}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, self._state_path)  # the backup now points at the new weights
        if previous and previous != weights:
            os.remove(os.path.join(self.backup_dir, previous))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self._state_path):
            weights = self._read_state()["weights"]
            os.remove(self._state_path)
            os.remove(os.path.join(self.backup_dir, weights))
