"""Rebuild a Sequential or functional model with each layer replaced by ``clone_function(layer)``.

What ``prune_low_magnitude`` and ``strip_pruning`` need from Keras's ``clone_model(model,
clone_function=...)``: the new model replays the original graph (same inputs, same calls, same
keyword arguments), calling the layer returned for each original layer; a layer shared by several
calls maps to one replacement. ``clone_function`` may return the layer itself (its weights are
then shared with the original model) or a wrapper around it.
"""

from __future__ import annotations


def _new_input(tensor):
    from kerasette.layers.input_layer import InputLayer

    source = tensor.history[0]
    return InputLayer.from_config(source.get_config()).output


def _clone_sequential(model, clone_function):
    from kerasette.models import Sequential

    layers = [clone_function(layer) for layer in model.layers]
    if model.graph is not None:  # built: keep its input (name, shape and dtype)
        layers = [_new_input(model.inputs[0])] + layers
    return Sequential(layers, name=model.name, trainable=model.trainable)


def _clone_functional(model, clone_function):
    from kerasette.models import Model

    graph = model.graph
    new = {id(t): _new_input(t) for t in graph.inputs}
    replacements = {}
    for node in graph.nodes:
        layer = node.layer
        if id(layer) not in replacements:
            replacements[id(layer)] = clone_function(layer)
        first, args, kwargs = node.call_arguments([new[id(t)] for t in node.input_tensors])
        result = replacements[id(layer)](first, *args, **kwargs)
        results = result if node.outputs_are_list else [result]
        for old, value in zip(node.output_tensors, results):
            new[id(old)] = value
    inputs = _pack(graph.input_structure, [new[id(t)] for t in graph.inputs])
    outputs = graph.pack_outputs([new[id(t)] for t in graph.outputs])
    clone = Model(inputs, outputs, name=model.name)
    if not model.trainable:
        clone.trainable = False
    return clone


def _pack(structure, values):
    kind, keys = structure
    if kind == "dict":
        return dict(zip(keys, values))
    if kind == "list":
        return list(values)
    return values[0]


def clone_model(model, clone_function):
    """A new model of the same kind and graph as ``model``, with ``clone_function(layer)`` for each layer.

    Args:
        model: a ``Sequential`` or functional ``Model``.
        clone_function: called once per layer (InputLayers excepted); returns the layer to use.

    Returns:
        A new ``Sequential`` (for a Sequential model) or functional ``Model``, uncompiled, with the
        original model's name.

    Raises:
        ValueError: ``model`` is a subclassed model (it has no graph to replay).
    """
    from kerasette.models import Functional, Sequential

    if isinstance(model, Sequential):
        return _clone_sequential(model, clone_function)
    if isinstance(model, Functional):
        return _clone_functional(model, clone_function)
    raise ValueError("Subclassed models are not supported currently.")
