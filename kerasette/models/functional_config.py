"""Functional model configs in Keras's layout, and rebuilding models from them.

``{"name", "trainable", "layers": [{"class_name", "config", "name",
"inbound_nodes": [[[layer, node, tensor, kwargs], ...], ...]}], "input_layers":
[[layer, node, tensor]], "output_layers": [...]}``. Node indices count only
the calls that belong to this model, as Keras numbers them. Both the Keras 2
inbound-node form (nested lists) and the Keras 3 form (``{"args", "kwargs"}``)
are read.
"""

import inspect

from kerasette.models.graph import tensor_ref


def positional_names(layer, count):
    """The names of the ``count`` positional arguments of ``layer.call`` after its inputs.

    Keras 2's node format has no slot for extra positional arguments, so they are written by name
    (as tf.keras writes them).

    Raises:
        NotImplementedError: when ``call`` takes ``*args`` (there are no names to write them under).
    """
    parameters = list(inspect.signature(type(layer).call).parameters.values())[2:]
    if any(p.kind == p.VAR_POSITIONAL for p in parameters[:count]) or len(parameters) < count:
        raise NotImplementedError(f"Layer `{layer.name}` is called with {count} extra positional argument(s) that "
                                  f"its `call` signature does not name; such a call cannot be written in a config.")
    return [p.name for p in parameters[:count]]


def node_call(node, refs):
    """``(first-argument refs, kwargs)`` of a node in Keras 2's form, tensors replaced by ``refs``.

    Extra positional arguments join the keyword arguments under their parameter names.
    """
    first, args, kwargs = node.call_arguments(refs)
    kwargs = dict(kwargs)
    kwargs.update(zip(positional_names(node.layer, len(args)), args))
    return (first if node.inputs_are_list else [first]), kwargs


def get_functional_config(model):
    """The config of a Functional model (the layout in the module docstring)."""
    graph = model.graph
    numbering = graph.numbering()
    entries = {}
    for layer in model.layers:
        entries[layer.name] = {"class_name": type(layer).__name__, "config": layer.get_config(),
                               "name": layer.name, "inbound_nodes": []}
    for node in graph.nodes:
        first, kwargs = node_call(node, [tensor_ref(t, numbering) for t in node.input_tensors])
        entries[node.layer.name]["inbound_nodes"].append([ref + [kwargs] for ref in first])
    struct_in, struct_out = graph.input_structure, graph.output_structure
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "layers": list(entries.values()),
        "input_layers": [tensor_ref(t, numbering) for t in model.inputs],
        "output_layers": [tensor_ref(t, numbering) for t in model.outputs],
    }
    if struct_in[0] == "dict":
        config["input_layers"] = dict(zip(struct_in[1], config["input_layers"]))
    if struct_out[0] == "dict":
        config["output_layers"] = dict(zip(struct_out[1], config["output_layers"]))
    return config


def _parse_node(node):
    """[(layer, node_index, tensor_index, kwargs)] and whether the first argument is a list (Keras 2 form)."""
    refs = [(r[0], r[1], r[2], r[3] if len(r) > 3 else {}) for r in node]
    return refs, len(refs) > 1


def _is_ref(value, layers):
    """Whether a keyword-argument value is a tensor reference ``[layer name, node, tensor]`` (tf.keras's form)."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and value[0] in layers
            and all(isinstance(i, int) and not isinstance(i, bool) for i in value[1:]))


def _kwarg_refs(value, layers):
    if _is_ref(value, layers):
        return [value]
    if isinstance(value, list):
        return [ref for item in value for ref in _kwarg_refs(item, layers)]
    return []


def _resolve_kwarg(value, layers, outputs_of):
    if _is_ref(value, layers):
        return _select(outputs_of[(value[0], value[1])], value[2], value[0])
    if isinstance(value, list) and value and all(_kwarg_refs(item, layers) for item in value):
        return [_resolve_kwarg(item, layers, outputs_of) for item in value]
    return value


def functional_from_config(cls, config, custom_objects=None):
    """Rebuild a functional model: create each layer, then replay its calls in dependency order."""
    from kerasette.layers import InputLayer, deserialize

    layers, pending, outputs_of = {}, [], {}
    for spec in config["layers"]:
        layer = deserialize(spec, custom_objects=custom_objects)
        name = spec.get("name", spec["config"].get("name"))
        layers[name] = layer
        if isinstance(layer, InputLayer):
            outputs_of[(name, 0)] = layer.output
        for node in spec.get("inbound_nodes", []):
            pending.append((name, node))
    counts = {}
    while pending:
        progressed = False
        for item in list(pending):
            name, node = item
            refs, as_list = _parse_node(node)
            kwargs = dict(refs[0][3]) if refs else {}
            needed = [tuple(ref[:2]) for ref in refs]
            needed += [tuple(ref[:2]) for value in kwargs.values() for ref in _kwarg_refs(value, layers)]
            if not all(key in outputs_of for key in needed):
                continue
            args = [_select(outputs_of[(r[0], r[1])], r[2], r[0]) for r in refs]
            kwargs = {k: _resolve_kwarg(v, layers, outputs_of) for k, v in kwargs.items()}
            result = layers[name](args if as_list else args[0], **kwargs)
            index = counts.get(name, 0)
            counts[name] = index + 1
            outputs_of[(name, index)] = result
            pending.remove(item)
            progressed = True
        if not progressed:
            missing = sorted({name for name, _ in pending})
            raise ValueError(f"Cannot rebuild the model: the inputs of layer(s) {missing} are never produced.")

    def tensors(refs):
        if isinstance(refs, dict):
            return {k: _select(outputs_of[(r[0], r[1])], r[2], r[0]) for k, r in refs.items()}
        if refs and not isinstance(refs[0], (list, tuple)):
            refs = [refs]
        return [_select(outputs_of[(r[0], r[1])], r[2], r[0]) for r in refs]

    inputs, outputs = tensors(config["input_layers"]), tensors(config["output_layers"])
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    model = cls(inputs, outputs, name=config.get("name"))
    if not config.get("trainable", True):
        model.trainable = False
    return model


def _select(value, tensor_index, layer):
    """Output ``tensor_index`` of a layer call (one tensor or a list of them)."""
    outputs = value if isinstance(value, (list, tuple)) else [value]
    if not 0 <= tensor_index < len(outputs):
        raise ValueError(f"Cannot rebuild the model: it uses output tensor {tensor_index} of layer {layer!r}, "
                         f"which has {len(outputs)} output(s).")
    return outputs[tensor_index]
