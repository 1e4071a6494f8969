"""Shared test fixtures (the repository's conftest.py seeds every test and resets layer names)."""

import os

import pytest

from kerasette import backends


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
