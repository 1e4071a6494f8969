"""``KERASETTE_DEBUG``: what each training step costs in host transfers and kernel launches.

Backends that keep arrays on a device (OpenCL) count their host transfers and kernel launches
(``counters()``); with ``KERASETTE_DEBUG`` set to anything but ``0``, ``fit`` prints the change of
those counters over every training step to stderr. The numpy backend has no such counters.
"""

import os
import sys

from kerasette import backends


def enabled():
    return os.environ.get("KERASETTE_DEBUG", "0") not in ("", "0")


class StepCounters:
    """Counter deltas over one step: ``start()`` before it, ``stop(step)`` after it."""

    def __init__(self, stream=None):
        backend = backends.current()
        self._read = getattr(backend, "counters", None)
        self.active = self._read is not None and enabled()
        self._stream = stream
        self._before = None
        self.last = None

    def start(self):
        if self.active:
            self._before = self._read()

    def stop(self, step):
        if not self.active:
            return
        after = self._read()
        self.last = {key: after[key] - self._before[key] for key in after}
        parts = " ".join(f"{key}={value}" for key, value in self.last.items())
        print(f"kerasette debug: train step {step}: {parts}", file=self._stream or sys.stderr)
