"""Names: Keras's snake_case of a class name, and automatic unique names (``dense``, ``dense_1``...)."""

import re

_counts = {}


def to_snake_case(name):
    """``"MaxPooling2D"`` -> ``"max_pooling2d"``, as Keras 3 derives layer, loss and metric names."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """``base`` the first time, then ``base_1``, ``base_2``... (reset by ``clear_session``)."""
    count = _counts.get(base, 0)
    _counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def clear_session():
    """Reset automatic names, as ``keras.backend.clear_session()`` does."""
    _counts.clear()
