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
        result = node.layer(args if node.inputs_are_list else args[0], training=training, **node.kwargs)
        results = result if node.outputs_are_list else [result]
        for tensor, value in zip(node.output_tensors, results):
            computed[id(tensor)] = value
    return computed
