"""Size limits applied while loading, so that a small hostile file cannot make kerasette allocate gigabytes.

Two limits, each read at every load from an environment variable (a number
of bytes, optionally with a ``K``/``M``/``G``/``T`` suffix) unless
``override`` sets it for a block of code:

``KERASETTE_MAX_CONFIG_BYTES`` (default 8 MiB)
    The largest JSON text (``config.json``, ``metadata.json``, the
    ``model_config``/``training_config`` attributes) and the largest HDF5
    attribute kerasette reads. Real configs are tens to hundreds of KB.
``KERASETTE_MAX_MODEL_BYTES`` (default 2 GiB)
    The most weight memory a model rebuilt from a file may create. The
    weights are counted as each layer creates them, before any memory is
    taken, and a layer that would pass the limit is refused with an error
    naming it. The same number bounds what a ``.keras`` weights member may
    inflate to (see ``keras_zip``).

Files also bound themselves: a model may not create more weight values than
the file's weight datasets hold, and a compressed member may not inflate
beyond what the model needs.

>>> with override(max_model_bytes="64M"):
...     max_model_bytes()
67108864
"""

import contextlib
import os
import re

DEFAULT_MAX_CONFIG_BYTES = 8 * 1024**2
DEFAULT_MAX_MODEL_BYTES = 2 * 1024**3
CONFIG_VARIABLE = "KERASETTE_MAX_CONFIG_BYTES"
MODEL_VARIABLE = "KERASETTE_MAX_MODEL_BYTES"

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_overrides = {}


def parse_bytes(value, name):
    """A byte count from an int or a string such as ``"512M"`` or ``"4G"``.

    Raises:
        ValueError: not a positive number of bytes.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*", str(value), flags=re.IGNORECASE)
        if not match:
            raise ValueError(f"Invalid value for `{name}`. Expected a number of bytes such as 8388608, '8M' or "
                             f"'2G'. Received: {value!r}")
        number = int(match.group(1)) * _UNITS[match.group(2).upper()]
    if number <= 0:
        raise ValueError(f"Invalid value for `{name}`. Expected a positive number of bytes. Received: {value!r}")
    return number


def _limit(key, variable, default):
    if key in _overrides:
        return _overrides[key]
    text = os.environ.get(variable)
    return default if text is None or not text.strip() else parse_bytes(text, variable)


def max_config_bytes():
    """The largest JSON config or HDF5 attribute read from a file (``KERASETTE_MAX_CONFIG_BYTES``)."""
    return _limit("max_config_bytes", CONFIG_VARIABLE, DEFAULT_MAX_CONFIG_BYTES)


def max_model_bytes():
    """The most weight memory a model rebuilt from a file may create (``KERASETTE_MAX_MODEL_BYTES``)."""
    return _limit("max_model_bytes", MODEL_VARIABLE, DEFAULT_MAX_MODEL_BYTES)


@contextlib.contextmanager
def override(max_config_bytes=None, max_model_bytes=None):
    """Set the limits (bytes, or strings like ``"16G"``) for the loads inside the ``with`` block.

    Args:
        max_config_bytes: replaces ``KERASETTE_MAX_CONFIG_BYTES`` (None keeps it).
        max_model_bytes: replaces ``KERASETTE_MAX_MODEL_BYTES`` (None keeps it).
    """
    new = {}
    if max_config_bytes is not None:
        new["max_config_bytes"] = parse_bytes(max_config_bytes, "max_config_bytes")
    if max_model_bytes is not None:
        new["max_model_bytes"] = parse_bytes(max_model_bytes, "max_model_bytes")
    saved = dict(_overrides)
    _overrides.update(new)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(saved)


def show(number):
    """A byte count for messages: ``'2.0 GiB (2147483648 bytes)'``."""
    for unit, size in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if number >= size:
            return f"{number / size:.1f} {unit} ({number} bytes)"
    return f"{number} bytes"
