"""MultiHeadAttention and GroupedQueryAttention: EinsumDense projections, scaled dot product, masked softmax.

The projections, the query-key product and the weighted sum of values are ONNX ``Einsum`` nodes with the
layer's own equations (so ``attention_axes`` and ``output_shape`` export as they compute); the masks (the
``attention_mask`` and ``query_mask``/``value_mask``/``key_mask`` inputs, the causal mask, the sliding window)
are combined with ``And`` and applied as the layers do: masked scores become ``-1e9`` before the softmax and
masked probabilities zero after it. Dropout is the identity at inference and leaves no node.
"""

import numpy as np

from kerasette import layers
from kerasette.export.activation_converters import apply_activation
from kerasette.export.registry import register_converter

_MASKED = -1e9  # the score the layers give a masked (query, key) pair before the softmax
_BOOL, _FLOAT = 9, 1  # ONNX element types
_CALL_ARGUMENTS = ("value", "key", "query_mask", "value_mask", "key_mask", "attention_mask",
                   "return_attention_scores", "use_causal_mask")


def _projection(call, sublayer, x):
    """An ``EinsumDense`` sublayer of the attention layer on ``x``: Einsum, bias, activation."""
    b = call.builder
    if getattr(sublayer, "quantization_mode", None):
        raise call.error(f"its `{sublayer.name}` projection is quantized ({sublayer.quantization_mode}), and the "
                         "ONNX export writes float32 kernels")
    kernel = b.constant(sublayer.kernel.numpy(), f"{sublayer.name}_kernel")
    y = b.op("Einsum", [x, kernel], equation=sublayer.equation)
    if sublayer.bias is not None:
        y = b.op("Add", [y, b.constant(sublayer.bias.numpy(), f"{sublayer.name}_bias")])
    return apply_activation(call, sublayer.activation, y)


def _mask_value(call, value, hint):
    """A mask argument as a boolean ONNX value and its rank: a graph value (cast) or a constant."""
    b = call.builder
    if isinstance(value, str):
        return b.op("Cast", [value], to=_BOOL), None
    array = np.asarray(value).astype(bool)
    return b.constant(array, hint, np.bool_), array.ndim


def _combined_mask(call, query_shape, value_shape):
    """The AND of every mask of the call, as ``(boolean value, rank)``, or ``(None, 0)`` without masks."""
    b, layer, kwargs = call.builder, call.layer, call.kwargs
    shapes = dict(zip(call.inputs, call.input_shapes))
    masks = []
    for name, axis in (("attention_mask", None), ("query_mask", -1), ("value_mask", -2), ("key_mask", -2)):
        if kwargs.get(name) is None:
            continue
        value, rank = _mask_value(call, kwargs[name], name)
        rank = len(shapes[kwargs[name]]) if rank is None else rank
        if axis is not None:
            value, rank = b.unsqueeze(value, [axis]), rank + 1
        masks.append((value, rank))
    window = layer._sliding_window
    if kwargs.get("use_causal_mask") or window is not None:
        tq, tv = query_shape[1], value_shape[1]
        if tq is None or tv is None:
            raise call.error("a causal or sliding-window mask needs known query and value lengths (give the "
                             "Inputs fixed sequence lengths)")
        rows, cols = np.arange(tq)[:, None], np.arange(tv)[None, :]
        if kwargs.get("use_causal_mask"):
            masks.append((b.constant((rows >= cols)[None], "causal_mask", np.bool_), 3))
        if window is not None:
            masks.append((b.constant((np.abs(rows - cols) < window)[None], "sliding_window_mask", np.bool_), 3))
    if not masks:
        return None, 0
    combined, rank = masks[0]
    for value, value_rank in masks[1:]:
        combined, rank = b.op("And", [combined, value]), max(rank, value_rank)
    return combined, rank


def _softmax(b, scores, axes):
    """Softmax over ``axes`` (one ONNX Softmax, or ``exp(x - logsumexp(x))`` over several)."""
    if len(axes) == 1:
        return b.op("Softmax", [scores], axis=axes[0])
    peak = b.reduce("ReduceMax", scores, axes)
    shifted = b.op("Sub", [scores, peak])
    total = b.reduce("ReduceSum", b.op("Exp", [shifted]), axes)
    return b.op("Exp", [b.op("Sub", [shifted, b.op("Log", [total])])])


