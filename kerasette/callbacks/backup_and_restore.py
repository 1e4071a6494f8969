"""BackupAndRestore: resume an interrupted ``fit`` from its last finished epoch."""

import json
import os

from kerasette.callbacks.callback import Callback
from kerasette.models.training_state import get_training_state, set_training_state

_STATE = "training_state.json"  # {"epoch": e, "weights": file}; replacing it commits a backup


class BackupAndRestore(Callback):
    """Backs up weights, optimizer state and the epoch count to ``backup_dir`` at each epoch end.

    When ``fit`` starts and a backup exists, the model is restored from it and
    training continues with the epoch after the one backed up. After a
    ``fit`` that completes, the backup is deleted (``delete_checkpoint=True``).

    Args:
        backup_dir: the folder for the backup files; use one folder per training run.
        save_freq: only ``"epoch"`` is supported (Keras also takes a number of batches).
        delete_checkpoint: delete the backup once ``fit`` completes.
        double_checkpoint: accepted for Keras compatibility and not used: each backup replaces the
            previous one atomically, so an interrupted save leaves the previous backup intact.

    Raises:
        ValueError: for an empty ``backup_dir`` or a ``save_freq`` other than ``"epoch"``.

    Example:
        >>> backup = BackupAndRestore("/tmp/my_run_backup")
        >>> # model.fit(x, y, epochs=10, callbacks=[backup])  # rerun the same line after an interruption
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
        """Restores the weights and the epoch from the backup, when there is one."""
        if not os.path.exists(self._state_path):
            return
        state = self._read_state()
        self.model.load_weights(os.path.join(self.backup_dir, state["weights"]))
        if "training_state" in state:  # shuffling and random streams, so the rest of the run repeats exactly
            set_training_state(self.model, state["training_state"], repr(self._state_path))
        self.model._initial_epoch = int(state["epoch"]) + 1

    def _read_state(self):
        with open(self._state_path, encoding="utf-8") as f:
            return json.load(f)

    def on_epoch_end(self, epoch, logs=None):
        """Saves the weights and commits them as the backup of this epoch."""
        os.makedirs(self.backup_dir, exist_ok=True)
        previous = self._read_state()["weights"] if os.path.exists(self._state_path) else None
        weights = f"epoch_{epoch + 1:04d}.weights.h5"
        self.model.save_weights(os.path.join(self.backup_dir, weights), overwrite=True)
        temp = self._state_path + ".tmp"
        with open(temp, "w", encoding="utf-8") as f:
            json.dump({"epoch": epoch, "weights": weights, "training_state": get_training_state(self.model)}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, self._state_path)  # the backup now points at the new weights
        if previous and previous != weights:
            os.remove(os.path.join(self.backup_dir, previous))

    def on_train_end(self, logs=None):
        """Deletes the backup (with ``delete_checkpoint``), since the run completed."""
        if self.delete_checkpoint and os.path.exists(self._state_path):
            weights = self._read_state()["weights"]
            os.remove(self._state_path)
            os.remove(os.path.join(self.backup_dir, weights))
