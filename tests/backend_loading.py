"""Loading a backend for a test: skipped where it cannot load here, unless CI requires it."""

import os

import pytest

from kerasette import backends


def load_or_skip(name):
    """The backend module ``name``, initialized where it has ``initialize``; not made the active backend.

    Where it cannot load (no pyopencl, no OpenCL device) the test is skipped, unless
    ``KERASETTE_REQUIRE_BACKENDS`` names it (CI sets it, so a broken install fails instead).
    """
    try:
        module = backends.load_backend(name)
        initialize = getattr(module, "initialize", None)
        if initialize is not None:
            initialize()
    except (ImportError, RuntimeError) as error:
        if name in os.environ.get("KERASETTE_REQUIRE_BACKENDS", "").split(","):
            raise
        pytest.skip(f"backend {name!r} is not available here: {error}")
    return module
