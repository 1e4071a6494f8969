"""`ProgbarLogger`: the progress display of `fit`, `evaluate` and `predict`."""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any, Dict, Optional, TextIO

from tqdm import tqdm

from kerasette.callbacks._format import format_duration, format_logs
from kerasette.callbacks.callback import Callback, Logs
from kerasette.utils import io_utils

_BAR_FORMAT = "{n_fmt}/{total_fmt} |{bar}| {elapsed}<{remaining}, {rate_fmt}{postfix}"


class _Bar(tqdm):
    """tqdm without its monitor thread: redraws are paced by `ProgbarLogger` itself."""

    monitor_interval = 0


def _is_live(stream: TextIO) -> bool:
    """True when `stream` can redraw a line with carriage returns.

    That is a terminal, or a Jupyter/IPython kernel stream.
    """
    try:
        if stream.isatty():
            return True
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
    return type(stream).__module__.startswith("ipykernel")


class ProgbarLogger(Callback):
    """Prints progress to `sys.stdout`; `fit` adds one when `verbose != 0`.

    The behaviour follows `params["verbose"]` (set by the loop):

    * 1, on a terminal or in Jupyter: an `Epoch i/N` line, then a tqdm bar per epoch
      with steps done/total, elapsed time, ETA, speed and the running metrics, redrawn
      at most every `refresh_interval` seconds (logs are formatted only on redraws).
      At epoch end the bar shows the epoch's values, `val_*` included.
    * 1 when stdout is not a terminal (CI logs, pipes), and 2: one plain line per epoch,
      `Epoch 1/3 - 12s - loss: 0.5432 - accuracy: 0.8123 - val_loss: ...`.
    * 0: nothing.

    `params["epochs"]` gives N in `Epoch i/N`; `params["steps"]` is the bar's total
    (None when unknown: the count of the first epoch is then used for later ones).
    Outside `fit`, `evaluate` and `predict` get the same display without the epoch label.

    Args:
        refresh_interval: minimum seconds between two redraws of the bar.
    """

    def __init__(self, refresh_interval: float = 0.1) -> None:
        super().__init__()
        self.refresh_interval = refresh_interval
        self.verbose = 1
        self.epochs = 1
        self.target: Optional[int] = None
        self._in_fit = False
        self._bar: Optional[_Bar] = None
        self._stream: Optional[TextIO] = None
        self._label = ""
        self._seen = 0
        self._start = 0.0
        self._last_draw = 0.0
        self._columns = 80
        self._active = False

    def set_params(self, params: Dict[str, Any]) -> None:
        """Reads `verbose`, `epochs` and `steps` from the loop's parameters."""
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    # --- hooks ---------------------------------------------------------------------
    def on_train_begin(self, logs: Logs = None) -> None:
        """Notes that `fit` runs, so validation gets no display of its own."""
        self._in_fit = True

    def on_train_end(self, logs: Logs = None) -> None:
        """Closes any open bar."""
        self._close()
        self._in_fit = False

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Starts the epoch's display (`Epoch i/N`)."""
        self._begin(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Advances the bar and shows the running metrics (at most every `refresh_interval`)."""
        self._update(batch + 1, logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Prints the epoch's final line with its metrics, `val_*` included."""
        self._finish(logs)

    def on_test_begin(self, logs: Logs = None) -> None:
        """Starts a display for `evaluate` (not for validation inside `fit`)."""
        if not self._in_fit:
            self._begin("")

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Advances the `evaluate` display."""
        if not self._in_fit:
            self._update(batch + 1, logs)

    def on_test_end(self, logs: Logs = None) -> None:
        """Prints the final line of `evaluate`."""
        if not self._in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Starts the `predict` display."""
        self._begin("")

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Advances the `predict` display."""
        self._update(batch + 1, None)

    def on_predict_end(self, logs: Logs = None) -> None:
        """Prints the final line of `predict`."""
        self._finish(None)

    # --- display -------------------------------------------------------------------
    def _begin(self, label: str) -> None:
        self._close()
        if self.verbose == 0:
            return
        self._active = True
        self._label = label
        self._seen = 0
        self._start = self._last_draw = time.monotonic()
        self._stream = sys.stdout
        if self.verbose == 1 and _is_live(self._stream) and io_utils.is_interactive_logging_enabled():
            if label:
                print(label, file=self._stream, flush=True)
            # Running lines are trimmed to the terminal width so redraws stay on one row.
            # Sizes come from shutil, which falls back to 80x24 where the terminal reports
            # 0 (some CI pseudo-terminals); tqdm would then draw nothing.
            size = shutil.get_terminal_size()
            self._columns = size.columns
            self._bar = _Bar(
                total=self.target, file=self._stream, unit="step", bar_format=_BAR_FORMAT,
                mininterval=0, miniters=1, ncols=self._columns, nrows=max(size.lines, 2),
                leave=True,
            )

    def _update(self, seen: int, logs: Logs) -> None:
        if not self._active:
            self._begin("")
        self._seen = seen
        if self._bar is None:
            return
        now = time.monotonic()
        if now - self._last_draw < self.refresh_interval and seen != self.target:
            return  # rate limit: skip formatting and drawing
        self._last_draw = now
        self._bar.set_postfix_str(format_logs(logs), refresh=False)
        self._bar.update(seen - self._bar.n)

    def _finish(self, logs: Logs) -> None:
        if not self._active:
            self._begin("")
        if self.verbose == 0:
            return
        if self.target is None:
            self.target = self._seen
        if self._bar is not None:
            self._bar.total = self.target
            self._bar.n = self.target  # the final line is drawn once, by close()
            self._bar.set_postfix_str(format_logs(logs), refresh=False)
            # The final line is never trimmed: widen it to fit every value (it may wrap).
            self._bar.ncols = None
            self._bar.ncols = max(self._columns, len(str(self._bar)))
        else:
            parts = [self._label] if self._label else [f"{self._seen}/{self.target}"]
            parts.append(format_duration(time.monotonic() - self._start))
            if logs:
                parts.append(format_logs(logs))
            if io_utils.is_interactive_logging_enabled():
                print(" - ".join(parts), file=self._stream, flush=True)
            else:  # keras.config.disable_interactive_logging(): the line goes to the `kerasette` logger
                io_utils.print_msg(" - ".join(parts))
        self._close()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        self._active = False
