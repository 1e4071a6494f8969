"""The Keras 3 weights layout (``.weights.h5`` files, and ``model.weights.h5`` inside ``.keras``).

The file mirrors the model's object tree: each layer of a model is a group
under ``layers/`` named after its class in snake_case (``conv2d``,
``conv2d_1`` for the second, ... in Keras's layer order; layer names are not
used), holding ``vars/0``, ``vars/1``, ... in the order trainable variables,
then non-trainable ones, as created. Each ``vars`` group carries the layer's
name in a ``name`` attribute. The optimizer state lives in
``optimizer/vars/<i>`` (iteration, learning rate, slots). Nested models
recurse (``layers/functional/layers/dense/vars/0``).
"""

import warnings

import h5py
import numpy as np

from kerasette.registry import is_model_class
from kerasette.saving import config_serialization as cs
from kerasette.saving import safe_h5
from kerasette.saving.atomic import atomic_path, check_destination
from kerasette.saving.optimizer_state import keras_ordered_variables, restore_optimizer
from kerasette.utils import naming


def container_entries(model):
    """``[(key, layer)]``: each layer of ``model`` with its group name under ``layers/``."""
    used, entries = {}, []
    for layer in list(model.layers):
        base = naming.to_snake_case(cs.model_class_name(layer) if is_model_class(type(layer)) else type(layer).__name__)
        if base in used:
            used[base] += 1
            key = f"{base}_{used[base]}"
        else:
            used[base], key = 0, base
        entries.append((key, layer))
    return entries


def own_variables(layer):
    """A layer's own variables as Keras 3 stores them: declared-trainable first, then the rest."""
    inner = [v for sub in layer._sublayers() for v in sub.weights]
    if inner:
        raise NotImplementedError(f"Layer `{layer.name}` holds sublayers with weights; the Keras 3 weights layout "
                                  "for such composite layers is not supported.")
    declared = layer._declared_trainable
    own = list(layer._weights)
    return [v for v in own if declared.get(id(v), True)] + [v for v in own if not declared.get(id(v), True)]


# ----- writing -----------------------------------------------------------------------------------
def _write_vars(group, name, variables):
    vars_group = group.create_group("vars")
    vars_group.attrs["name"] = name
    for index, variable in enumerate(variables):
        vars_group.create_dataset(str(index), data=variable.numpy())


def write_model_tree(group, model):
    """Write ``layers/...`` and the model's own (empty) ``vars`` into ``group``."""
    layers_group = group.create_group("layers")
    for key, layer in container_entries(model):
        sub = layers_group.create_group(key)
        if is_model_class(type(layer)):
            write_model_tree(sub, layer)
        else:
            _write_vars(sub, layer.name, own_variables(layer))
    _write_vars(group, model.name, [])


def _optimizer_to_save(model):
    optimizer = getattr(model, "optimizer", None)
    if getattr(model, "compiled", False) and optimizer is not None and optimizer.built:
        return optimizer
    return None


def write_weights(h5file, model, include_optimizer=True):
    """The whole Keras 3 weights tree of ``model`` (and its optimizer state when compiled and built)."""
    write_model_tree(h5file, model)
    optimizer = _optimizer_to_save(model) if include_optimizer else None
    if optimizer is not None:
        _write_vars(h5file.create_group("optimizer"), optimizer.name, keras_ordered_variables(model, optimizer))


def save_weights_file(model, filepath, overwrite=True):
    """``model.save_weights("x.weights.h5")``."""
    check_destination(filepath, overwrite)
    with atomic_path(filepath, overwrite) as tmp:
        with h5py.File(tmp, "w") as f:
            write_weights(f, model)


# ----- reading -----------------------------------------------------------------------------------
def _layers_group(group, source):
    for key in ("layers", "_layer_checkpoint_dependencies"):  # the second is TF-Keras 2.13's name
        if safe_h5.has(group, key):
            return safe_h5.get_group(group, key)
    raise ValueError(f"{source} has no `layers` group: it is not a Keras 3 weights file.")


