"""Shared test setup: every test starts from the same random state and fresh layer names."""

import random

import numpy as np
import pytest

from kerasette.layers import naming
from kerasette.ops import random as kerasette_random


@pytest.fixture(autouse=True)
def _seeded():
    random.seed(1234)
    np.random.seed(1234)
    kerasette_random.reset_global_seed(1234)
    naming.clear_session()
    yield
