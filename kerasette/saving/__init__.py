"""Saving and loading models and weights in Keras's file formats, and the object registries.

``save_model``/``load_model`` handle ``.keras`` (Keras 3) and ``.h5`` (legacy
Keras HDF5); ``Model.save_weights``/``load_weights`` add ``.weights.h5``.
Reading is defensive: no code from files, classes only from registries,
unsafe HDF5 and zip content refused, sizes bounded (``limits``), shapes
checked before data is read, and nothing assigned until everything was
checked. Every problem with a file raises ``InvalidFileError`` (a
``ValueError``; ``UnsafeFileError`` for refused content is a subclass).
"""

from kerasette.registry import (  # noqa: F401
    CustomObjectScope,
    Registry,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from kerasette.saving import limits  # noqa: F401
from kerasette.saving.errors import InvalidFileError, UnsafeFileError  # noqa: F401
from kerasette.saving.saving_api import load_model, load_weights, save_model, save_weights  # noqa: F401
from kerasette.saving.serialization_lib import deserialize_keras_object, serialize_keras_object  # noqa: F401
