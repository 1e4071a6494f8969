"""GroupQueryAttention: attention whose query heads share fewer key/value heads (Ainslie et al., 2023).

As in Keras 3, the class is ``GroupedQueryAttention`` (its snake_case names the layer and its group in weights
files; legacy ``.h5`` configs use it too) and its public name ``GroupQueryAttention`` (``.keras`` configs).
"""

import math

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.attention_masks import input_masks, masks_detached
from kerasette.layers.base_projected_attention import BaseProjectedAttention
from kerasette.layers.dropout import Dropout
from kerasette.layers.einsum_dense import EinsumDense
from kerasette.layers.softmax import Softmax


class GroupedQueryAttention(BaseProjectedAttention):
    """Grouped-query attention layer (Ainslie et al., 2023), ``keras.layers.GroupQueryAttention``.

    ``query`` ``(B, T, dim)`` is projected into ``num_query_heads`` heads, ``key`` and ``value`` ``(B, S, dim)``
    into ``num_key_value_heads`` heads (all of ``head_dim`` channels), by the ``EinsumDense`` sublayers
    ``query``, ``key`` and ``value``. Each key/value head serves ``num_query_heads // num_key_value_heads``
    query heads: ``num_key_value_heads=1`` is multi-query attention, ``num_key_value_heads=num_query_heads``
    multi-head attention. Each query head computes ``softmax(query . key / sqrt(head_dim))`` over the key
    positions, then the weighted sum of its values; the sublayer ``attention_output`` projects the heads back to
    the query's last dimension.

    Args:
        head_dim: positive int, the size of each attention head.
        num_query_heads: positive int, the number of query heads.
        num_key_value_heads: positive int dividing ``num_query_heads``, the number of key and value heads.
        dropout: float in [0, 1), the dropout rate of the attention probabilities (while training).
        use_bias: bool, whether the projections have biases.
        sliding_window: None or a positive int: each query position attends only to key positions less than
            ``sliding_window`` away (with ``use_causal_mask``, a causal window).
        flash_attention: None or False; kerasette has no flash-attention kernel, so True raises.
        kernel_initializer: initializer of the projection kernels.
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: optional regularizer of the projection kernels.
        bias_regularizer: optional regularizer of the projection biases.
        activity_regularizer: optional regularizer of each projection's output.
        kernel_constraint: optional constraint of the projection kernels.
        bias_constraint: optional constraint of the projection biases.
        use_gate: bool, whether a sigmoid projection of the query (sublayer ``gate``) gates the heads' output.
        seed: optional int, the seed of the dropout.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).

    Call arguments:
        query: the query tensor ``(B, T, dim)``.
        value: the value tensor ``(B, S, dim)``.
        key: optional key tensor ``(B, S, dim)``; defaults to ``value``.
        query_mask: optional boolean mask ``(B, T)``; defaults to the mask ``query`` carries.
        value_mask: optional boolean mask ``(B, S)``; defaults to the mask ``value`` carries.
        key_mask: optional boolean mask ``(B, S)``; defaults to the mask ``key`` carries.
        attention_mask: optional boolean mask ``(B, T, S)``: True where a query position may attend a key
            position. All the masks are combined; a query position that may attend nothing gets zero attention.
        return_attention_scores: bool, whether to also return the attention probabilities
            ``(B, num_query_heads, T, S)``.
        training: bool, whether the dropout applies.
        use_causal_mask: bool, whether query position ``i`` may only attend key positions ``j <= i``.

    Output shape:
        ``(B, T, dim)``, and with ``return_attention_scores`` the scores.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
        >>> out, scores = layer(np.ones((1, 4, 8)), np.ones((1, 5, 6)), return_attention_scores=True)
        >>> out.shape, scores.shape
        ((1, 4, 8), (1, 4, 4, 5))
        >>> [tuple(w.shape) for w in layer.weights][::2]
        [(8, 4, 3), (6, 2, 3), (6, 2, 3), (4, 3, 8)]
    """

    _keras_export_name = "GroupQueryAttention"  # the name .keras configs use (keras.layers.GroupQueryAttention)

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True,
                 sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        super().__init__(dropout, use_bias, sliding_window, flash_attention, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, use_gate, seed, **kwargs)
        self.head_dim = validation.positive_int(self, "head_dim", head_dim)
        self.num_query_heads = validation.positive_int(self, "num_query_heads", num_query_heads)
        self.num_key_value_heads = validation.positive_int(self, "num_key_value_heads", num_key_value_heads)
        if self.num_query_heads % self.num_key_value_heads:
            raise validation.invalid(self, "num_key_value_heads", f"a divisor of num_query_heads="
                                     f"{self.num_query_heads}", num_key_value_heads)
        self.num_repeats = self.num_query_heads // self.num_key_value_heads
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(self.head_dim))

    dropout = property(lambda self: self._dropout, doc="The dropout rate of the attention probabilities.")
    use_bias = property(lambda self: self._use_bias, doc="Whether the projections have biases.")
    use_gate = property(lambda self: self._use_gate, doc="Whether the heads' output is gated.")
    sliding_window = property(lambda self: self._sliding_window, doc="The sliding window size, or None.")

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape, key_shape = self._track_shapes(query_shape, value_shape, key_shape)
        for name, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(f"Layer `{self.name}` expects `{name}` of rank 3 (batch, positions, features). "
                                 f"Received: {name}_shape={shape}")
        self.feature_dim = query_shape[-1]
        self._query_dense = self._projection("bqm,muh->bquh", "uh", self.num_query_heads, "query", query_shape)
        self._key_dense = self._projection("bkm,mvh->bkvh", "vh", self.num_key_value_heads, "key", key_shape)
        if self._use_gate:
            self._gate_dense = self._projection("bqm,muh->bquh", "uh", self.num_query_heads, "gate", query_shape,
                                                activation="sigmoid")
        self._value_dense = self._projection("bkm,mvh->bkvh", "vh", self.num_key_value_heads, "value", value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)
        self._mask_expansion_axis = -3  # where the heads axis goes into a (B, T, S) mask
        self._dot_product_equation, self._combine_equation = "bquh,bkuh->buqk", "buqk,bkuh->bquh"
        output = EinsumDense("bquh,uhm->bqm", (None, self.feature_dim), bias_axes="m" if self._use_bias else None,
                             name="attention_output", **self._sublayer_kwargs())
        self._output_dense = self._built_sublayer(output, (None, None, self.num_query_heads, self.head_dim))

    def _projection(self, equation, bias_axes, heads, name, input_shape, activation=None):
        layer = EinsumDense(equation, (None, heads, self.head_dim), activation=activation, name=name,
                            bias_axes=bias_axes if self._use_bias else None, **self._sublayer_kwargs())
        return self._built_sublayer(layer, input_shape)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        query_mask, value_mask, key_mask = input_masks(query, value, key, query_mask, value_mask, key_mask)
        key = value if key is None else key
        attention_mask = self._compute_attention_mask(query, value, query_mask, value_mask, key_mask,
                                                      attention_mask, use_causal_mask)
        with masks_detached(query, value, key):
            gate = self._gate_dense(query) if self._use_gate else None
            query, key, value = self._query_dense(query), self._key_dense(key), self._value_dense(value)
        key = ops.repeat(key, self.num_repeats, axis=2)  # (B, S, num_query_heads, head_dim)
        value = ops.repeat(value, self.num_repeats, axis=2)
        output, scores = self._compute_attention(query, key, value, attention_mask, training)
        output = self._output_dense(output if gate is None else ops.multiply(output, gate))
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        """Scaled dot-product attention of the projected, repeated tensors: ``(output, scores)``."""
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, query.dtype))
        scores = self._masked_softmax(ops.einsum(self._dot_product_equation, query, key), attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        """The output shape, the query's (Keras also requires ``query`` and ``value`` of the same last size).

        Args:
            query_shape: the query's shape.
            value_shape: the value's shape.
            key_shape: the key's shape (None: the value's).

        Returns:
            A shape tuple.
        """
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(f"Layer `{self.name}`: the last dimension of `query_shape` and `value_shape` must be "
                             f"equal. Received: query_shape={tuple(query_shape)}, value_shape={tuple(value_shape)}")
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"Layer `{self.name}`: all dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}")
        return tuple(query_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "sliding_window": self._sliding_window,
            "dropout": self._dropout,
            **self._common_config(),
        }
