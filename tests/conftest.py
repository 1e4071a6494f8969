"""Shared test fixtures (the repository's conftest.py seeds every test and resets layer names)."""

import pytest
from backend_loading import load_or_skip

from kerasette import backends


@pytest.fixture(params=backends.available_backends())
def backend(request, monkeypatch):
    """Each registered backend in turn, active for the test.

    A backend that cannot load here (no pyopencl, no OpenCL device) is skipped, unless
    ``KERASETTE_REQUIRE_BACKENDS`` names it (CI sets it, so a broken install fails instead).
    """
    module = load_or_skip(request.param)
    monkeypatch.setattr(backends, "_active", module)
    return module
