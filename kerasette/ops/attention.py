"""Scaled dot-product attention, as ``keras.ops.dot_product_attention`` (JAX's reference formulation)."""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops._promote import tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import add, divide, multiply, tanh, where
from kerasette.ops.shapes import broadcast_to, reshape
from kerasette.ops.tensor import Tensor


def dot_product_attention(query: TensorLike, key: TensorLike, value: TensorLike, bias: Optional[TensorLike] = None,
                          mask: Optional[TensorLike] = None, scale: Optional[float] = None, is_causal: bool = False,
                          flash_attention: Optional[bool] = None,
                          attn_logits_soft_cap: Optional[float] = None) -> Tensor:
    """``softmax(query @ key.T * scale + bias, masked) @ value`` over heads, as ``keras.ops``.

    Args:
        query: ``(batch, target_length, heads, head_dim)``.
        key: ``(batch, source_length, kv_heads, head_dim)``; ``heads`` must be a multiple of ``kv_heads``
            (grouped-query attention repeats each key head).
        value: ``(batch, source_length, kv_heads, value_dim)``.
        bias: added to the logits, broadcastable to ``(batch, heads, target_length, source_length)``.
        mask: a boolean tensor broadcastable to the logits; False positions are excluded.
        scale: the logits' scale (None: ``1 / sqrt(head_dim)``).
        is_causal: exclude positions after the query's own (a lower-triangular mask).
        flash_attention: None or False (kerasette has no fused flash kernel).
        attn_logits_soft_cap: None, or ``c`` to squash the logits with ``c * tanh(logits / c)``.

    Returns:
        A Tensor ``(batch, target_length, heads, value_dim)``.

    Raises:
        ValueError: for inputs that are not rank 4, mismatched heads, or ``flash_attention=True``.

    Example:
        >>> from kerasette import ops
        >>> q = ops.ones((1, 3, 2, 4))
        >>> ops.dot_product_attention(q, q, q, is_causal=True).shape
        (1, 3, 2, 4)
    """
    from kerasette.ops.nn import softmax
    from kerasette.ops.tensor_products import einsum

    if flash_attention:
        raise ValueError("Invalid value for argument `flash_attention` of `dot_product_attention`: kerasette has no "
                         "flash attention kernel. Received: flash_attention=True")
    q, k, v = to_float(query), to_float(key), to_float(value)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(f"`dot_product_attention` needs 4-D inputs. Received query {q.shape}, key {k.shape}, "
                         f"value {v.shape}.")
    heads, kv_heads = q.shape[2], k.shape[2]
    if heads % kv_heads or v.shape[2] != kv_heads:
        raise ValueError(f"`dot_product_attention`: query heads ({heads}) must be a multiple of key/value heads "
                         f"({kv_heads}, {v.shape[2]}).")
    if heads != kv_heads:  # grouped-query attention: each key/value head serves heads // kv_heads query heads
        group = heads // kv_heads
        k = reshape(broadcast_to(reshape(k, k.shape[:3] + (1, k.shape[3])), k.shape[:3] + (group, k.shape[3])),
                    k.shape[:2] + (heads, k.shape[3]))
        v = reshape(broadcast_to(reshape(v, v.shape[:3] + (1, v.shape[3])), v.shape[:3] + (group, v.shape[3])),
                    v.shape[:2] + (heads, v.shape[3]))
    scale = 1.0 / math.sqrt(k.shape[-1]) if scale is None else float(scale)
    logits = multiply(einsum("BTNH,BSNH->BNTS", q, k), scale)
    if bias is not None:
        logits = add(logits, cast(tensor(bias), logits.dtype))
    if attn_logits_soft_cap is not None:
        cap = float(attn_logits_soft_cap)
        logits = multiply(tanh(divide(logits, cap)), cap)
    keep = None
    if mask is not None:
        keep = cast(tensor(mask), "bool")
    if is_causal:
        causal = convert_to_tensor(np.tril(np.ones(logits.shape[-2:], dtype=bool)))
        keep = causal if keep is None else where(keep, causal, False)
    if keep is not None:
        logits = where(keep, logits, -0.7 * float(np.finfo(np.dtype(logits.dtype)).max))
    probabilities = softmax(logits, axis=-1)
    return einsum("BNTS,BSNH->BTNH", probabilities, v)
