"""Helpers shared by the mixed-precision tests (a module of its own: conftest.py names are not unique)."""

import numpy as np

# The numpy backend warns, once per process, that float16 on a CPU is slower; test_layers.py checks that
# warning on its own, and the other tests expect it with this filter.
CPU_WARNING = "ignore:The dtype policy 'mixed_float16' computes in float16 on the numpy backend"


def stores_float16(backend):
    """Whether ``backend`` can hold float16 arrays (numpy can; kerasette's OpenCL kernels have no half versions)."""
    try:
        backend.asarray(np.zeros((1,), dtype="float16"))
    except TypeError:
        return False
    return True
