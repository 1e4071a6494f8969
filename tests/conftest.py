"""Shared test setup: every test starts from the same random state and fresh layer names."""

import os
import random

import numpy as np
import pytest

from kerasette import backends
from kerasette.ops import random as kerasette_random
from kerasette.utils import naming


@pytest.fixture(autouse=True)
def _seeded():
    random.seed(1234)
    np.random.seed(1234)
    kerasette_random.reset_global_seed(1234)
    naming.clear_session()
    yield


@pytest.fixture(params=backends.available_backends())
def backend(request, monkeypatch):
    """Each registered backend in turn, active for the test.

    A backend that cannot load here (no pyopencl, no OpenCL device) is skipped, unless
    ``KERASETTE_REQUIRE_BACKENDS`` names it (CI sets it, so a broken install fails instead).
    """
    name = request.param
    try:
        module = backends.load_backend(name)
        initialize = getattr(module, "initialize", None)
        if initialize is not None:
            initialize()
    except (ImportError, RuntimeError) as error:
        if name in os.environ.get("KERASETTE_REQUIRE_BACKENDS", "").split(","):
            raise
        pytest.skip(f"backend {name!r} is not available here: {error}")
    monkeypatch.setattr(backends, "_active", module)
    return module
