"""The fixture of the mixed-precision tests that compute in float16."""

import pytest
from mixed_helpers import stores_float16

from kerasette.layers import autocast


@pytest.fixture
def mixed_backend(backend):
    """The backend under test, for a test that computes in float16; a backend that refuses float16 skips.

    The refusal itself is tested in ``test_layers.py::test_a_backend_without_float16_refuses_clearly``.
    """
    if not stores_float16(backend):
        pytest.skip(f"the {backend.name} backend refuses float16 here (tested on its own)")
    autocast.reset_warning()
    return backend
