"""What ``KERASETTE_DEBUG`` reports about the OpenCL backend: transfer and launch counters, kernel times.

The counters always run (an integer increment per event); at ``KERASETTE_DEBUG=2`` the trainer
prints their change over each training step. At level 3 the runtime creates its queue with profiling
enabled and ``launch`` records the event of every kernel it enqueues; ``kernel_times()`` reads them
(device start to end) as time per kernel name, which the trainer prints for each step. Below level 3
no event is kept and the queue does not profile. Device-to-device copies count as launches but are
not timed. Levels are read with ``kerasette.backends.debug_level()``.
"""

from kerasette.backends import debug_level

COUNTERS = {"host_to_device": 0, "device_to_host": 0, "kernel_launches": 0}

_MAX_PENDING = 4096  # events read (and let go) once this many wait, so a long run without reads stays small
_pending = []  # (kernel name, cl.Event) not read yet
_times = {}  # kernel name -> [seconds, launches] read since the last kernel_times()


def counters():
    """A snapshot of the counters since the process started."""
    return dict(COUNTERS)


def count(name, amount=1):
    COUNTERS[name] += amount


def level():
    """The ``KERASETTE_DEBUG`` level (0 to 3; higher values act as 3)."""
    return debug_level()


def record(name, event):
    """Keep the profiling ``event`` of one launch of kernel ``name`` (the runtime profiles at level 3 only)."""
    _pending.append((name, event))
    if len(_pending) >= _MAX_PENDING:
        _read_pending()


def _read_pending():
    for name, event in _pending:
        event.wait()
        entry = _times.setdefault(name, [0.0, 0])
        entry[0] += (event.profile.end - event.profile.start) * 1e-9
        entry[1] += 1
    _pending.clear()


def kernel_times():
    """{kernel name: (seconds on the device, launches)} since the last call; waits for those kernels to finish.

    Empty unless the runtime profiles (``KERASETTE_DEBUG=3`` when the device was chosen).
    """
    _read_pending()
    times = {name: (seconds, launches) for name, (seconds, launches) in _times.items()}
    _times.clear()
    return times
