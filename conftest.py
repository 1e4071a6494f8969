"""Every test and doctest starts from the same random state and fresh automatic layer names."""

import random

import numpy as np
import pytest

from kerasette import dtype_policies
from kerasette.ops import random as kerasette_random
from kerasette.utils import naming

# Guide-style scripts run as subprocesses (tests/guides/test_guides.py); importing them would run them.
# conftest.py files are loaded as plugins, not collected as modules (--doctest-modules would collect them, and
# several share the basename).
collect_ignore_glob = ["tests/guides/guide_*.py", "tests/**/conftest.py", "tests/conftest.py"]


@pytest.fixture(autouse=True)
def _seeded():
    random.seed(1234)
    np.random.seed(1234)
    kerasette_random.reset_global_seed(1234)
    naming.clear_session()
    yield
    dtype_policies.reset()  # a test that set the global dtype policy must not leak it into the next
