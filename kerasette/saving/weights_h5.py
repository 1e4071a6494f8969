"""The Keras 3 weights layout (``.weights.h5`` files, and ``model.weights.h5`` inside ``.keras``).

The file mirrors the model's object tree: each layer of a model is a group
under ``layers/`` named after its class in snake_case (``conv2d``,
``conv2d_1`` for the second, ... in Keras's layer order; layer names are not
used), holding ``vars/0``, ``vars/1``, ... in the order trainable variables,
then non-trainable ones, as created. Each ``vars`` group carries the layer's
name in a ``name`` attribute. The optimizer state lives in
``optimizer/vars/<i>`` (iteration, learning rate, slots). Nested models
recurse (``layers/functional/layers/dense/vars/0``).

A subclassed model (no recorded graph) is stored as Keras 3 walks it: its attributes in name order
(public first), so a layer held in ``self.first`` is ``first/vars`` and the layers not met yet are
under ``layers/<class>_<i>`` (``model.layers`` is walked as the attribute ``layers``).
"""

import warnings

import h5py

from kerasette.registry import is_model_class
from kerasette.saving import config_serialization as cs
from kerasette.saving import layer_state, safe_h5
from kerasette.saving.atomic import atomic_path, check_destination
from kerasette.saving.errors import InvalidFileError
from kerasette.saving.optimizer_state import keras_ordered_variables, stage_optimizer
from kerasette.saving.plan import LoadPlan
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
    """A layer's own variables as Keras 3 stores them: declared-trainable first, then the rest (sublayers apart)."""
    return layer_state.own_variables(layer)


# ----- writing -----------------------------------------------------------------------------------
def _write_vars(group, name, variables):
    vars_group = group.create_group("vars")
    vars_group.attrs["name"] = name
    for index, variable in enumerate(variables):
        vars_group.create_dataset(str(index), data=variable.numpy())


def _walked_by_attribute(model):
    return not isinstance(model, cs.Functional)


def model_entries(model):
    """``[(key, object)]`` of a subclassed model in Keras 3's walk order: its attributes and ``layers``."""
    entries = layer_state.children(model) + [("layers", list(model.layers))]
    return sorted(entries, key=lambda item: "~" + item[0] if item[0].startswith("_") else item[0])


def write_model_tree(group, model):
    """Write ``layers/...`` and the model's own (empty) ``vars`` into ``group``."""
    if _walked_by_attribute(model):
        layer_state._write_children(group, model_entries(model), {id(model)}, write_model_tree)
        _write_vars(group, model.name, [])
        return
    layers_group = group.create_group("layers")
    visited = set()  # a layer held by another one is stored once, where the walk meets it first (as Keras)
    for key, layer in container_entries(model):
        if id(layer) in visited:
            continue
        sub = layers_group.create_group(key)
        if is_model_class(type(layer)):
            write_model_tree(sub, layer)
        else:
            layer_state.write_object(sub, layer, visited, write_model_tree)
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
def layers_group(group, source):
    """The group holding the layer entries (``layers``, or TF-Keras 2.13's ``_layer_checkpoint_dependencies``)."""
    for key in ("layers", "_layer_checkpoint_dependencies"):
        if safe_h5.has(group, key):
            return safe_h5.get_group(group, key)
    raise InvalidFileError(f"{source} has no `layers` group: it is not a Keras 3 weights file.", source, "/layers")


def _count_datasets(group):
    return len(safe_h5.keys(group))


def read_model_tree(group, model, source, check_names):
    """``[(variable, value)]`` for every layer of ``model``; everything is checked, nothing assigned.

    Raises:
        InvalidFileError: missing or extra layers, variable count or shape mismatches, layer-name mismatches
            (with ``check_names``), refused links, storage or shape bombs.
    """
    if _walked_by_attribute(model):
        expected = model_entries(model)
        staged = layer_state._read_children(group, expected, source, False, {id(model)}, read_model_tree, group.name)
        layer_state._refuse_extra(group, {key for key, _ in expected} | {"vars", "optimizer"}, model.name, source)
        return staged
    entries = layers_group(group, source)
    assignments, expected_keys, visited = [], set(), set()
    for key, layer in container_entries(model):
        expected_keys.add(key)
        if id(layer) in visited:
            continue
        where = f"`{entries.name}/{key}`"
        if is_model_class(type(layer)):
            if safe_h5.has(entries, key):
                assignments += read_model_tree(safe_h5.get_group(entries, key), layer, source, check_names)
            elif layer.weights:
                raise InvalidFileError(f"{source} has no weights for nested model `{layer.name}` (expected {where}).",
                                       source, f"{entries.name}/{key}")
            continue
        sub = safe_h5.get_group(entries, key) if safe_h5.has(entries, key) else None
        assignments += layer_state.read_object(sub, layer, source, check_names, visited, read_model_tree,
                                               where=f"{entries.name}/{key}")
    extra = sorted(k for k in safe_h5.keys(entries) if k not in expected_keys and _has_weights(entries, k))
    if extra:
        raise InvalidFileError(f"{source} has weights for layers the model does not have: {extra} (under "
                               f"`{entries.name}`). It was saved from a different model. Nothing was loaded.",
                               source, entries.name)
    return assignments


def _has_weights(entries, key):
    """True if the container entry ``key`` holds variables or sublayers (links are refused, not followed)."""
    sub = safe_h5.get_group(entries, key)
    if safe_h5.has(sub, "vars") and _count_datasets(safe_h5.get_group(sub, "vars")):
        return True
    return safe_h5.has(sub, "layers")


def stage_optimizer_tree(h5file, model, source):
    """The checked state in ``optimizer/vars/<i>`` for the model's optimizer (``OptimizerState``), or None.

    None (with a warning) when the state does not fit the optimizer, as Keras
    does; damaged values raise. Nothing is assigned.
    """
    if not safe_h5.has(h5file, "optimizer/vars"):
        return None
    group = safe_h5.get_group(h5file, "optimizer/vars")
    count = _count_datasets(group)
    if not all(safe_h5.has(group, str(i)) for i in range(count)):
        warnings.warn(f"The optimizer state in {source} is not numbered 0..{count - 1}; the optimizer state is not "
                      "restored.", stacklevel=3)
        return None
    datasets = [safe_h5.open_dataset(group, str(i)) for i in range(count)]
    return stage_optimizer(model, datasets, [], source)


def plan_weights_file(model, h5file, source, check_names=False):
    """A ``LoadPlan`` for the Keras 3 tree in an open file: layers, and the optimizer when the model is compiled."""
    weights = read_model_tree(h5file, model, source, check_names)
    optimizer = None
    if getattr(model, "compiled", False) and model.optimizer is not None:
        optimizer = stage_optimizer_tree(h5file, model, source)
    return LoadPlan(weights, optimizer)


def load_weights_file(model, h5file, source, check_names=False):
    """Load the Keras 3 tree in an open file into ``model`` (and its optimizer, when compiled): all or nothing."""
    plan_weights_file(model, h5file, source, check_names).apply()
