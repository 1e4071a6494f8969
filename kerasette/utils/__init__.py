"""Utilities, named as in ``keras.utils``: labels and sequences, datasets and files, progress, plots, serialization.

Names that live in other kerasette modules (serialization, ``clear_session``, ``is_keras_tensor``,
``unpack_x_y_sample_weight``) are looked up on first use, so importing ``kerasette.utils`` stays
free of import cycles.
"""

import importlib

from kerasette.registry import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from kerasette.utils.audio_dataset import audio_dataset_from_directory  # noqa: F401
from kerasette.utils.config_dict import Config  # noqa: F401
from kerasette.utils.data_packing import pack_x_y_sample_weight  # noqa: F401
from kerasette.utils.dataset_utils import split_dataset  # noqa: F401
from kerasette.utils.file_utils import get_file  # noqa: F401
from kerasette.utils.graph_utils import get_source_inputs  # noqa: F401
from kerasette.utils.image_dataset import image_dataset_from_directory  # noqa: F401
from kerasette.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from kerasette.utils.io_utils import (  # noqa: F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from kerasette.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from kerasette.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from kerasette.utils.progbar import Progbar  # noqa: F401
from kerasette.utils.py_dataset import PyDataset  # noqa: F401
from kerasette.utils.py_dataset import PyDataset as Sequence  # noqa: F401
from kerasette.utils.rng_utils import set_random_seed  # noqa: F401
from kerasette.utils.sequence_utils import pad_sequences  # noqa: F401
from kerasette.utils.text_dataset import text_dataset_from_directory  # noqa: F401
from kerasette.utils.timeseries_dataset import timeseries_dataset_from_array  # noqa: F401

_LAZY = {
    "clear_session": "kerasette.backend",
    "is_keras_tensor": "kerasette.backend",
    "standardize_dtype": "kerasette.dtypes",
    "serialize_keras_object": "kerasette.saving.serialization_lib",
    "deserialize_keras_object": "kerasette.saving.serialization_lib",
    "unpack_x_y_sample_weight": "kerasette.models.data_adapter",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kerasette.utils' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
