"""Models: the functional ``Model``, ``Sequential``, and the graph engine under both."""

from kerasette.models.model import Model
from kerasette.models.sequential import Sequential

__all__ = ["Model", "Sequential"]
