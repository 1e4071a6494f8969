"""Central finite differences, the reference every gradient test compares the tape against."""

import numpy as np


def central_difference(fn, x, eps=1e-6):
    """d fn(x) / dx for a scalar ``fn``, one element of ``x`` (a float64 array) at a time.

    ``x`` is perturbed in place, passed to ``fn`` and restored, so ``fn`` may also read it through a
    closure (or a variable assigned from it) instead of its argument.
    """
    flat = x.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("central_difference needs a contiguous array it can perturb in place")
    grad = np.zeros_like(x)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        plus = fn(x)
        flat[i] = saved - eps
        minus = fn(x)
        flat[i] = saved
        grad.flat[i] = (plus - minus) / (2 * eps)
    return grad