def _masked_softmax(call, scores, scores_rank, axes, query_shape, value_shape):
    """The attention probabilities: masked scores to ``-1e9``, softmax, masked probabilities to zero."""
    b = call.builder
    mask, rank = _combined_mask(call, query_shape, value_shape)
    if mask is None:
        return _softmax(b, scores, axes)
    if rank < scores_rank:  # the heads axis (and any other missing ones) goes where the layer puts it
        for _ in range(scores_rank - rank):
            mask = b.unsqueeze(mask, [call.layer._mask_expansion_axis])
    probabilities = _softmax(b, b.op("Where", [mask, scores, b.scalar(_MASKED)]), axes)
    return b.op("Where", [mask, probabilities, b.scalar(0.0)])


def _inputs(call):
    """``(query, value, key)`` value names and ``(query shape, value shape)``."""
    shapes = dict(zip(call.inputs, call.input_shapes))
    query, value = call.inputs[0], call.kwargs["value"]
    key = call.kwargs.get("key", value)
    if not isinstance(value, str) or not isinstance(key, str):
        raise call.error("its `value` or `key` is a constant; the export needs graph tensors for query, value and "
                         "key")
    return query, value, key, call.input_shapes[0], shapes[value]


def _projected_inputs(call, query_dense, key_dense, value_dense):
    """The raw query, the projected query, key and value, and the ``(query shape, value shape)``."""
    query_in, value_in, key_in, query_shape, value_shape = _inputs(call)
    query = _projection(call, query_dense, query_in)
    key = _projection(call, key_dense, key_in)
    value = _projection(call, value_dense, value_in)
    return query_in, query, key, value, query_shape, value_shape


def _finish(call, output_layer, query, probabilities, value):
    """Values weighted by ``probabilities``, the layer's gate (if any), the output projection (and scores if asked)."""
    b, layer = call.builder, call.layer
    attended = b.op("Einsum", [probabilities, value], equation=layer._combine_equation)
    if layer._use_gate:
        attended = b.op("Mul", [attended, _projection(call, layer._gate_dense, query)])
    output = _projection(call, output_layer, attended)
    return [output, probabilities] if call.kwargs.get("return_attention_scores") else output


@register_converter(layers.MultiHeadAttention, call_arguments=_CALL_ARGUMENTS)
def multi_head_attention(call):
    """MultiHeadAttention: per-head projections, ``softmax(q . k / sqrt(key_dim))``, weighted values, output."""
    b, layer = call.builder, call.layer
    query_in, query, key, value, query_shape, value_shape = _projected_inputs(
        call, layer.query_dense, layer.key_dense, layer.value_dense)
    query = b.op("Mul", [query, b.scalar(layer._inverse_sqrt_key_dim)])
    scores = b.op("Einsum", [key, query], equation=layer._dot_product_equation)
    axes = [int(a) for a in layer._softmax.axis] if isinstance(layer._softmax.axis, tuple) else [layer._softmax.axis]
    scores_rank = len(layer._dot_product_equation.split("->")[1])
    probabilities = _masked_softmax(call, scores, scores_rank, axes, query_shape, value_shape)
    return _finish(call, layer.output_dense, query_in, probabilities, value)


def _repeat_heads(b, x, repeats, heads, head_dim):
    """``(B, S, kv_heads, head_dim)`` with each head repeated ``repeats`` times in place (``np.repeat``)."""
    if repeats == 1:
        return x
    tiled = b.op("Tile", [b.unsqueeze(x, [3]), b.int64s([1, 1, 1, repeats, 1], "repeats")])
    return b.reshape(tiled, [0, 0, heads, head_dim])


@register_converter(layers.GroupedQueryAttention, call_arguments=_CALL_ARGUMENTS)
def grouped_query_attention(call):
    """GroupedQueryAttention: as MultiHeadAttention, with each key/value head repeated for its query heads."""
    b, layer = call.builder, call.layer
    query_in, query, key, value, query_shape, value_shape = _projected_inputs(
        call, layer._query_dense, layer._key_dense, layer._value_dense)
    key = _repeat_heads(b, key, layer.num_repeats, layer.num_query_heads, layer.head_dim)
    value = _repeat_heads(b, value, layer.num_repeats, layer.num_query_heads, layer.head_dim)
    query = b.op("Mul", [query, b.scalar(layer._inverse_sqrt_head_dim)])
    scores = b.op("Einsum", [query, key], equation=layer._dot_product_equation)
    probabilities = _masked_softmax(call, scores, 4, [-1], query_shape, value_shape)
    return _finish(call, layer._output_dense, query_in, probabilities, value)
