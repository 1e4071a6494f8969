"""Counters of host transfers and kernel launches, for tests and for ``KERASETTE_DEBUG``.

The counters always run (an integer increment per event). With ``KERASETTE_DEBUG`` set, the
trainer logs their change over each training step.
"""

COUNTERS = {"host_to_device": 0, "device_to_host": 0, "kernel_launches": 0}


def counters():
    """A snapshot of the counters since the process started."""
    return dict(COUNTERS)


def count(name, amount=1):
    COUNTERS[name] += amount
