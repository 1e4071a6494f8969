"""Walk a functional model's graph and convert each layer call, inlining nested models.

Before converting, the walk decides which BatchNormalization calls fold into the layer before them, and which
tensors may carry a Keras mask (so that a layer whose ``call`` would read one is refused rather than exported
with different numbers).
"""

import inspect

from kerasette import layers
from kerasette.export import normalization_converters
from kerasette.export.registry import LayerCall, converter_for, export_error
from kerasette.layers.base_projected_attention import BaseProjectedAttention


def functional_graph(model):
    """The ``Graph`` of a functional or Sequential model.

    Args:
        model: the model (or a nested model met during the walk).

    Returns:
        ``model.graph``.

    Raises:
        ValueError: a subclassed model (its ``call`` is Python code) or a Sequential model not built yet.
    """
    from kerasette.models import Functional, Model

    if isinstance(model, Functional):
        if model.graph is None:
            raise ValueError(f"Cannot export model `{model.name}` ({type(model).__name__}) to ONNX: it is not built "
                             "yet. Give it an `Input` first, or call it on data once.")
        return model.graph
    if isinstance(model, Model):
        raise ValueError(f"Cannot export model `{model.name}` ({type(model).__name__}) to ONNX: it is a subclassed "
                         "model, whose `call` is Python code with no graph to export. Build it with the functional "
                         "API or Sequential.")
    raise TypeError(f"`to_onnx` expects a kerasette model. Received: {model!r} (of type {type(model).__name__})")


def convert_graph(builder, graph, values, fold_batch_norm, masked, scope):
    """Convert every node of ``graph``, reading and extending ``values``.

    Args:
        builder: the ``GraphBuilder``.
        graph: a model's ``Graph``.
        values: ``{id(KerasTensor): ONNX value name}``, with the graph's inputs filled in.
        fold_batch_norm: fold BatchNormalization into the layer before it where possible.
        masked: ``{id(KerasTensor): name of the layer whose mask it carries}`` (extended here).
        scope: the prefix of the node names (the model's name, then nested models' names).
    """
    from kerasette.models import Model

    folds, folded = _fold_plan(graph) if fold_batch_norm else ({}, set())
    for node in graph.nodes:
        layer = node.layer
        inputs = [values[id(t)] for t in node.input_tensors]
        builder.scope = f"{scope}/{layer.name}"
        _check_training(node)
        if isinstance(layer, Model):  # a nested model: its graph, inlined (a subclassed one is refused)
            _inline(builder, node, inputs, values, fold_batch_norm, masked, f"{scope}/{layer.name}")
            continue
        _track_masks(node, masked)
        if id(node) in folded:  # a BatchNormalization folded into the layer before it
            values[id(node.output_tensors[0])] = inputs[0]
            continue
        converter, allowed = converter_for(layer)
        kwargs = _call_kwargs(node, inputs, allowed)
        weights = {v.name: v.numpy() for v in layer.weights}
        if id(node) in folds:
            weights = normalization_converters.fold(layer, weights, folds[id(node)])
        _check_dtype(layer)
        call = LayerCall(builder, layer, inputs, [t.shape for t in node.input_tensors],
                         [t.dtype for t in node.input_tensors], [t.shape for t in node.output_tensors], weights,
                         kwargs)
        result = converter(call)
        results = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(results) != len(node.output_tensors):
            raise export_error(layer, f"its converter returned {len(results)} value(s) for "
                                      f"{len(node.output_tensors)} output(s)")
        for tensor, name in zip(node.output_tensors, results):
            values[id(tensor)] = name


def _inline(builder, node, inputs, values, fold_batch_norm, masked, scope):
    """Convert a nested model's graph in place of its call."""
    inner = functional_graph(node.layer)
    first = inputs[:node.first_input_count]
    if node.args or len(first) != len(inner.inputs):
        raise export_error(node.layer, f"the nested model takes {len(inner.inputs)} input(s) but was called with "
                                       f"{len(node.input_tensors)} tensor(s)")
    inner_values = {id(t): name for t, name in zip(inner.inputs, first)}
    for outer, inner_tensor in zip(node.input_tensors, inner.inputs):
        if id(outer) in masked:
            masked[id(inner_tensor)] = masked[id(outer)]
    convert_graph(builder, inner, inner_values, fold_batch_norm, masked, scope)
    if len(inner.outputs) != len(node.output_tensors):
        raise export_error(node.layer, "the outputs of the nested model do not match its call")
    for outer, inner_tensor in zip(node.output_tensors, inner.outputs):
        values[id(outer)] = inner_values[id(inner_tensor)]
        if id(inner_tensor) in masked:
            masked[id(outer)] = masked[id(inner_tensor)]


