"""Names: Keras's snake_case of a class name, and automatic unique names (``dense``, ``dense_1``...)."""

import re

_counts = {}
_uids = {}  # get_uid's counters


def to_snake_case(name):
    """``"MaxPooling2D"`` -> ``"max_pooling2d"``, as Keras 3 derives layer, loss and metric names.

    Args:
        name: a class name.

    Returns:
        The snake_case name.

    Example:
        >>> to_snake_case("MaxPooling2D"), to_snake_case("SparseCategoricalCrossentropy")
        ('max_pooling2d', 'sparse_categorical_crossentropy')
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """``base`` the first time, then ``base_1``, ``base_2``... (reset by ``clear_session``).

    Args:
        base: the name to make unique, e.g. ``"dense"``.

    Returns:
        A name not returned before for ``base`` since the last ``clear_session``.

    Example:
        >>> clear_session()
        >>> unique_name("dense"), unique_name("dense"), unique_name("conv2d")
        ('dense', 'dense_1', 'conv2d')
    """
    count = _counts.get(base, 0)
    _counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def get_uid(prefix=""):
    """1 on the first call for ``prefix``, then 2, 3... (``keras.backend.get_uid``; reset by ``clear_session``)."""
    _uids[prefix] = _uids.get(prefix, 0) + 1
    return _uids[prefix]


def clear_session():
    """Reset automatic names and ``get_uid`` counters, as ``keras.backend.clear_session()`` does."""
    _counts.clear()
    _uids.clear()
