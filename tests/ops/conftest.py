"""Setup for the op tests: the spec module on sys.path, and one fixture per backend."""

import os
import sys

import pytest

from kerasette import backends

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(params=backends.available_backends())
def backend(request, monkeypatch):
    """Each registered backend in turn, active for the test; skipped when it cannot be imported."""
    name = request.param
    try:
        module = backends.load_backend(name)
    except ImportError as error:
        pytest.skip(f"backend {name!r} is not available here: {error}")
    monkeypatch.setattr(backends, "_active", module)
    return module
