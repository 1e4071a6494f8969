"""Automatic layer and model names: ``dense``, ``dense_1``, ``dense_2``..."""

import re

_counts = {}


def to_snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    count = _counts.get(base, 0)
    _counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def clear_session():
    """Reset automatic names, as ``keras.backend.clear_session()`` does."""
    _counts.clear()
