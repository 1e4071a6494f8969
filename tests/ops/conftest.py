"""Setup for the op tests: the spec module on sys.path (the ``backend`` fixture is in tests/conftest.py)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
