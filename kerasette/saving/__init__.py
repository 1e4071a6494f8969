"""Saving and loading models (HDF5 arrives in its own issue) and the object registries."""

from kerasette.saving.object_registry import Registry  # noqa: F401
