"""Batches for ``fit``/``evaluate``/``predict`` from every accepted input, one module per form.

- arrays in memory: ``ArrayAdapter`` (``arrays.py``)
- h5py datasets and numpy memmaps, read batch by batch: ``ArrayLikeAdapter`` (``array_like.py``)
- ``keras.utils.PyDataset`` (and its ``map``): ``PyDatasetAdapter`` (``py_dataset_adapter.py``)
- Python generators and iterators: ``GeneratorAdapter`` (``generator_adapter.py``)

``get_data_adapter`` picks one; ``training_data`` builds those of ``fit`` (with validation),
``evaluate`` and ``predict``. Every adapter prepares its batches in a background thread
(``prefetch.py``) while the current step runs, checks streamed batches one by one
(``batch_checks.py``) and uploads on the main thread (``adapter.py``).
"""

from kerasette.models.data_adapters.adapter import DataAdapter, EpochFeed, to_step_data
from kerasette.models.data_adapters.array_like import ArrayLikeAdapter, holds_array_like, is_array_like
from kerasette.models.data_adapters.arrays import ArrayAdapter
from kerasette.models.data_adapters.generator_adapter import GeneratorAdapter, is_generator
from kerasette.models.data_adapters.py_dataset_adapter import PyDatasetAdapter
from kerasette.models.data_adapters.training_data import (
    evaluate_adapter,
    fit_adapters,
    get_data_adapter,
    is_streamed,
    predict_adapter,
    warn_ran_out,
)

__all__ = [
    "ArrayAdapter", "ArrayLikeAdapter", "DataAdapter", "EpochFeed", "GeneratorAdapter", "PyDatasetAdapter",
    "evaluate_adapter", "fit_adapters", "get_data_adapter", "holds_array_like", "is_array_like", "is_generator",
    "is_streamed", "predict_adapter", "to_step_data", "warn_ran_out",
]
