"""Backend selection: which module provides the primitives of ``interface.py``.

Chosen, first match wins, by ``set_backend(name)``, the ``KERASETTE_BACKEND``
environment variable, the ``"backend"`` key of ``~/.kerasette/kerasette.json``,
or the default, numpy. Nothing here prompts or writes files.

``KERASETTE_DEBUG`` (``debug_level()``): 1 prints the chosen backend (here) and device (the OpenCL
runtime) to stderr once; 2 adds, for every training step, the host transfers and kernel launches it
made; 3 adds each step's device time per kernel, from OpenCL profiling events.
"""

import importlib
import json
import os
import sys

from kerasette.backends.interface import PRIMITIVES

_MODULES = {"numpy": "kerasette.backends.numpy", "opencl": "kerasette.backends.opencl"}
_INSTALL_HINTS = {"opencl": 'pip install "kerasette[opencl]"'}
_active = None
_announced = set()  # backends whose choice KERASETTE_DEBUG has printed


def debug_level():
    """``KERASETTE_DEBUG`` as a level: 0 (unset, empty or "0"), else the number given (at least 1).

    Any other value (e.g. "yes") counts as 1.
    """
    text = os.environ.get("KERASETTE_DEBUG", "").strip()
    if text in ("", "0"):
        return 0
    try:
        return max(int(text), 1)
    except ValueError:
        return 1


def _announce(module, source):
    """At ``KERASETTE_DEBUG`` >= 1, print the chosen backend to stderr (once per backend)."""
    if debug_level() >= 1 and module.name not in _announced:
        _announced.add(module.name)
        print(f"kerasette debug: backend {module.name} (chosen by {source})", file=sys.stderr)


def available_backends():
    """Names of the backends kerasette knows about (installed or not)."""
    return sorted(_MODULES)


def _configured_name():
    name = os.environ.get("KERASETTE_BACKEND")
    if name:
        return name, "the KERASETTE_BACKEND environment variable"
    path = os.path.join(os.path.expanduser("~"), ".kerasette", "kerasette.json")
    try:
        with open(path, encoding="utf-8") as f:
            name = json.load(f).get("backend")
    except (OSError, ValueError, AttributeError):
        name = None
    if name:
        return name, path
    return "numpy", "the default"


def load_backend(name, source="set_backend"):
    """Import and return the backend module called ``name`` without activating it."""
    if name not in _MODULES:
        raise ValueError(
            f"Unknown backend {name!r} (from {source}). Expected one of {available_backends()}."
        )
    try:
        module = importlib.import_module(_MODULES[name])
    except ImportError as error:
        hint = _INSTALL_HINTS.get(name, "")
        raise ImportError(
            f"The {name!r} backend could not be imported ({error}). "
            + (f"Install its extra: {hint}" if hint else "")
        ) from error
    missing = [p for p in PRIMITIVES if not hasattr(module, p)]
    if missing:
        raise ImportError(f"Backend {name!r} does not define the primitives {missing}.")
    return module


def set_backend(name):
    """Make ``name`` ("numpy" or "opencl") the backend for every op from now on.

    Tensors created under one backend are not moved: build models after
    choosing the backend.
    """
    global _active
    module = load_backend(name)
    initialize = getattr(module, "initialize", None)
    if initialize is not None:
        initialize()  # e.g. choose the OpenCL device now: a failure leaves the previous backend active
    _active = module
    _announce(module, "set_backend")
    return _active


def backend():
    """The active backend name."""
    return current().name


def current():
    """The active backend module, chosen on first use."""
    global _active
    if _active is None:
        name, source = _configured_name()
        _active = load_backend(name, source)
        _announce(_active, source)
    return _active
