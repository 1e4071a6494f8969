"""The legacy Keras HDF5 layout: full-model ``.h5`` files and weights-only ``.h5`` files.

Written the way tf.keras 2 writes them (and both tf.keras 2 and Keras 3 load):
root attributes ``keras_version``, ``backend``, ``model_config`` (the Keras 2
config form) and, for compiled models, ``training_config``; a
``model_weights`` group with ``layer_names`` and one group per layer whose
``weight_names`` lists its datasets (``<layer>/<var>:0``); and
``optimizer_weights`` with the optimizer state. A weights-only file has the
``model_weights`` content at the root.

Loading pairs layers with weights by position in Keras's layer order, as
Keras does (or by name with ``by_name=True``), follows ``weight_names``
whatever naming the writer used (``dense/kernel:0``, ``seq/dense/kernel``,
``kernel``), checks every shape before reading, and assigns nothing unless
every weight was read.
"""

import warnings

import h5py
import numpy as np

from kerasette.models.training_state import check_training_state, get_training_state, set_training_state
from kerasette.saving import compile_config as cc
from kerasette.saving import config_serialization as cs
from kerasette.saving import safe_h5
from kerasette.saving.atomic import atomic_path, check_destination
from kerasette.saving.budget import WeightBudget
from kerasette.saving.errors import InvalidFileError
from kerasette.saving.optimizer_state import keras_ordered_variables, stage_optimizer
from kerasette.saving.plan import LoadPlan

WRITTEN_KERAS_VERSION = "2.15.0"  # the tf.keras layout written here; Keras 3 reads it as its legacy format
WRITTEN_BACKEND = "tensorflow"
HDF5_OBJECT_HEADER_LIMIT = 64512