def _count_datasets(group):
    return sum(1 for key in group.keys() if group.get(key, getlink=True) is not None)


def read_model_tree(group, model, source, check_names):
    """``[(variable, value)]`` for every layer of ``model``; everything is checked, nothing assigned.

    Raises:
        ValueError: missing or extra layers, variable count or shape mismatches, layer-name mismatches
            (with ``check_names``).
        UnsafeFileError: refused links, storage or shape bombs.
    """
    layers_group = _layers_group(group, source)
    assignments, expected_keys = [], set()
    for key, layer in container_entries(model):
        expected_keys.add(key)
        where = f"`{layers_group.name}/{key}`"
        if is_model_class(type(layer)):
            if safe_h5.has(layers_group, key):
                assignments += read_model_tree(safe_h5.get_group(layers_group, key), layer, source, check_names)
            elif layer.weights:
                raise ValueError(f"{source} has no weights for nested model `{layer.name}` (expected {where}).")
            continue
        variables = own_variables(layer)
        if not variables:
            continue
        if not safe_h5.has(layers_group, f"{key}/vars"):
            raise ValueError(f"{source} has no weights for layer `{layer.name}` ({type(layer).__name__}); expected "
                             f"them in {where}/vars. The file was saved from a different model. Nothing was loaded.")
        vars_group = safe_h5.get_group(layers_group, f"{key}/vars")
        stored_name = safe_h5.read_text_attr(vars_group, "name")
        if check_names and stored_name is not None and stored_name != layer.name:
            raise ValueError(f"{source}: {where} holds the weights of layer `{stored_name}`, but the model has "
                             f"`{layer.name}` there. The file is inconsistent. Nothing was loaded.")
        count = _count_datasets(vars_group)
        if count != len(variables):
            raise ValueError(f"Layer `{layer.name}` ({type(layer).__name__}) has {len(variables)} variables, but "
                             f"{source} has {count} in {where}/vars. Nothing was loaded.")
        datasets = [safe_h5.open_dataset(vars_group, str(i)) for i in range(len(variables))]
        for dataset, variable in zip(datasets, variables):
            what = f"variable `{variable.name}` of layer `{layer.name}`"
            assignments.append((variable, safe_h5.read_dataset(dataset, variable.shape, what)))
    extra = sorted(k for k in layers_group.keys() if k not in expected_keys and _has_weights(layers_group, k))
    if extra:
        raise ValueError(f"{source} has weights for layers the model does not have: {extra} (under "
                         f"`{layers_group.name}`). It was saved from a different model. Nothing was loaded.")
    return assignments


def _has_weights(layers_group, key):
    """True if the container entry ``key`` holds variables or sublayers (links are refused, not followed)."""
    sub = safe_h5.get_group(layers_group, key)
    if safe_h5.has(sub, "vars") and _count_datasets(safe_h5.get_group(sub, "vars")):
        return True
    return safe_h5.has(sub, "layers")


def assign(assignments):
    for variable, value in assignments:
        variable.assign(np.asarray(value, dtype=variable.dtype))


def restore_optimizer_tree(h5file, model, source):
    """Restore ``optimizer/vars/<i>`` into the model's (built) optimizer; warn and keep it fresh if it does not fit."""
    if not safe_h5.has(h5file, "optimizer/vars"):
        return False
    group = safe_h5.get_group(h5file, "optimizer/vars")
    count = _count_datasets(group)
    if any(group.get(str(i), getlink=True) is None for i in range(count)):
        warnings.warn(f"The optimizer state in {source} is not numbered 0..{count - 1}; the optimizer starts fresh.",
                      stacklevel=3)
        return False
    datasets = [safe_h5.open_dataset(group, str(i)) for i in range(count)]
    return restore_optimizer(model, datasets, [], source)


def load_weights_file(model, h5file, source, check_names=False):
    """Load the Keras 3 tree in an open file into ``model`` (and its optimizer, when compiled)."""
    assign(read_model_tree(h5file, model, source, check_names))
    if getattr(model, "compiled", False) and model.optimizer is not None:
        restore_optimizer_tree(h5file, model, source)
