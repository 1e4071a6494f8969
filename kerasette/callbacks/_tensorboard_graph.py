"""The model's layer graph as a TensorBoard `GraphDef`: one node per layer, one edge per connection.

TensorBoard's graph plugin draws a run's `GraphDef` by default. Each layer becomes a node named
after the layer, whose `op` is the layer's class (`Dense`, `Conv2D`, `InputLayer`) and whose
inputs are the layers that feed it (`name:k` for a layer's k-th output, k > 0, as TensorFlow
writes it). A node's attributes hold `keras_class`, `dtype` and `_output_shapes` (the plugin
labels edges with them, unknown sizes as -1). A layer called more than once (a shared layer)
is one node with the edges of every call (an edge per input tensor, so a layer that takes the
outputs of two calls of a shared layer lists it twice, as the conceptual graph does); a nested
model is one node.
"""

from __future__ import annotations

from typing import Any, Dict, List

# TensorFlow's names for the dtypes whose names differ from numpy's (the others are DT_<NAME>).
_TF_DTYPE_NAMES = {"float32": "DT_FLOAT", "float64": "DT_DOUBLE", "float16": "DT_HALF"}


def layer_graph_def(model: Any) -> Any:
    """Returns a tensorboardX `GraphDef` of a functional (or Sequential) model's layers.

    Args:
        model: a built `kerasette.models.Functional` (Sequential included).

    Returns:
        The `GraphDef` protocol buffer.
    """
    from tensorboardX.proto.attr_value_pb2 import AttrValue
    from tensorboardX.proto.graph_pb2 import GraphDef
    from tensorboardX.proto.node_def_pb2 import NodeDef
    from tensorboardX.proto.tensor_shape_pb2 import TensorShapeProto
    from tensorboardX.proto.types_pb2 import DataType

    graph = model.graph
    inputs: Dict[str, List[str]] = {layer.name: [] for layer in graph.layers}
    outputs: Dict[str, Any] = {}
    for tensor in graph.inputs:
        outputs[tensor.history[0].name] = [tensor]
    for node in graph.nodes:
        name = node.layer.name
        outputs.setdefault(name, node.output_tensors)
        for tensor in node.input_tensors:
            producer, _, index = tensor.history
            inputs[name].append(producer.name if index == 0 else f"{producer.name}:{index}")

    def shape_proto(shape: Any) -> Any:
        return TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if s is None else int(s)) for s in shape])

    def dtype_enum(dtype: str) -> int:
        name = _TF_DTYPE_NAMES.get(str(dtype), "DT_" + str(dtype).upper())
        return DataType.Value(name) if name in DataType.keys() else DataType.Value("DT_INVALID")

    nodes = []
    for layer in graph.layers:
        tensors = outputs.get(layer.name, [])
        attr = {"keras_class": AttrValue(s=type(layer).__name__.encode("utf-8"))}
        if tensors:
            attr["dtype"] = AttrValue(type=dtype_enum(tensors[0].dtype))
            attr["_output_shapes"] = AttrValue(list=AttrValue.ListValue(shape=[shape_proto(t.shape) for t in tensors]))
        nodes.append(NodeDef(name=layer.name, op=type(layer).__name__, input=inputs[layer.name], attr=attr))
    return GraphDef(node=nodes)