def legacy_weights(layer):
    """A layer's weights in the order Keras's legacy format lists them: trainable, then non-trainable."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _kerasette_version():
    import kerasette

    return kerasette.__version__


# ----- writing -----------------------------------------------------------------------------------
def write_names(obj, name, names):
    """A list-of-strings attribute as Keras writes it, split into ``name0, name1...`` above 64512 bytes."""
    data = np.asarray([n.encode("utf8") for n in names]) if names else np.asarray([])
    if any(len(n.encode("utf8")) > HDF5_OBJECT_HEADER_LIMIT for n in names):
        raise ValueError(f"A name in `{name}` is longer than {HDF5_OBJECT_HEADER_LIMIT} bytes and cannot be saved.")
    chunks = 1
    while data.nbytes and any(c.nbytes > HDF5_OBJECT_HEADER_LIMIT for c in np.array_split(data, chunks)):
        chunks += 1
    if chunks == 1:
        obj.attrs[name] = data
        return
    for index, chunk in enumerate(np.array_split(data, chunks)):
        obj.attrs[f"{name}{index}"] = chunk


def _write_version_attrs(obj):
    obj.attrs["backend"] = WRITTEN_BACKEND
    obj.attrs["keras_version"] = WRITTEN_KERAS_VERSION


def write_weights_group(group, model):
    """``layer_names`` plus one group per layer with ``weight_names`` and its datasets."""
    layers = list(model.layers)
    write_names(group, "layer_names", [layer.name for layer in layers])
    _write_version_attrs(group)
    for layer in layers:
        sub = group.create_group(layer.name)
        weights = legacy_weights(layer)
        names = [f"{v.path}:0" for v in weights]
        if len(set(names)) != len(names):
            raise ValueError(f"Layer `{layer.name}` has several weights with the same path {names}; "
                             "the .h5 format needs unique names.")
        write_names(sub, "weight_names", names)
        for name, variable in zip(names, weights):
            sub.create_dataset(name, data=variable.numpy())
    write_names(group.create_group("top_level_model_weights"), "weight_names", [])


def _write_optimizer(f, model):
    group = f.create_group("optimizer_weights")
    variables = keras_ordered_variables(model, model.optimizer)
    names = [v.path for v in variables]
    write_names(group, "weight_names", names)
    for name, variable in zip(names, variables):
        group.create_dataset(name, data=variable.numpy())


def save_model_h5(model, filepath, overwrite=True, include_optimizer=True):
    """Write a full-model legacy ``.h5`` file (config, weights, and the training state if compiled)."""
    check_destination(filepath, overwrite)
    model_config = cs.dumps(cs.k2_model_config(model))
    training = cc.training_config(model) if include_optimizer else None
    with atomic_path(filepath, overwrite) as tmp:
        with h5py.File(tmp, "w") as f:
            _write_version_attrs(f)
            f.attrs["kerasette_version"] = _kerasette_version()
            f.attrs["kerasette_epochs_trained"] = int(getattr(model, "epochs_trained", 0))
            f.attrs["kerasette_training_state"] = cs.dumps(get_training_state(model)).encode("utf8")
            f.attrs["model_config"] = model_config.encode("utf8")
            if training is not None:
                f.attrs["training_config"] = cs.dumps(training).encode("utf8")
            write_weights_group(f.create_group("model_weights"), model)
            if training is not None and model.optimizer.built:
                _write_optimizer(f, model)


def save_weights_h5(model, filepath, overwrite=True):
    """Write a weights-only legacy ``.h5`` file (tf.keras 2 ``save_weights("w.h5")`` layout)."""
    check_destination(filepath, overwrite)
    with atomic_path(filepath, overwrite) as tmp:
        with h5py.File(tmp, "w") as f:
            write_weights_group(f, model)


# ----- reading -----------------------------------------------------------------------------------
def _file_layers(group, source):
    names = safe_h5.read_names_attr(group, "layer_names")
    if names is None:
        raise InvalidFileError(f"{source} has no `layer_names`: it is not a Keras weights file.", source,
                               f"{group.name}/@layer_names")
    entries = []
    for name in names:
        sub = safe_h5.get_group(group, name)
        entries.append((name, sub, safe_h5.read_names_attr(sub, "weight_names") or []))
    return entries


def _read_layer(layer, sub, weight_names, source, skip_mismatch, file_name):
    """[(variable, value)] for one layer, or None when skipped for a mismatch."""
    weights = legacy_weights(layer)
    if len(weight_names) != len(weights):
        message = (f"Layer `{layer.name}` ({type(layer).__name__}) has {len(weights)} weights, but the layer "
                   f"`{file_name}` in {source} has {len(weight_names)}: {weight_names[:20]}.")
        if skip_mismatch:
            warnings.warn(message + " Skipped.", stacklevel=4)
            return None
        raise InvalidFileError(message + " Nothing was loaded.", source, sub.name)
    datasets = [safe_h5.open_dataset(sub, name) for name in weight_names]
    for dataset, variable in zip(datasets, weights):
        if skip_mismatch and tuple(dataset.shape) != tuple(variable.shape):
            warnings.warn(f"Skipping layer `{layer.name}`: weight `{variable.name}` has shape {variable.shape} "
                          f"but {source} has {tuple(dataset.shape)}.", stacklevel=4)
            return None
    return [(variable, safe_h5.read_dataset(dataset, variable.shape,
                                            f"weight `{variable.name}` of layer `{layer.name}`"))
            for dataset, variable in zip(datasets, weights)]


def weights_root(f):
    """The group holding ``layer_names``: the root of a weights file, or ``model_weights`` of a model file."""
    if safe_h5.read_names_attr(f, "layer_names") is None and safe_h5.has(f, "model_weights"):
        return safe_h5.get_group(f, "model_weights")
    return f


def read_weights_group(group, model, by_name=False, skip_mismatch=False, source="the file"):
    """``[(variable, value)]`` for the weights stored in a legacy weights group; nothing is assigned.

    Raises:
        InvalidFileError: layer count or weight count/shape mismatches (unless skipped), with names and counts;
            refused links, storage, shape bombs.
    """
    entries = _file_layers(group, source)
    assignments = []
    if by_name:
        by_layer = {name: (sub, names) for name, sub, names in entries}
        for layer in list(model.layers):
            if layer.name in by_layer and legacy_weights(layer):
                sub, names = by_layer[layer.name]
                read = _read_layer(layer, sub, names, source, skip_mismatch, layer.name)
                assignments.extend(read or [])
    else:
        layers = [layer for layer in list(model.layers) if legacy_weights(layer)]
        stored = [(name, sub, names) for name, sub, names in entries if names]
        if len(layers) != len(stored):
            raise InvalidFileError(
                f"Layer count mismatch when loading weights from {source}: the file has {len(stored)} layers with "
                f"weights {[n for n, _, _ in stored][:50]}, but model `{model.name}` has {len(layers)} "
                f"{[layer.name for layer in layers][:50]}. Nothing was loaded. (Weights are matched by position; "
                "use by_name=True to match layers by name.)", source, group.name
            )
        for layer, (name, sub, names) in zip(layers, stored):
            read = _read_layer(layer, sub, names, source, skip_mismatch, name)
            assignments.extend(read or [])
    if safe_h5.has(group, "top_level_model_weights"):
        top = safe_h5.get_group(group, "top_level_model_weights")
        if safe_h5.read_names_attr(top, "weight_names"):
            raise InvalidFileError(f"{source} holds weights owned by the model itself (`top_level_model_weights`); "
                                   "kerasette models own no weights outside their layers.", source, top.name)
    return assignments


def load_weights_group(group, model, by_name=False, skip_mismatch=False, source="the file"):
    """Assign the weights stored in a legacy weights group to ``model`` (all or nothing)."""
    LoadPlan(read_weights_group(group, model, by_name, skip_mismatch, source)).apply()


def stage_optimizer_weights(f, model, source):
    """The checked ``optimizer_weights`` state for the model's optimizer (``OptimizerState``), or None."""
    if not safe_h5.has(f, "optimizer_weights"):
        return None
    group = safe_h5.get_group(f, "optimizer_weights")
    names = safe_h5.read_names_attr(group, "weight_names") or []
    return stage_optimizer(model, [safe_h5.open_dataset(group, name) for name in names], names, source)


