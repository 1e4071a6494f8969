"""``KERASETTE_DEBUG`` levels 2 and 3: what each training step costs on a device backend.

Level 1 only prints the chosen backend and device (``kerasette.backends``). From level 2, for
backends that keep arrays on a device (OpenCL: ``counters()`` of host transfers and kernel launches),
``fit`` prints the change of those counters over every training step to stderr. Level 3 adds a line
per step with the device time of each kernel name (sum and launch count, from OpenCL profiling events:
``backend.debug.kernel_times()``). The numpy backend has no such counters and prints nothing here.
"""

import sys

from kerasette import backends


def enabled():
    """Whether ``fit`` prints per-step counters (``KERASETTE_DEBUG`` >= 2)."""
    return backends.debug_level() >= 2


class StepCounters:
    """Counter deltas (and, at level 3, kernel times) over one step: ``start()`` before it, ``stop(step)`` after.

    Args:
        stream: where to print (None: ``sys.stderr`` at the time of printing).
    """

    def __init__(self, stream=None):
        backend = backends.current()
        level = backends.debug_level()
        self._read = getattr(backend, "counters", None)
        self._times = getattr(getattr(backend, "debug", None), "kernel_times", None)
        self.active = self._read is not None and level >= 2
        self.timing = self.active and self._times is not None and level >= 3
        self._stream = stream
        self._before = None
        self.last = None
        self.last_times = None

    def start(self):
        """Read the counters before a step (and drop the kernel times of what ran before it)."""
        if self.active:
            if self.timing:
                self._times()  # drop what ran before this step
            self._before = self._read()

    def stop(self, step):
        """Print the counters' change over the step (and, at level 3, its kernel times).

        Args:
            step: the step's number, for the printed line.
        """
        if not self.active:
            return
        after = self._read()
        self.last = {key: after[key] - self._before[key] for key in after}
        stream = self._stream or sys.stderr
        parts = " ".join(f"{key}={value}" for key, value in self.last.items())
        print(f"kerasette debug: train step {step}: {parts}", file=stream)
        if self.timing:
            self.last_times = self._times()
            ranked = sorted(self.last_times.items(), key=lambda item: -item[1][0])
            parts = ", ".join(f"{name} {seconds * 1e3:.3f} ms x{launches}" for name, (seconds, launches) in ranked)
            print(f"kerasette debug: kernel times of train step {step}: {parts or 'none'}", file=stream)
