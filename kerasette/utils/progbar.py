"""``Progbar``: Keras's text progress bar for custom loops (``keras.utils.Progbar``)."""

import math
import os
import sys
import time

import numpy as np

from kerasette.utils import io_utils


class Progbar:
    """Displays a progress bar, as ``keras.utils.Progbar``.

    Metrics passed to ``update`` are averaged over the steps seen so far (weighted by steps),
    except the names in ``stateful_metrics``, shown as given; with ``stateless_metrics`` it is the
    other way round: only those are averaged.

    Args:
        target: the total number of steps, or None if unknown.
        width: the width of the bar, in characters.
        verbose: 0 (silent), 1 (a bar redrawn in place) or 2 (one line when the target is reached).
        interval: the minimum number of seconds between two redraws (verbose 1).
        stateful_metrics: names of metrics shown as given instead of averaged.
        stateless_metrics: names of the only metrics to average (give one of the two lists at most).
        unit_name: the name of one step in the time per step (``"step"``, ``"sample"``...).

    Raises:
        ValueError: both ``stateful_metrics`` and ``stateless_metrics`` are given, or ``verbose`` is not 0, 1
            or 2.

    Example:
        >>> from kerasette.utils import Progbar
        >>> bar = Progbar(3, verbose=0)
        >>> bar.update(1, values=[("loss", 1.0)]); bar.update(2, values=[("loss", 3.0)])
        >>> bar.average("loss")
        2.0
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, stateless_metrics=None,
                 unit_name="step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Only one of `stateful_metrics` or `stateless_metrics` can be given to Progbar. "
                             f"Received: stateful_metrics={stateful_metrics!r}, "
                             f"stateless_metrics={stateless_metrics!r}")
        if verbose not in (0, 1, 2):
            raise ValueError(f"Invalid value for argument `verbose` of Progbar. Expected 0, 1 or 2. "
                             f"Received: verbose={verbose!r}")
        self.target = target
        self.width = int(width)
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._dynamic = _dynamic_display()
        self._values = {}  # name -> [weighted sum, weight]
        self._order = []
        self._seen = 0
        self._start = time.time()
        self._last_update = 0.0
        self._after_first_step = None
        self._previous_width = 0

    def _averaged(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def update(self, current, values=None, finalize=None):
        """Move the bar to step ``current`` and record metric values.

        Args:
            current: the index of the current step (steps done so far).
            values: a list of ``(name, value)`` pairs for the latest step(s).
            finalize: whether this is the last update; default ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._order:
                self._order.append(name)
            value = float(np.mean(value))
            if self._averaged(name) and not finalize:
                steps = max(current - self._seen, 1)
                total = self._values.setdefault(name, [0.0, 0])
                total[0] += value * steps
                total[1] += steps
            else:
                self._values[name] = [value, 1]
        self._seen = current
        now = time.time()
        per_step = self._step_duration(current, now)
        if self.verbose == 1 and (finalize or now - self._last_update >= self.interval):
            self._draw(current, now, per_step, finalize)
        elif self.verbose == 2 and finalize and self.target:
            digits = int(math.log10(self.target)) + 1
            line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -"
            line += _format_time(per_step, self.unit_name)
            io_utils.print_msg(line + self._metrics_text() + "\n", line_break=False)
        self._last_update = now

    def add(self, n, values=None):
        """Advance the bar by ``n`` steps (``update(seen + n, values)``).

        Args:
            n: the number of steps done since the last update.
            values: as for ``update``.
        """
        self.update(self._seen + n, values)

    def average(self, name):
        """The value shown for metric ``name``: its step-weighted average (or the value itself if stateful).

        Args:
            name: a metric name passed to ``update``.

        Returns:
            A float.

        Raises:
            KeyError: the metric was never passed to ``update``.
        """
        total, weight = self._values[name]
        return total / max(weight, 1)

    def _metrics_text(self):
        parts = []
        for name in self._order:
            value = self.average(name)
            parts.append(f" - {name}: {value:.4f}" if abs(value) > 1e-3 else f" - {name}: {value:.4e}")
        return "".join(parts)

    def _draw(self, current, now, per_step, finalize):
        if self.target:
            digits = int(math.log10(self.target)) + 1
            filled = min(int(self.width * current / self.target), self.width)
            bar = f"{current:{digits}d}/{self.target} [" + "=" * filled + "." * (self.width - filled) + "]"
        else:
            bar = f"{current:7d}/Unknown"
        if self.target and not finalize:
            info = f" ETA: {_format_eta(per_step * (self.target - current))}"
        else:
            info = f" {now - self._start:.0f}s"
        info += _format_time(per_step, self.unit_name) + self._metrics_text()
        width = len(bar) + len(info)
        padding = " " * max(self._previous_width - width, 0)
        self._previous_width = width
        prefix = "\r" if self._dynamic else "\n"
        io_utils.print_msg(prefix + bar + info + padding + ("\n" if finalize else ""), line_break=False)

    def _step_duration(self, current, now):
        if not current:
            return 0.0
        if self._after_first_step is not None and current > 1:
            per_step = (now - self._after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._after_first_step = now
        return per_step


def _dynamic_display():
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def _format_time(seconds, unit):
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit}"
    return f" {seconds * 1e6:.0f}us/{unit}"


def _format_eta(seconds):
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"
