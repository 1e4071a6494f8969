"""The model graph: the nodes between a model's inputs and outputs, run in topological order.

Also how Keras numbers those nodes in configs and summaries: a node's index counts only the calls
of its layer that belong to this model, in execution order.
"""


from kerasette.layers.node import KerasTensor


class Graph:
    """The graph of a functional model: symbolic inputs and outputs, and the nodes between them.

    Args:
        inputs: the symbolic input tensor(s): a tensor, a list or a dict.
        outputs: the symbolic output tensor(s): a tensor, a list or a dict.
        owner: the model's name, for messages.

    Attributes:
        inputs, outputs: flat lists of the symbolic tensors.
        input_structure, output_structure: ``("single", 1)``, ``("list", n)`` or
            ``("dict", keys)``: how the tensors were given, so values are packed the same way.
        nodes: the layer calls between inputs and outputs, in execution order.
        layers: the layers in Keras's order (see ``keras_layer_order``).

    Raises:
        TypeError: an input or output is not a symbolic tensor.
        ValueError: a missing input or output, a disconnected graph, or two layers with one name.
    """

    def __init__(self, inputs, outputs, owner):
        self.input_structure = _structure(inputs, "inputs")
        self.output_structure = _structure(outputs, "outputs")
        self.inputs, self.outputs = _flatten(inputs), _flatten(outputs)
        for what, group in (("inputs", self.inputs), ("outputs", self.outputs)):
            for tensor in group:
                if not isinstance(tensor, KerasTensor):
                    raise TypeError(f"All model {what} must be symbolic tensors (from `Input` or a layer "
                                    f"call). Received: {tensor!r}")
        self.nodes = nodes_between(self.inputs, self.outputs)
        self.layers = keras_layer_order(self.inputs, self.outputs)
        seen, duplicates = set(), set()
        for layer in self.layers:
            (duplicates if layer.name in seen else seen).add(layer.name)
        duplicates = sorted(duplicates)
        if duplicates:
            raise ValueError(f"The name(s) {duplicates} are used by more than one layer in model "
                             f"`{owner}`. All layer names should be unique.")

    def run(self, values, training=None):
        """The outputs (packed as they were given) for input ``values`` (packed as the inputs were)."""
        flat = _flatten_values(values, self.input_structure, len(self.inputs))
        computed = run_nodes(self.nodes, self.inputs, flat, training=training)
        return self.pack_outputs([computed[id(t)] for t in self.outputs])

    def pack_outputs(self, results):
        """A flat list of per-output values in the structure the outputs were given in."""
        kind, keys = self.output_structure
        if kind == "dict":
            return dict(zip(keys, results))
        if kind == "list":
            return list(results)
        return results[0]

    def numbering(self):
        """Keras's numbering of this graph's nodes (see ``node_numbering``)."""
        return node_numbering(self.inputs, self.nodes)


def _structure(value, what):
    if isinstance(value, dict):
        return ("dict", list(value))
    if isinstance(value, (list, tuple)):
        return ("list", len(value))
    if value is None:
        raise ValueError(f"A functional model needs `{what}`.")
    return ("single", 1)


