"""Core layers: Dense, EinsumDense, Embedding, Masking, and the layers that do nothing at inference.

Dropout and the noise layers are the identity in inference (``model.predict``), which is what an exported
model computes, so they leave no node behind.
"""

from kerasette import layers
from kerasette.export.activation_converters import apply_activation
from kerasette.export.registry import mark_not_exportable, register_converter
from kerasette.pruning.pruning_wrapper import PruneLowMagnitude


@register_converter(layers.Dropout, layers.AlphaDropout, layers.GaussianDropout, layers.GaussianNoise,
                    layers.SpatialDropout1D, layers.SpatialDropout2D, layers.SpatialDropout3D,
                    layers.ActivityRegularization, layers.Identity)
def inference_identity(call):
    """Layers that return their input at inference: no node."""
    return call.input


@register_converter(layers.Dense)
def dense(call):
    """Dense: ``activation(x @ kernel + bias)`` (MatMul multiplies along the last axis for any rank)."""
    b = call.builder
    y = b.op("MatMul", [call.input, b.constant(call.weights["kernel"], "kernel")])
    if call.weights.get("bias") is not None:
        y = b.op("Add", [y, b.constant(call.weights["bias"], "bias")])
    return apply_activation(call, call.layer.activation, y)


@register_converter(layers.EinsumDense)
def einsum_dense(call):
    """EinsumDense: ONNX Einsum with the layer's equation, then the bias (stored broadcastable) and activation."""
    b = call.builder
    y = b.op("Einsum", [call.input, b.constant(call.weights["kernel"], "kernel")], equation=call.layer.equation)
    if call.weights.get("bias") is not None:
        y = b.op("Add", [y, b.constant(call.weights["bias"], "bias")])
    return apply_activation(call, call.layer.activation, y)


@register_converter(layers.Embedding)
def embedding(call):
    """Embedding: Gather rows of the table; float indices are truncated to integers first, as the layer does."""
    b, indices = call.builder, call.input
    if not call.input_dtypes[0].startswith(("int", "uint")):
        indices = b.op("Cast", [indices], to=7)  # INT64
    return b.op("Gather", [b.constant(call.weights["embeddings"], "embeddings"), indices], axis=0)


@register_converter(layers.Masking)
def masking(call):
    """Masking's values: timesteps whose features all equal ``mask_value`` become zeros.

    The mask it attaches is not exported: a layer that would read it is refused (see ``to_onnx``).
    """
    b = call.builder
    differs = b.op("Not", [b.op("Equal", [call.input, b.scalar(call.layer.mask_value)])])
    keep = b.reduce("ReduceMax", b.op("Cast", [differs], to=1), [-1], keepdims=True)
    return b.op("Mul", [call.input, keep])


mark_not_exportable(layers.Lambda, "a Lambda layer runs Python code, which has no ONNX form; rebuild it from "
                                   "built-in layers, or register a converter for a custom layer")
mark_not_exportable(layers.InputLayer, "an InputLayer is only exported as a graph input")
mark_not_exportable(layers.SpectralNormalization, "its converter is not written yet; at inference it is the wrapped "
                                                  "layer, so export a model built with that layer and the same weights")
mark_not_exportable(layers.ReversibleEmbedding, "its converter is not written yet (a Gather forwards, a MatMul "
                                                "with the transposed table in reverse)")
mark_not_exportable(PruneLowMagnitude, "it is a pruning wrapper for training; export "
                                       "`kerasette.pruning.strip_pruning(model)` instead")