def plan_weights_file(f, model, by_name=False, skip_mismatch=False, source="the file"):
    """A ``LoadPlan`` for ``model.load_weights`` from a legacy file (weights-only, or a full model).

    A full-model file also restores the optimizer state when the model is
    compiled (as ``.keras`` and ``.weights.h5`` files do), all or nothing.
    """
    weights = read_weights_group(weights_root(f), model, by_name, skip_mismatch, source)
    optimizer = None
    if getattr(model, "compiled", False) and model.optimizer is not None and not (by_name or skip_mismatch):
        optimizer = stage_optimizer_weights(f, model, source)
    return LoadPlan(weights, optimizer)


def load_model_h5(filepath, custom_objects=None, compile=True, source=None):
    """Rebuild a model from a full-model legacy ``.h5`` file.

    The weight datasets are counted before the model is built, so a config
    that asks for more weights than the file holds is refused before its
    memory is taken; every weight and the optimizer state are then read and
    checked before any is assigned.

    Raises:
        InvalidFileError: not an HDF5 file, refused content, a weights-only file, unknown classes,
            mismatched weights.
    """
    source = source or repr(str(filepath))
    with safe_h5.open_h5(filepath, source) as f:
        text = safe_h5.read_text_attr(f, "model_config")
        if text is None:
            raise InvalidFileError(f"{source} has no `model_config`: it holds weights only. Build the model in code "
                                   "and call `model.load_weights(...)`.", source, "/@model_config")
        config = cs.loads(text, source, "model_config")
        weights_group = safe_h5.get_group(f, "model_weights")
        datasets, values = safe_h5.inventory(weights_group)
        shapes = {name: [safe_h5.open_dataset(sub, weight).shape for weight in names]
                  for name, sub, names in _file_layers(weights_group, source)}
        model = cs.model_from_config(config, custom_objects, source,
                                     WeightBudget(source, values, datasets, layer_shapes=shapes))
        plan = LoadPlan(read_weights_group(weights_group, model, source=source))
        state = _training_state(f, source)
        training = safe_h5.read_text_attr(f, "training_config")
        if compile and training is not None:
            cc.compile_from_config(model, cs.loads(training, source, "training_config"), custom_objects, source)
            plan.optimizer = stage_optimizer_weights(f, model, source)
        plan.apply()
    set_training_state(model, state, source)
    return model


def _training_state(f, source):
    """The saved training state (files from before it existed carry only the epoch count)."""
    text = safe_h5.read_text_attr(f, "kerasette_training_state")
    if text is None:
        state = {"epochs_trained": safe_h5.read_int_attr(f, "kerasette_epochs_trained", 0)}
    else:
        state = cs.loads(text, source, "kerasette_training_state")
    try:
        return check_training_state(state, source)
    except ValueError as error:
        raise InvalidFileError(str(error), source, "/@kerasette_training_state") from None
