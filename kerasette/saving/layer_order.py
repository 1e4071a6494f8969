"""The order in which Keras lists a model's layers, which its weight files depend on.

Legacy ``.h5`` files pair layers *by position* in ``model.layers``, and the
``.keras`` / ``.weights.h5`` layout numbers repeated classes (``conv2d``,
``conv2d_1``) in the same order, so a file only moves between libraries if
both order the layers alike. Keras (2 and 3, ``keras/src/ops/function.py``
``map_graph``) sorts a functional model's layers by depth (distance from the
outputs, deepest first) and breaks ties by the order a depth-first walk from
the outputs first meets them. Sequential models keep their stack order.
"""


def keras_layer_order(model):
    """``model.layers`` in Keras's order (see the module docstring)."""
    if getattr(model, "_graph", None) is None or not hasattr(model, "outputs"):
        return list(model.layers)
    from kerasette.models.sequential import Sequential

    if isinstance(model, Sequential):
        return list(model.layers)
    inputs = list(model.inputs)
    first_seen, finished, nodes = {}, set(), []

    def walk(tensor):
        layer, node_index, _ = tensor.history
        node = layer._inbound_nodes[node_index]
        if id(node) in finished:
            return
        is_input = not node.input_tensors
        if not is_input and any(tensor is t for t in inputs):
            finished.add(id(node))
            return
        first_seen.setdefault(id(layer), len(first_seen))
        if not is_input:
            for parent in node.input_tensors:
                walk(parent)
        finished.add(id(node))
        nodes.append(node)

    for tensor in model.outputs:
        walk(tensor)
    in_graph = {id(node) for node in nodes}
    node_depth, layer_depth = {}, {}
    for node in reversed(nodes):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in inputs:  # inputs the outputs do not use
        layer = tensor.history[0]
        if id(layer) not in layer_depth:
            layer_depth[id(layer)], first_seen[id(layer)] = 0, -1
    layers = list(model.layers)
    return sorted(layers, key=lambda l: (-layer_depth.get(id(l), 0), first_seen.get(id(l), len(layers))))
