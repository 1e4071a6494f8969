"""Fixtures of the backend tests: the OpenCL backend (skipped where it cannot load, unless CI requires it)
and the numpy backend, its oracle."""

import pytest
from backend_loading import load_or_skip

from kerasette import backends


@pytest.fixture(scope="module")
def ocl():
    """The OpenCL backend module, its device chosen; not made the active backend."""
    return load_or_skip("opencl")


@pytest.fixture(scope="module")
def npb():
    return backends.load_backend("numpy")
