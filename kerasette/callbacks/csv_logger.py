"""`CSVLogger`: write each epoch's logs as a row of a CSV file."""

from __future__ import annotations

import csv
import os
from typing import Any, List, Optional, Union

import numpy as np

from kerasette.callbacks.callback import Callback, Logs


def _cell(value: Any) -> Any:
    """Strings and scalars as they are; other sequences as a quoted "[a, b]" list."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return f"[{', '.join(map(str, value))}]"
    return value


class CSVLogger(Callback):
    """Streams epoch results to a CSV file, one row per epoch.

    Columns are `epoch` followed by the log keys in sorted order, fixed by the first
    epoch. As in Keras, when the first epoch has no `val_` keys, a `val_<key>` column is
    added for every key (filled with "NA") so that later validation results have a place.

    Args:
        filename: path of the CSV file.
        separator: string separating cells.
        append: append to an existing file instead of overwriting it. No header is
            written when the file already has content.

    Example:
        >>> logger = CSVLogger("training.log")
        >>> # model.fit(x, y, epochs=5, callbacks=[logger])
    """

    def __init__(
        self, filename: Union[str, "os.PathLike[str]"], separator: str = ",", append: bool = False
    ) -> None:
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.keys: Optional[List[str]] = None
        self.writer: Optional[csv.DictWriter] = None
        self.csv_file = None
        self._write_header = True

    def on_train_begin(self, logs: Logs = None) -> None:
        """Opens the file (appending or truncating) and forgets the columns of a previous run."""
        self.keys = None
        self.writer = None
        self._write_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename, encoding="utf-8") as f:
                self._write_header = not f.readline()
        mode = "a" if self.append else "w"
        self.csv_file = open(self.filename, mode, newline="", encoding="utf-8")

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Writes one row (and, the first time, the header) and flushes the file."""
        logs = logs or {}
        if self.csv_file is None:  # used outside `fit`: open lazily
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(key.startswith("val_") for key in self.keys):
                self.keys += ["val_" + key for key in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys, delimiter=self.sep
            )
            if self._write_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs: Logs = None) -> None:
        """Closes the file."""
        if self.csv_file is not None:
            self.csv_file.close()
        self.csv_file = None
        self.writer = None
