"""Merge layers (one module each, on the ``Merge`` base) and their functional forms.

The modules are named ``add_layer.py`` and so on, not ``add.py``: a submodule called ``add``
would clash with the ``add`` function this package exports.
"""

from kerasette.layers.merging.add_layer import Add
from kerasette.layers.merging.average_layer import Average
from kerasette.layers.merging.base_merge import Merge
from kerasette.layers.merging.concatenate_layer import Concatenate
from kerasette.layers.merging.maximum_layer import Maximum
from kerasette.layers.merging.minimum_layer import Minimum
from kerasette.layers.merging.multiply_layer import Multiply
from kerasette.layers.merging.subtract_layer import Subtract


def add(inputs, **kwargs):
    """Functional form of ``Add``: ``add([a, b])`` is ``Add()([a, b])``.

    Args:
        inputs: a list of at least 2 tensors (symbolic or eager).
        **kwargs: passed to ``Add`` (e.g. ``name``).

    Returns:
        The elementwise sum.
    """
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of ``Subtract``: ``subtract([a, b])`` is ``a - b``.

    Args:
        inputs: a list of exactly 2 tensors.
        **kwargs: passed to ``Subtract``.

    Returns:
        The elementwise difference.
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of ``Multiply``.

    Args:
        inputs: a list of at least 2 tensors.
        **kwargs: passed to ``Multiply``.

    Returns:
        The elementwise product.
    """
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of ``Average``.

    Args:
        inputs: a list of at least 2 tensors.
        **kwargs: passed to ``Average``.

    Returns:
        The elementwise mean.
    """
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of ``Maximum``.

    Args:
        inputs: a list of at least 2 tensors.
        **kwargs: passed to ``Maximum``.

    Returns:
        The elementwise maximum.
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of ``Minimum``.

    Args:
        inputs: a list of at least 2 tensors.
        **kwargs: passed to ``Minimum``.

    Returns:
        The elementwise minimum.
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of ``Concatenate``.

    Args:
        inputs: a list of at least 2 tensors whose shapes match except on ``axis``.
        axis: the axis to join along (default -1).
        **kwargs: passed to ``Concatenate``.

    Returns:
        The concatenated tensor.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


__all__ = [
    "Add", "Average", "Concatenate", "Maximum", "Merge", "Minimum", "Multiply", "Subtract",
    "add", "average", "concatenate", "maximum", "minimum", "multiply", "subtract",
]
