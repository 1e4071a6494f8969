"""The adapters of ``fit`` (training and validation), ``evaluate`` and ``predict``, from the user's arguments.

Arrays in memory keep the checks ``fit`` always made before the first step (the whole data, by
the model's ``_adapt``); the streamed forms check their first batch up front and the others as
they come. Arguments that a form carries itself (``y`` and ``sample_weight`` of a PyDataset or a
generator) are refused as Keras refuses them; ``batch_size`` with them is ignored with a warning.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional, Tuple

from kerasette.models import data_adapter as da
from kerasette.models.data_adapters.array_like import ArrayLikeAdapter, holds_array_like
from kerasette.models.data_adapters.arrays import ArrayAdapter
from kerasette.models.data_adapters.generator_adapter import GeneratorAdapter, is_generator
from kerasette.models.data_adapters.py_dataset_adapter import PyDatasetAdapter
from kerasette.utils.py_dataset import PyDataset


def is_streamed(x: Any, y: Any = None, sample_weight: Any = None) -> bool:
    """Whether the data is read as it goes (a PyDataset, a generator, h5py datasets or memmaps).

    Args:
        x: the inputs argument.
        y: the targets argument.
        sample_weight: the weights argument.
    """
    return isinstance(x, PyDataset) or is_generator(x) or holds_array_like(x, y, sample_weight)


def _kind(x):
    return "PyDataset" if isinstance(x, PyDataset) else "generator"


def get_data_adapter(model: Any, x: Any, y: Any = None, sample_weight: Any = None, *, batch_size: Any = None,
                     shuffle: Any = False, steps: Optional[int] = None, seed: int = 0,
                     class_weight: Optional[dict] = None, argument: str = "x", need_y: bool = True,
                     batch_argument: str = "batch_size") -> Any:
    """The adapter for one input of any form.

    Args:
        model: the model the data is for.
        x: the inputs (arrays, h5py datasets/memmaps, a PyDataset or a generator).
        y: the targets (not with a PyDataset or a generator, which carry them).
        sample_weight: per-sample weights (likewise).
        batch_size: samples per batch (None: 32), for arrays.
        shuffle: True, False or ``"batch"``.
        steps: batches per epoch, or None.
        seed: the shuffling seed.
        class_weight: ``{class: weight}``, or None.
        argument: the argument's name, for messages.
        need_y: whether targets are required.
        batch_argument: the name of the batch size argument, for messages.
    """
    size = da.check_batch_size(batch_size, batch_argument)
    if isinstance(x, PyDataset) or is_generator(x):
        kind = _kind(x)
        for value, name, what in ((y, "y", "the targets"), (sample_weight, "sample_weight", "the sample weights")):
            if value is not None:
                raise ValueError(f"When providing `{argument}` as a {kind}, `{name}` should not be passed. Instead, "
                                 f"{what} should be included as part of the {kind}.")
        if batch_size is not None:
            warnings.warn(f"`{batch_argument}={batch_size}` is ignored: the {kind} makes its own batches.",
                          stacklevel=4)
        if isinstance(x, PyDataset):
            return PyDatasetAdapter(model, x, shuffle, steps, seed, class_weight, argument, need_y)
        if shuffle:
            warnings.warn(f"`shuffle=True` was passed, but will be ignored since the data `{argument}` was provided "
                          "as a generator. The generator is expected to yield already-shuffled data.", stacklevel=4)
        return GeneratorAdapter(model, x, steps, class_weight, argument, need_y)
    if holds_array_like(x, y, sample_weight):
        return ArrayLikeAdapter(model, x, y, sample_weight, size, shuffle, steps, seed, class_weight, argument, need_y)
    xs, ys, sw = model._adapt(x, y, sample_weight, argument=argument, need_y=need_y)
    return ArrayAdapter(xs, ys, _with_class_weight(ys, sw, class_weight), size, shuffle, steps, seed)


def _with_class_weight(ys, sw, class_weight):
    if class_weight is None:
        return sw
    if ys is None:
        raise ValueError("`class_weight` needs targets `y`.")
    if len(ys) > 1:
        raise ValueError("`class_weight` is only supported for models with a single output.")
    weights = da.class_weights_to_sample_weights(ys[0], class_weight)
    return weights if sw is None else sw * weights


def fit_adapters(model: Any, x: Any, y: Any, sample_weight: Any, batch_size: Any, shuffle: Any,
                 class_weight: Optional[dict], steps_per_epoch: Optional[int], validation_split: float,
                 validation_data: Any, validation_steps: Optional[int],
                 validation_batch_size: Any) -> Tuple[Any, Optional[Any]]:
    """``(training adapter, validation adapter or None)`` for ``fit``'s arguments.

    The training adapter's shuffling ``seed`` is set by ``fit`` afterwards (it is drawn once the
    model is built, so building consumes the random state as it always did).

    Args:
        model: the model being trained.
        x: ``fit``'s ``x``.
        y: ``fit``'s ``y``.
        sample_weight: ``fit``'s ``sample_weight``.
        batch_size: ``fit``'s ``batch_size`` (None: 32).
        shuffle: ``fit``'s ``shuffle``.
        class_weight: ``fit``'s ``class_weight``.
        steps_per_epoch: ``fit``'s ``steps_per_epoch``.
        validation_split: ``fit``'s ``validation_split``.
        validation_data: ``fit``'s ``validation_data``.
        validation_steps: ``fit``'s ``validation_steps``.
        validation_batch_size: ``fit``'s ``validation_batch_size``.
    """
    split = validation_split if validation_data is None else 0
    if is_streamed(x, y, sample_weight):
        train = get_data_adapter(model, x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                                 steps=steps_per_epoch, class_weight=class_weight)
        val = None
        if split:
            if not isinstance(train, ArrayLikeAdapter):
                raise ValueError(f"`validation_split` is only supported for arrays (in memory, HDF5 datasets or "
                                 f"memmaps); `x` is a {_kind(x)}. Pass `validation_data` instead.")
            train, val = train.split(split)
            val.steps = validation_steps
            if validation_batch_size is not None:
                val.batch_size = da.check_batch_size(validation_batch_size, "validation_batch_size")
    else:
        size = da.check_batch_size(batch_size)
        xs, ys, sw = model._adapt(x, y, sample_weight)
        sw = _with_class_weight(ys, sw, class_weight)
        val = None
        if split:
            (xs, ys, sw), parts = da.split_validation([xs, ys, None if sw is None else [sw]], split)
            val = ArrayAdapter(parts[0], parts[1], None if parts[2] is None else parts[2][0],
                               da.check_batch_size(validation_batch_size or size, "validation_batch_size"),
                               steps=validation_steps)
            sw = None if sw is None else sw[0]
        train = ArrayAdapter(xs, ys, sw, size, shuffle, steps_per_epoch)
    if validation_data is not None:
        val = validation_adapter(model, validation_data, validation_batch_size, batch_size, validation_steps)
    return train, val


def validation_adapter(model: Any, validation_data: Any, validation_batch_size: Any, batch_size: Any,
                       steps: Optional[int]) -> Any:
    """The adapter of ``fit``'s ``validation_data``: ``(x, y[, sample_weight])``, a PyDataset or a generator.

    Args:
        model: the model being trained.
        validation_data: the validation data.
        validation_batch_size: ``fit``'s ``validation_batch_size`` (None: ``batch_size``, for arrays).
        batch_size: ``fit``'s ``batch_size``.
        steps: ``validation_steps``.
    """
    if isinstance(validation_data, PyDataset) or is_generator(validation_data):
        return get_data_adapter(model, validation_data, batch_size=validation_batch_size, steps=steps,
                                argument="validation_data", batch_argument="validation_batch_size")
    parts = da.check_validation_data(validation_data) + [None]
    return get_data_adapter(model, parts[0], parts[1], parts[2], batch_size=validation_batch_size or batch_size,
                            steps=steps, argument="validation_data", batch_argument="validation_batch_size")


def evaluate_adapter(model: Any, x: Any, y: Any, sample_weight: Any, batch_size: Any, steps: Optional[int]) -> Any:
    """The adapter of ``evaluate``'s arguments.

    Args:
        model: the model evaluated.
        x: ``evaluate``'s ``x``.
        y: its ``y``.
        sample_weight: its ``sample_weight``.
        batch_size: its ``batch_size``.
        steps: its ``steps``.
    """
    return get_data_adapter(model, x, y, sample_weight, batch_size=batch_size, steps=steps)


def predict_adapter(model: Any, x: Any, batch_size: Any, steps: Optional[int]) -> Any:
    """The adapter of ``predict``'s arguments (targets in the data are ignored).

    Args:
        model: the model that predicts.
        x: ``predict``'s ``x``.
        batch_size: its ``batch_size``.
        steps: its ``steps``.
    """
    return get_data_adapter(model, x, batch_size=batch_size, steps=steps, need_y=False)


def warn_ran_out(what: str = "training") -> None:
    """Keras's warning for data that ended before the batches asked for.

    Args:
        what: ``"training"``, ``"validation"``, ``"evaluation"`` or ``"prediction"``.
    """
    warnings.warn(f"Your input ran out of data; interrupting {what}. Make sure that your dataset or generator can "
                  "generate at least `steps_per_epoch * epochs` batches (`steps` for evaluate and predict).",
                  stacklevel=3)
