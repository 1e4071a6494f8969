"""A layer's state in the Keras 3 weights tree: its own ``vars`` and the layers it holds, by attribute.

Keras 3 (``saving_lib._save_state``) stores each layer's own variables in ``<path>/vars`` through
``layer.save_own_variables(store)``, then visits the layer's attributes in name order (public
names first): an attribute holding a layer (or a metric) is stored under ``<path>/<attribute>``, and
a list, tuple or dict of them under ``<path>/<attribute>/<snake_case class name>`` (``dense``,
``dense_1``...). An object met twice is stored once, where it was met first. So a custom layer
with ``self.inner = Dense(3)`` and ``self.stack = [Dense(2), Dense(2)]`` has
``layers/block/vars``, ``layers/block/inner/vars`` and ``layers/block/stack/dense_1/vars``; files
move between Keras and kerasette both ways.

Reading follows the same walk and only stages ``(target, value)`` pairs after checking names,
counts and shapes; a layer that overrides ``load_own_variables`` gets a store of the checked
arrays when the plan is applied.
"""

import numpy as np

from kerasette.saving import safe_h5
from kerasette.saving.errors import InvalidFileError
from kerasette.utils import naming


def _is_model(obj):
    from kerasette.registry import is_model_class

    return is_model_class(type(obj))


def _is_saveable(obj):
    from kerasette.layers.layer import Layer
    from kerasette.metrics import Metric

    return isinstance(obj, (Layer, Metric))


def _holds_saveables(value, seen=None):
    seen = set() if seen is None else seen
    if id(value) in seen:
        return False
    seen.add(id(value))
    items = value.values() if isinstance(value, dict) else value
    return any(_is_saveable(v) or (isinstance(v, (list, tuple, dict)) and _holds_saveables(v, seen)) for v in items)


def children(layer):
    """``[(key, child)]``: the attributes of ``layer`` holding layers, metrics or containers of them, in Keras's order.

    Args:
        layer: a (non-model) layer.

    Returns:
        A list of ``(attribute name, object)``, public names first, each group sorted by name.
    """
    found = []
    for name, value in vars(layer).items():
        if name.startswith("__") or value is layer:
            continue
        if _is_saveable(value) or (isinstance(value, (list, tuple, dict)) and _holds_saveables(value)):
            found.append((name, value))
    return sorted(found, key=lambda item: "~" + item[0] if item[0].startswith("_") else item[0])


def container_children(container):
    """``[(key, item)]`` for the layers, metrics and nested containers in a container, named as Keras names them.

    Args:
        container: a list, tuple or dict.

    Returns:
        ``[("dense", layer), ("dense_1", layer), ("container", [...])...]``.
    """
    used, found = {}, []
    items = list(container.values()) if isinstance(container, dict) else list(container)
    for item in items:
        if _is_saveable(item):
            base = naming.to_snake_case(type(item).__name__)
        elif isinstance(item, (list, tuple, dict)):
            base = "container"
        else:
            continue
        count = used.get(base)
        used[base] = 0 if count is None else count + 1
        found.append((base if count is None else f"{base}_{count + 1}", item))
    return found


def own_variables(obj):
    """The variables ``obj`` stores in its own ``vars``: a layer's (declared trainable first), a metric's all."""
    from kerasette.layers.layer import Layer

    if isinstance(obj, Layer):
        return obj._own_variables()
    return list(obj.variables)


# ----- writing -----------------------------------------------------------------------------------
class WriteStore:
    """The ``store`` a layer's ``save_own_variables`` writes into: ``store["0"] = value`` makes ``vars/0``.

    Args:
        group: the HDF5 group of the layer (``vars`` is created in it).
        name: the layer's name, kept in the ``name`` attribute of ``vars``.
    """

    def __init__(self, group, name):
        self._vars = group.create_group("vars")
        self._vars.attrs["name"] = name

    def __setitem__(self, key, value):
        self._vars.create_dataset(str(key), data=np.asarray(value))

    def __getitem__(self, key):
        return np.asarray(self._vars[str(key)])

    def keys(self):
        """The names written so far."""
        return list(self._vars.keys())

    def __len__(self):
        return len(self._vars)


def write_object(group, obj, visited, write_model_tree):
    """Write ``obj`` (a layer or metric) and everything it holds into ``group``.

    Args:
        group: the object's HDF5 group.
        obj: the layer or metric.
        visited: ids of objects already written (each is stored once).
        write_model_tree: the writer of a model's tree, for models held by a layer.
    """
    visited.add(id(obj))
    if _is_model(obj):
        write_model_tree(group, obj)
        return
    store = WriteStore(group, getattr(obj, "name", type(obj).__name__))
    if hasattr(obj, "save_own_variables"):
        obj.save_own_variables(store)
    else:
        for index, variable in enumerate(own_variables(obj)):
            store[str(index)] = variable
    if _is_saveable(obj) and hasattr(obj, "_sublayers"):
        _write_children(group, children(obj), visited, write_model_tree)


def _write_children(group, entries, visited, write_model_tree):
    for key, child in entries:
        if isinstance(child, (list, tuple, dict)):
            if id(child) in visited:
                continue
            visited.add(id(child))
            _write_children(group.require_group(key), container_children(child), visited, write_model_tree)
        elif id(child) not in visited:
            write_object(group.create_group(key), child, visited, write_model_tree)


# ----- reading -----------------------------------------------------------------------------------
class ReadStore:
    """The read-only ``store`` given to a layer's own ``load_own_variables``: checked arrays by name.

    Args:
        values: ``{"0": array, ...}`` already read and checked.
    """

    def __init__(self, values):
        self._values = dict(values)

    def __getitem__(self, key):
        return self._values[str(key)]

    def keys(self):
        """The stored names (``"0"``, ``"1"``...)."""
        return list(self._values)

    def __len__(self):
        return len(self._values)

    def __contains__(self, key):
        return str(key) in self._values


