"""Merge layers (one module each, on the ``Merge`` base) and their functional forms.

The modules are named ``add_layer.py`` and so on, not ``add.py``: a submodule called ``add``
would clash with the ``add`` function this package exports.
"""

from kerasette.layers.merging.add_layer import Add
from kerasette.layers.merging.average_layer import Average
from kerasette.layers.merging.base_merge import Merge
from kerasette.layers.merging.concatenate_layer import Concatenate
from kerasette.layers.merging.dot_layer import Dot, dot
from kerasette.layers.merging.maximum_layer import Maximum
from kerasette.layers.merging.minimum_layer import Minimum
from kerasette.layers.merging.multiply_layer import Multiply
from kerasette.layers.merging.subtract_layer import Subtract


def _functional_form(layer_class, inputs_text, result):
    """The function ``name(inputs, **kwargs)`` that is ``layer_class(**kwargs)(inputs)``."""

    def merge(inputs, **kwargs):
        return layer_class(**kwargs)(inputs)

    merge.__name__ = merge.__qualname__ = layer_class.__name__.lower()
    merge.__doc__ = (
        f"Functional form of ``{layer_class.__name__}``: ``{merge.__name__}([a, b])`` is "
        f"``{layer_class.__name__}()([a, b])``.\n\n"
        f"    Args:\n        inputs: a list of {inputs_text} tensors.\n"
        f"        **kwargs: passed to ``{layer_class.__name__}`` (e.g. ``name``).\n\n"
        f"    Returns:\n        The elementwise {result}.\n    "
    )
    return merge


add = _functional_form(Add, "at least 2", "sum")
subtract = _functional_form(Subtract, "exactly 2", "difference ``a - b``")
multiply = _functional_form(Multiply, "at least 2", "product")
average = _functional_form(Average, "at least 2", "mean")
maximum = _functional_form(Maximum, "at least 2", "maximum")
minimum = _functional_form(Minimum, "at least 2", "minimum")


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
    "Add", "Average", "Concatenate", "Dot", "Maximum", "Merge", "Minimum", "Multiply", "Subtract",
    "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
]
