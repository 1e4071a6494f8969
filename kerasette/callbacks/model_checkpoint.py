"""ModelCheckpoint: save the model (or its weights) during training."""

import math
import os

from kerasette.callbacks._common import improvement_op, monitored_value, resolve_mode
from kerasette.callbacks.callback import Callback
from kerasette.utils import io_utils

_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
_WEIGHT_SUFFIXES = (".weights.h5", ".h5", ".hdf5")


class ModelCheckpoint(Callback):
    """Saves after every epoch (or every ``save_freq`` batches), optionally only on improvement.

    ``filepath`` may hold ``str.format`` fields filled from the epoch (1-based),
    the batch and the logs, e.g. ``"w.{epoch:02d}-{val_loss:.2f}.weights.h5"``.
    Each save is atomic, so an interrupted save never destroys the previous file.

    Args:
        filepath: where to save: ending in ``.keras``, ``.h5`` or ``.hdf5`` for a whole model, in
            ``.weights.h5`` (or ``.h5``/``.hdf5``) with ``save_weights_only=True``. Missing folders are created.
        monitor: the log key compared with ``save_best_only``.
        verbose: 1 prints a line at each save (and each skipped save).
        save_best_only: save only when ``monitor`` improves on the best value so far.
        save_weights_only: save only the weights (``model.save_weights``) instead of the whole model.
        mode: "min", "max" or "auto" (max when the name contains "acc" or "auc", min otherwise).
        save_freq: ``"epoch"`` to save at each epoch end, or an int: save every that many batches.
        initial_value_threshold: with ``save_best_only``, the value the first save must beat.

    Raises:
        ValueError: for a ``filepath`` with the wrong suffix, a bad ``save_freq`` or an unknown ``mode``.

    Example:
        >>> checkpoint = ModelCheckpoint("best.weights.h5", save_best_only=True, save_weights_only=True)
        >>> checkpoint.mode, checkpoint.best
        ('min', inf)
        >>> # model.fit(x, y, validation_split=0.2, callbacks=[checkpoint])
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__()
        self.filepath = os.fspath(filepath)
        suffixes = _WEIGHT_SUFFIXES if save_weights_only else _MODEL_SUFFIXES
        if not self.filepath.lower().endswith(suffixes):
            what = "save_weights_only=True" if save_weights_only else "a whole model"
            raise ValueError(f"Invalid value for argument `filepath` of callback `ModelCheckpoint`. With {what} "
                             f"it must end in one of {list(suffixes)}. Received: filepath={self.filepath!r}")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq <= 0):
            raise ValueError(f"Invalid value for argument `save_freq` of callback `ModelCheckpoint`. Expected "
                             f'"epoch" or a positive int. Received: save_freq={save_freq!r}')
        self.monitor, self.verbose = monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.save_freq = save_freq
        self.mode = resolve_mode(mode, monitor, "ModelCheckpoint")
        self._improved = improvement_op(self.mode, 0.0)
        if initial_value_threshold is not None:
            self.best = float(initial_value_threshold)
        else:
            self.best = math.inf if self.mode == "min" else -math.inf
        self._batches_seen = 0
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        """Remembers the epoch, for saves every ``save_freq`` batches."""
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        """Saves every ``save_freq`` batches (when ``save_freq`` is an int)."""
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        """Saves at the end of the epoch (when ``save_freq="epoch"``)."""
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch, batch, logs):
        logs = dict(logs or {})
        if self.save_best_only:
            current = monitored_value(logs, self.monitor, "Can save best model only")
            if current is None or not self._improved(current, self.best):
                if self.verbose and current is not None:
                    io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            if self.verbose:
                io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} "
                                   f"to {current:.5f}")
            self.best = current
        path = self._format_path(epoch, batch, logs)
        if self.verbose:
            io_utils.print_msg(f"\nEpoch {epoch + 1}: saving model to {path}")
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)

    def _format_path(self, epoch, batch, logs):
        try:
            if batch is None:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(f"Failed to format the ModelCheckpoint filepath {self.filepath!r}: the key {error} is "
                           f"not in the logs. Available keys: {sorted(logs)}") from error
