"""Symbolic tensors and the nodes that layer calls on them record.

Calling a layer on ``KerasTensor`` inputs builds the layer from their shapes,
computes the output shape, and records a ``Node`` (see models/graph.py for
running them).
"""


class KerasTensor:
    """A placeholder with a shape (batch dimension None) and a dtype, but no data."""

    def __init__(self, shape, dtype="float32", history=None, name=None):
        self.shape = tuple(None if s is None else int(s) for s in shape)
        self.dtype = dtype
        self.history = history  # (layer, node_index, tensor_index)
        self.name = name

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"


class Node:
    """One call of a layer on symbolic inputs."""

    def __init__(self, layer, input_tensors, inputs_are_list, kwargs, output_tensors, outputs_are_list):
        self.layer = layer
        self.input_tensors = input_tensors
        self.inputs_are_list = inputs_are_list
        self.kwargs = kwargs
        self.output_tensors = output_tensors
        self.outputs_are_list = outputs_are_list

    @property
    def parent_nodes(self):
        return [t.history[0]._inbound_nodes[t.history[1]] for t in self.input_tensors if t.history]


def record_call(layer, inputs, kwargs):
    """Build ``layer`` from symbolic ``inputs`` and return symbolic outputs."""
    inputs_are_list = isinstance(inputs, (list, tuple))
    flat = list(inputs) if inputs_are_list else [inputs]
    shapes = [t.shape for t in flat] if inputs_are_list else flat[0].shape
    layer._maybe_build(shapes)
    out_shapes = layer.compute_output_shape(shapes)
    outputs_are_list = isinstance(out_shapes, list)
    out_shapes = out_shapes if outputs_are_list else [out_shapes]
    node_index = len(layer._inbound_nodes)
    outputs = [
        KerasTensor(shape, dtype=layer.dtype, history=(layer, node_index, i), name=layer.name)
        for i, shape in enumerate(out_shapes)
    ]
    layer._inbound_nodes.append(Node(layer, flat, inputs_are_list, kwargs, outputs, outputs_are_list))
    return outputs if outputs_are_list else outputs[0]
