"""The model graph: the nodes between a model's inputs and outputs, run in topological order."""


def nodes_between(inputs, outputs):
    """Nodes needed to compute ``outputs`` from ``inputs``, in execution order.

    Raises a ValueError naming the layer when an output depends on an input
    tensor that is not among ``inputs`` (a disconnected graph).
    """
    input_ids = {id(t) for t in inputs}
    order, visited = [], set()

    def visit(tensor, path):
        if id(tensor) in input_ids:
            return
        if tensor.history is None:
            raise ValueError(f"Tensor {tensor!r} was not produced by a layer; cannot build a model from it.")
        layer, node_index, _ = tensor.history
        node = layer._inbound_nodes[node_index]
        if id(node) in visited:
            return
        if not node.input_tensors:
            raise ValueError(
                f"Graph disconnected: cannot obtain the value of tensor {tensor.name!r} from the model's "
                f"inputs. The input `{layer.name}` is needed but is not one of the model's inputs "
                f"{[t.name for t in inputs]}."
            )
        for parent in node.input_tensors:
            visit(parent, path)
        visited.add(id(node))
        order.append(node)

    for tensor in outputs:
        visit(tensor, [])
    return order


def run_nodes(nodes, inputs, values, training=None):
    """Run ``nodes`` with ``values`` fed to the symbolic ``inputs``; return a tensor map."""
    computed = {id(t): v for t, v in zip(inputs, values)}
    for node in nodes:
        args = [computed[id(t)] for t in node.input_tensors]
        kwargs = {"training": training, **node.kwargs}  # a mode fixed at graph-building time wins
        result = node.layer(args if node.inputs_are_list else args[0], **kwargs)
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

    def walk(tensor):
        layer, node_index, _ = tensor.history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        is_input = not node.input_tensors
        if not is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return
        first_seen.setdefault(id(layer), len(first_seen))
        if not is_input:
            for parent in node.input_tensors:
                walk(parent)
        finished.add(id(node))
        nodes.append(node)

    for tensor in outputs:
        walk(tensor)
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
