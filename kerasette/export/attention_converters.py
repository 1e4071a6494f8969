"""Attention and AdditiveAttention (dot-product and additive scores, optional causal mask, optional scores output)."""

import numpy as np

from kerasette import layers
from kerasette.export.registry import register_converter

_MASKED = 1e9  # what the layers subtract from a masked score


def _scores(call, query, key):
    b, layer = call.builder, call.layer
    scale = call.weights.get("scale")
    if isinstance(layer, layers.AdditiveAttention) or layer.score_mode == "concat":
        summed = b.op("Add", [b.unsqueeze(query, [-2]), b.unsqueeze(key, [-3])])
        if isinstance(layer, layers.AdditiveAttention):
            summed = b.op("Tanh", [summed])
            if scale is not None:
                summed = b.op("Mul", [summed, b.constant(scale, "scale")])
            return b.reduce("ReduceSum", summed, [-1], keepdims=False)
        if scale is not None:
            summed = b.op("Mul", [summed, b.constant(scale, "scale")])
        scores = b.reduce("ReduceSum", b.op("Tanh", [summed]), [-1], keepdims=False)
        return b.op("Mul", [scores, b.constant(call.weights["concat_score_weight"], "concat_score_weight")])
    scores = b.op("MatMul", [query, b.op("Transpose", [key], perm=[0, 2, 1])])
    return scores if scale is None else b.op("Mul", [scores, b.constant(scale, "scale")])


@register_converter(layers.Attention, layers.AdditiveAttention,
                    call_arguments=("return_attention_scores", "use_causal_mask"))
def attention(call):
    """``softmax(scores(query, key)) @ value``, with the causal mask when the call asked for it."""
    b = call.builder
    query, value = call.inputs[0], call.inputs[1]
    key = call.inputs[2] if len(call.inputs) > 2 else value
    scores = _scores(call, query, key)
    if call.kwargs.get("use_causal_mask"):
        tq, tv = call.input_shapes[0][-2], call.input_shapes[1][-2]
        if tq is None or tv is None:
            raise call.error("a causal mask needs known query and value lengths")
        keep = b.constant(np.tril(np.ones((1, tq, tv), bool)), "causal_mask", np.bool_)
        scores = b.op("Where", [keep, scores, b.op("Sub", [scores, b.scalar(_MASKED)])])
    weights = b.op("Softmax", [scores], axis=-1)
    outputs = b.op("MatMul", [weights, value])
    return [outputs, weights] if call.kwargs.get("return_attention_scores") else outputs