def _flatten(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _flatten_values(values, structure, count):
    kind, keys = structure
    if kind == "dict" and isinstance(values, dict):
        missing = [k for k in keys if k not in values]
        if missing:
            raise ValueError(f"Missing model inputs {missing}; expected keys {keys}.")
        return [values[k] for k in keys]
    flat = list(values) if isinstance(values, (list, tuple)) else [values]
    if len(flat) != count:
        raise ValueError(f"The model expects {count} input(s), but received {len(flat)}.")
    return flat


def nodes_between(inputs, outputs):
    """Nodes needed to compute ``outputs`` from ``inputs``, in execution order.

    A depth-first walk from the outputs (iterative, so a model may be thousands
    of layers deep): a node comes after the nodes of its inputs, parents in order.

    Raises a ValueError naming the layer when an output depends on an input
    tensor that is not among ``inputs`` (a disconnected graph).
    """
    input_ids = {id(t) for t in inputs}
    order, visited = [], set()
    stack = [(tensor, False) for tensor in reversed(outputs)]
    while stack:
        tensor, expanded = stack.pop()
        if id(tensor) in input_ids:
            continue
        if tensor.history is None:
            raise ValueError(f"Tensor {tensor!r} was not produced by a layer; cannot build a model from it.")
        layer, node_index, _ = tensor.history
        node = layer._inbound_nodes[node_index]
        if id(node) in visited:
            continue
        if expanded:
            visited.add(id(node))
            order.append(node)
            continue
        if not node.input_tensors:
            raise ValueError(
                f"Graph disconnected: cannot obtain the value of tensor {tensor.name!r} from the model's "
                f"inputs. The input `{layer.name}` is needed but is not one of the model's inputs "
                f"{[t.name for t in inputs]}."
            )
        stack.append((tensor, True))
        stack.extend((parent, False) for parent in reversed(node.input_tensors))
    return order


def run_nodes(nodes, inputs, values, training=None):
    """Run ``nodes`` with ``values`` fed to the symbolic ``inputs``; return a tensor map."""
    computed = {id(t): v for t, v in zip(inputs, values)}
    for node in nodes:
        first, args, kwargs = node.call_arguments([computed[id(t)] for t in node.input_tensors])
        kwargs = {"training": training, **kwargs}  # a mode fixed at graph-building time wins
        result = node.layer(first, *args, **kwargs)
        results = result if node.outputs_are_list else [result]
        for tensor, value in zip(node.output_tensors, results):
            computed[id(tensor)] = value
    return computed


def keras_layer_order(inputs, outputs):
    """The layers between ``inputs`` and ``outputs`` in Keras's order.

    Keras sorts a functional model's layers by depth (distance from the
    outputs, deepest first) and breaks ties by the order a depth-first walk
    from the outputs first meets them. Weight files depend on it: legacy
    ``.h5`` pairs layers by position, ``.keras`` numbers repeated classes.
    """
    first_seen, finished, nodes = {}, set(), []
    input_ids = {id(t) for t in inputs}
    stack = [(tensor, False) for tensor in reversed(outputs)]  # depth first, as a recursion would go
    while stack:
        tensor, expanded = stack.pop()
        layer, node_index, _ = tensor.history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            continue
        if expanded:
            finished.add(id(node))
            nodes.append(node)
            continue
        is_input = not node.input_tensors
        if not is_input and id(tensor) in input_ids:
            finished.add(id(node))
            continue
        first_seen.setdefault(id(layer), len(first_seen))
        stack.append((tensor, True))
        if not is_input:
            stack.extend((parent, False) for parent in reversed(node.input_tensors))
    in_graph = {id(node) for node in nodes}
    node_depth, layer_depth, layers = {}, {}, []
    for node in reversed(nodes):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for node in nodes:
        if node.layer not in layers:
            layers.append(node.layer)
    for tensor in inputs:  # inputs the outputs do not use
        layer = tensor.history[0]
        if id(layer) not in layer_depth:
            layer_depth[id(layer)], first_seen[id(layer)] = 0, -1
            layers.append(layer)
    return sorted(layers, key=lambda l: (-layer_depth[id(l)], first_seen.get(id(l), len(layers))))


def node_numbering(inputs, nodes):
    """Map id(node) -> (layer name, index among this graph's calls of that layer), as Keras numbers them.

    Args:
        inputs: the graph's input tensors (each counts as call 0 of its InputLayer).
        nodes: the graph's nodes in execution order.
    """
    numbering, counts = {}, {}
    for tensor in inputs:
        layer = tensor.history[0]
        numbering[id(layer._inbound_nodes[tensor.history[1]])] = (layer.name, 0)
        counts[layer.name] = 1
    for node in nodes:
        name = node.layer.name
        numbering[id(node)] = (name, counts.get(name, 0))
        counts[name] = counts.get(name, 0) + 1
    return numbering


def tensor_ref(tensor, numbering):
    """``[layer name, node index, tensor index]`` of a symbolic tensor under ``numbering``."""
    layer, node_index, tensor_index = tensor.history
    name, index = numbering[id(layer._inbound_nodes[node_index])]
    return [name, index, tensor_index]