def _check_training(node):
    if node.kwargs.get("training"):
        raise export_error(node.layer, "it was called with training=True, so `model.predict` runs it in training "
                                       "mode (random dropout, batch statistics); an exported model is inference only")


def _call_kwargs(node, inputs, allowed):
    """The call's other arguments, by name, with tensors as ONNX value names; an unsupported one is refused.

    Positional arguments after the first are named from the signature of the layer's ``call``; arguments left
    at None (``mask=None``, ``initial_state=None``) and ``training`` are dropped.
    """
    first, args, kwargs = node.call_arguments(inputs)
    if args:
        try:
            bound = inspect.signature(node.layer.call).bind(first, *args, **kwargs).arguments
        except TypeError as error:
            raise export_error(node.layer, f"its call arguments do not fit its `call` ({error})") from None
        named = list(bound.items())[1:]
        kwargs = {}
        for key, value in named:
            kwargs.update(value if key == "kwargs" and isinstance(value, dict) else {key: value})
    result = {}
    for key, value in kwargs.items():
        if key == "training" or value is None:
            continue
        if key == "mask":
            raise export_error(node.layer, "it was called with a `mask` tensor; masks are not exported")
        if key not in allowed:
            raise export_error(node.layer, f"its call argument `{key}` is not supported by the ONNX export")
        result[key] = value
    return result


def _check_dtype(layer):
    dtype = getattr(layer, "compute_dtype", layer.dtype)  # not `dtype`: a mixed_float16 layer keeps float32 weights
    if dtype not in ("float32", None):
        raise export_error(layer, f"the ONNX export writes float32 models, and this layer computes in {dtype}")


def _track_masks(node, masked):
    """Mark the outputs that may carry a Keras mask; refuse a layer whose ``call`` would read one.

    Over-approximates as a layer does by default (a layer that supports masking passes its inputs' mask on),
    so it may refuse a model it could export, never export one whose numbers differ.
    """
    layer = node.layer
    sources = [masked[id(t)] for t in node.input_tensors if id(t) in masked]
    reads_carried = isinstance(layer, BaseProjectedAttention)  # reads `tensor._keras_mask` without a `mask` argument
    if sources and (reads_carried or "mask" in inspect.signature(layer.call).parameters):
        raise export_error(layer, f"it reads the mask that `{sources[0]}` attaches to its input, and masks are not "
                                  "exported (export the model without `mask_zero`/Masking, or with the masked "
                                  "steps removed)")
    makes_mask = (isinstance(layer, layers.Embedding) and layer.mask_zero) or isinstance(layer, layers.Masking)
    makes_mask = makes_mask or (reads_carried and node.kwargs.get("query_mask") is not None)
    if makes_mask or (sources and layer.supports_masking):
        for tensor in node.output_tensors:
            masked[id(tensor)] = layer.name if makes_mask else sources[0]


def _fold_plan(graph):
    """``({id(producer node): BatchNormalization layer}, {id(BN node)})`` for the foldable pairs of ``graph``."""
    uses = {}
    for node in graph.nodes:
        for tensor in node.input_tensors:
            uses[id(tensor)] = uses.get(id(tensor), 0) + 1
    for tensor in graph.outputs:
        uses[id(tensor)] = uses.get(id(tensor), 0) + 1
    producers = {id(t): node for node in graph.nodes for t in node.output_tensors}
    folds, folded = {}, set()
    for node in graph.nodes:
        if type(node.layer) is not layers.BatchNormalization or len(node.input_tensors) != 1:
            continue
        tensor = node.input_tensors[0]
        producer = producers.get(id(tensor))
        if (producer is None or uses.get(id(tensor)) != 1 or id(producer) in folds
                or len(producer.output_tensors) != 1
                or not normalization_converters.can_fold(producer.layer, node.layer, len(tensor.shape))):
            continue
        folds[id(producer)] = node.layer
        folded.add(id(node))
    return folds, folded
