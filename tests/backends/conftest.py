"""Fixtures of the backend tests: the OpenCL backend (skipped where it cannot load, unless CI requires it)
and the numpy backend, its oracle."""

import os

import pytest

from kerasette import backends


@pytest.fixture(scope="module")
def ocl():
    """The OpenCL backend module, its device chosen; not made the active backend."""
    try:
        module = backends.load_backend("opencl")
        module.initialize()
    except (ImportError, RuntimeError) as error:
        if "opencl" in os.environ.get("KERASETTE_REQUIRE_BACKENDS", "").split(","):
            raise
        pytest.skip(f"OpenCL backend not available: {error}")
    return module


@pytest.fixture(scope="module")
def npb():
    return backends.load_backend("numpy")
