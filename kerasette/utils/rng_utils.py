"""One call that makes a run reproducible."""

import random

import numpy as np

from kerasette.ops import random as _kerasette_random


def set_random_seed(seed):
    """Seed Python's ``random``, numpy's global generator and kerasette's global seed.

    After this, unseeded ``kerasette.ops.random`` draws, layers built afterwards
    (their initializers and dropout take seeds from the global generator) and
    shuffling in ``fit`` repeat exactly from run to run.

    Args:
        seed: an integer in [0, 2**32).

    Raises:
        ValueError: ``seed`` is not an integer in that range.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"Expected `seed` to be an integer in [0, 2**32). Received: seed={seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    _kerasette_random.reset_global_seed(seed)
