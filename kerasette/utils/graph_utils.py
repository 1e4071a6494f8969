"""``get_source_inputs``: the ``Input`` tensors a symbolic tensor was computed from."""


def get_source_inputs(tensor):
    """The symbolic ``Input`` tensors needed to compute ``tensor``, in order of first use.

    Args:
        tensor: a symbolic tensor (``KerasTensor``); anything else is returned as is, as Keras does.

    Returns:
        A list of the input tensors (``[tensor]`` for an ``Input`` itself).

    Example:
        >>> import kerasette as keras
        >>> a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
        >>> total = keras.layers.Add()([keras.layers.Dense(2)(a), b])
        >>> [t.name for t in keras.utils.get_source_inputs(total)]
        ['a', 'b']
    """
    from kerasette.layers.node import KerasTensor

    if not isinstance(tensor, KerasTensor):
        return tensor
    if tensor.history is None:
        return [tensor]
    layer, node_index, _ = tensor.history
    node = layer._inbound_nodes[node_index]
    if not node.input_tensors:  # an InputLayer's node
        return list(node.output_tensors)
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not s for s in sources):
                sources.append(source)
    return sources
