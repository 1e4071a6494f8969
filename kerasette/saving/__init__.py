"""Saving and loading models (HDF5 arrives in its own issue) and the object registries."""

from kerasette.saving.object_registry import (  # noqa: F401
    Registry,
    get_registered_object,
    register_keras_serializable,
)
