"""Functional model configs in Keras's layout, and rebuilding models from them.

``{"name", "trainable", "layers": [{"class_name", "config", "name",
"inbound_nodes": [[[layer, node, tensor, kwargs], ...], ...]}], "input_layers":
[[layer, node, tensor]], "output_layers": [...]}``. Node indices count only
the calls that belong to this model, as Keras numbers them. Both the Keras 2
inbound-node form (nested lists) and the Keras 3 form (``{"args", "kwargs"}``)
are read.
"""

from kerasette.models.graph import tensor_ref


def get_functional_config(model):
    """The config of a Functional model (the layout in the module docstring)."""
    graph = model.graph
    numbering = graph.numbering()
    entries = {}
    for layer in model.layers:
        entries[layer.name] = {"class_name": type(layer).__name__, "config": layer.get_config(),
                               "name": layer.name, "inbound_nodes": []}
    for node in graph.nodes:
        refs = [tensor_ref(t, numbering) + [dict(node.kwargs)] for t in node.input_tensors]
        entries[node.layer.name]["inbound_nodes"].append(refs)
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
    """[(layer, node_index, tensor_index, kwargs)] from either Keras node form."""
    if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
        args = node.get("args", [])
        flat = args[0] if len(args) == 1 and isinstance(args[0], list) else args
        refs = []
        for item in flat:
            history = item["config"]["keras_history"]
            refs.append((history[0], history[1], history[2], {}))
        return refs, bool(len(args) == 1 and isinstance(args[0], list))
    refs = [(r[0], r[1], r[2], r[3] if len(r) > 3 else {}) for r in node]
    return refs, len(refs) > 1


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
            if not all((ref[0], ref[1]) in outputs_of for ref in refs):
                continue
            args = [_select(outputs_of[(r[0], r[1])], r[2]) for r in refs]
            kwargs = refs[0][3] if refs else {}
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
            return {k: _select(outputs_of[(r[0], r[1])], r[2]) for k, r in refs.items()}
        if refs and not isinstance(refs[0], (list, tuple)):
            refs = [refs]
        return [_select(outputs_of[(r[0], r[1])], r[2]) for r in refs]

    inputs, outputs = tensors(config["input_layers"]), tensors(config["output_layers"])
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    model = cls(inputs, outputs, name=config.get("name"))
    if not config.get("trainable", True):
        model.trainable = False
    return model


def _select(value, tensor_index):
    return value[tensor_index] if isinstance(value, (list, tuple)) else value