class CustomLoad:
    """A staged call of a layer's own ``load_own_variables``, applied with the rest of a load plan.

    It sits in a plan's ``(target, value)`` list like a variable: ``assign`` runs the call.

    Args:
        layer: the layer whose ``load_own_variables`` is overridden.
        store: the ``ReadStore`` of its checked values.
    """

    dtype = None

    def __init__(self, layer, store):
        self.layer = layer
        self.store = store

    def assign(self, _value):
        """Run ``layer.load_own_variables(store)``."""
        self.layer.load_own_variables(self.store)


def _overrides_load(obj):
    from kerasette.layers.layer import Layer

    return isinstance(obj, Layer) and type(obj).load_own_variables is not Layer.load_own_variables


def read_object(group, obj, source, check_names, visited, read_model_tree, where=None):
    """``[(target, value)]`` for ``obj`` (a layer or metric) and everything it holds; nothing is assigned.

    Args:
        group: the object's HDF5 group, or None when the file has no entry for it.
        obj: the layer or metric.
        source: the file, for messages.
        check_names: compare the ``name`` attribute of ``vars`` with the layer's name.
        visited: ids of objects already read.
        read_model_tree: the reader of a model's tree, for models held by a layer.
        where: the group's path, for messages.

    Raises:
        InvalidFileError: missing entries, count or shape mismatches, name mismatches, entries the
            layer does not have.
    """
    visited.add(id(obj))
    name = getattr(obj, "name", type(obj).__name__)
    if _is_model(obj):
        if group is not None:
            return read_model_tree(group, obj, source, check_names)
        if obj.weights:
            raise InvalidFileError(f"{source} has no weights for nested model `{name}` (expected `{where}`).",
                                   source, where)
        return []
    staged = _read_own(group, obj, name, source, check_names, where)
    if _is_saveable(obj) and hasattr(obj, "_sublayers"):
        entries = children(obj)
        # Names of held layers are not compared: they are made in __init__, so a rebuilt layer names them anew.
        staged += _read_children(group, entries, source, False, visited, read_model_tree, where)
        if group is not None:
            _refuse_extra(group, {key for key, _ in entries} | {"vars"}, name, source)
    return staged


def _read_own(group, obj, name, source, check_names, where):
    variables = own_variables(obj)
    custom = _overrides_load(obj)
    if not variables and not custom:
        return []
    vars_group = safe_h5.get_group(group, "vars") if group is not None and safe_h5.has(group, "vars") else None
    if vars_group is None:
        if custom:
            return [(CustomLoad(obj, ReadStore({})), None)]
        raise InvalidFileError(f"{source} has no weights for layer `{name}` ({type(obj).__name__}); expected them in "
                               f"`{where}/vars`. The file was saved from a different model. Nothing was loaded.",
                               source, f"{where}/vars")
    stored_name = safe_h5.read_text_attr(vars_group, "name")
    if check_names and stored_name is not None and stored_name != name:
        raise InvalidFileError(f"{source}: `{where}` holds the weights of layer `{stored_name}`, but the model has "
                               f"`{name}` there. The file is inconsistent. Nothing was loaded.", source,
                               vars_group.name)
    keys = safe_h5.keys(vars_group)
    if custom:
        values = {key: safe_h5.read_dataset(safe_h5.open_dataset(vars_group, key), None,
                                            f"value `{key}` of layer `{name}`") for key in keys}
        return [(CustomLoad(obj, ReadStore(values)), None)]
    if len(keys) != len(variables) or not all(safe_h5.has(vars_group, str(i)) for i in range(len(variables))):
        raise InvalidFileError(f"Layer `{name}` ({type(obj).__name__}) has {len(variables)} variables, but {source} "
                               f"has {len(keys)} in `{where}/vars`. Nothing was loaded.", source, vars_group.name)
    datasets = [safe_h5.open_dataset(vars_group, str(i)) for i in range(len(variables))]
    return [(variable, safe_h5.read_dataset(dataset, variable.shape, f"variable `{variable.name}` of layer `{name}`"))
            for dataset, variable in zip(datasets, variables)]


def _read_children(group, entries, source, check_names, visited, read_model_tree, where):
    staged = []
    for key, child in entries:
        sub = safe_h5.get_group(group, key) if group is not None and safe_h5.has(group, key) else None
        path = f"{where}/{key}"
        if isinstance(child, (list, tuple, dict)):
            if id(child) in visited:
                continue
            visited.add(id(child))
            items = container_children(child)
            staged += _read_children(sub, items, source, check_names, visited, read_model_tree, path)
            if sub is not None:
                _refuse_extra(sub, {k for k, _ in items}, key, source)
        elif id(child) not in visited:
            staged += read_object(sub, child, source, check_names, visited, read_model_tree, path)
    return staged


def _refuse_extra(group, expected, owner, source):
    extra = sorted(key for key in safe_h5.keys(group) if key not in expected and _has_state(group, key))
    if extra:
        raise InvalidFileError(f"{source} has weights under `{group.name}` that `{owner}` does not hold: {extra}. It "
                               "was saved from a different model. Nothing was loaded.", source, group.name)


def _has_state(group, key):
    entry = safe_h5.get_group(group, key)
    if safe_h5.has(entry, "vars") and safe_h5.keys(safe_h5.get_group(entry, "vars")):
        return True
    return any(k != "vars" for k in safe_h5.keys(entry))
