"""Models: ``Model`` (the base and the functional front door), ``Functional``, ``Sequential``."""

from kerasette.layers import registry as _layer_registry
from kerasette.models.cloning import clone_model
from kerasette.models.functional import Functional
from kerasette.models.model import Model
from kerasette.models.sequential import Sequential
from kerasette.saving.saving_api import load_model, save_model
from kerasette.saving.serialization_lib import model_from_json

_layer_registry.register()(Functional)
_layer_registry.register()(Sequential)

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]
