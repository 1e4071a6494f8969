"""MultiHeadAttention: scaled dot-product attention over several heads, with learned projections (Vaswani et al.)."""

import math

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.attention_equations import attention_equations, partial_shape, projection_equation
from kerasette.layers.attention_masks import input_masks, masks_detached
from kerasette.layers.base_projected_attention import BaseProjectedAttention
from kerasette.layers.dropout import Dropout
from kerasette.layers.einsum_dense import EinsumDense
from kerasette.layers.softmax import Softmax


class MultiHeadAttention(BaseProjectedAttention):
    """Multi-head attention layer, as in "Attention is all you Need" (Vaswani et al., 2017).

    ``query`` ``(B, T, dim)``, ``value`` ``(B, S, dim)`` and ``key`` (default: ``value``) are projected by the
    ``EinsumDense`` sublayers ``query``, ``key`` and ``value`` into ``num_heads`` heads of ``key_dim`` (queries
    and keys) and ``value_dim`` (values) channels. Each head computes ``softmax(query . key / sqrt(key_dim))``
    over the key positions, the weighted sum of its values follows, and the sublayer ``attention_output``
    projects the heads back to the query's last dimension (or to ``output_shape``). With ``query``, ``key`` and
    ``value`` the same tensor this is self-attention.

    Args:
        num_heads: positive int, the number of attention heads.
        key_dim: positive int, the size of each head for query and key.
        value_dim: positive int, the size of each head for value; None means ``key_dim``.
        dropout: float in [0, 1), the dropout rate of the attention probabilities (while training).
        use_bias: bool, whether the projections have biases.
        output_shape: None (the query's last dimension), an int or a tuple: the output's shape after the batch
            and query position axes.
        attention_axes: None (every axis between the batch axis and the features), an int or a tuple of ints:
            the axes of the inputs attention runs over; the other axes are batch-like.
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
        query: the query tensor ``(B, T, dim)`` (or ``(B, <axes>, dim)`` with ``attention_axes``).
        value: the value tensor ``(B, S, dim)``.
        key: optional key tensor ``(B, S, dim)``; defaults to ``value``.
        query_mask: optional boolean mask ``(B, T)``; the mask the query tensor carries takes precedence.
        value_mask: optional boolean mask ``(B, S)``; defaults to the mask ``value`` carries.
        key_mask: optional boolean mask ``(B, S)``; defaults to the mask ``key`` carries.
        attention_mask: optional boolean mask ``(B, T, S)``: True where a query position may attend a key
            position. All the masks are combined; a query position that may attend nothing gets zero attention.
        return_attention_scores: bool, whether to also return the attention probabilities ``(B, heads, T, S)``.
        training: bool, whether the dropout applies.
        use_causal_mask: bool, whether query position ``i`` may only attend key positions ``j <= i``.

    Output shape:
        ``(B, T, dim)`` (or ``(B, T, *output_shape)``), and with ``return_attention_scores`` the scores.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
        >>> out, scores = layer(np.ones((1, 4, 8)), np.ones((1, 5, 6)), return_attention_scores=True)
        >>> out.shape, scores.shape
        ((1, 4, 8), (1, 2, 4, 5))
        >>> [tuple(w.shape) for w in layer.weights][::2]
        [(8, 2, 3), (6, 2, 3), (6, 2, 3), (2, 3, 8)]
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None, **kwargs):
        super().__init__(dropout, use_bias, sliding_window, flash_attention, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, use_gate, seed, **kwargs)
        self._num_heads = validation.positive_int(self, "num_heads", num_heads)
        self._key_dim = validation.positive_int(self, "key_dim", key_dim)
        self._value_dim = self._key_dim if value_dim is None else validation.positive_int(self, "value_dim", value_dim)
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            if not isinstance(output_shape, (list, tuple)) or not all(
                    isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in output_shape):
                raise validation.invalid(self, "output_shape", "None, a positive int or a tuple of them", output_shape)
            output_shape = tuple(output_shape)
        self._output_shape = output_shape or None
        if isinstance(attention_axes, int) and not isinstance(attention_axes, bool):
            attention_axes = (attention_axes,)
        if attention_axes is not None and (not isinstance(attention_axes, (list, tuple)) or not all(
                isinstance(a, int) and not isinstance(a, bool) for a in attention_axes) or not attention_axes):
            raise validation.invalid(self, "attention_axes", "None, an int or a tuple of ints", attention_axes)
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))

    num_heads = property(lambda self: self._num_heads, doc="The number of attention heads.")
    key_dim = property(lambda self: self._key_dim, doc="The size of each head for query and key.")
    value_dim = property(lambda self: self._value_dim, doc="The size of each head for value.")
    dropout = property(lambda self: self._dropout, doc="The dropout rate of the attention probabilities.")
    use_bias = property(lambda self: self._use_bias, doc="Whether the projections have biases.")
    attention_axes = property(lambda self: self._attention_axes, doc="The attention axes (normalized once built).")

    def build(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape, key_shape = self._track_shapes(query_shape, value_shape, key_shape)
        equation, bias_axes, rank = projection_equation(len(query_shape) - 1, 1, 2)
        self.query_dense = self._projection(equation, bias_axes, rank, self._key_dim, "query", query_shape)
        equation, bias_axes, _ = projection_equation(len(key_shape) - 1, 1, 2)
        self.key_dense = self._projection(equation, bias_axes, rank, self._key_dim, "key", key_shape)
        if self._use_gate:
            equation, bias_axes, _ = projection_equation(len(query_shape) - 1, 1, 2)
            self._gate_dense = self._projection(equation, bias_axes, rank, self._value_dim, "gate", query_shape,
                                                activation="sigmoid")
        equation, bias_axes, _ = projection_equation(len(value_shape) - 1, 1, 2)
        self.value_dense = self._projection(equation, bias_axes, rank, self._value_dim, "value", value_shape)
        self._build_attention(rank)
        self.output_dense = self._make_output_dense(query_shape, self._sublayer_kwargs(), "attention_output")
        self._built_sublayer(self.output_dense, tuple(query_shape[:-1]) + (self._num_heads, self._value_dim))

    def _projection(self, equation, bias_axes, rank, head_size, name, input_shape, activation=None):
        layer = EinsumDense(equation, partial_shape(rank - 1, [self._num_heads, head_size]), activation=activation,
                            bias_axes=bias_axes if self._use_bias else None, name=name, **self._sublayer_kwargs())
        return self._built_sublayer(layer, input_shape)

    def _make_output_dense(self, query_shape, common_kwargs, name=None):
        output_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, rank = projection_equation(len(query_shape) - 1, 2, len(output_shape))
        return EinsumDense(equation, partial_shape(rank - 1, output_shape), name=name,
                           bias_axes=bias_axes if self._use_bias else None, **common_kwargs)

    def _build_attention(self, rank):
        """The attention axes (normalized), the einsum equations, the softmax and the dropout, for ``rank``."""
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            axes = tuple(a if a >= 0 else rank - 1 + a for a in self._attention_axes)
            if any(not 1 <= a < rank - 2 for a in axes) or len(set(axes)) != len(axes):
                raise validation.invalid(self, "attention_axes", f"distinct axes of the query between the batch axis "
                                         f"and the features, in [1, {rank - 2}) or negative", self._attention_axes)
            self._attention_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = attention_equations(
            rank, self._attention_axes)
        count = len(self._attention_axes)
        self._mask_expansion_axis = -2 * count - 1  # where the heads axis goes into a (B, T, S) mask
        self._softmax = Softmax(axis=tuple(range(scores_rank - count, scores_rank)), dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        carried = query._keras_mask  # as Keras: the query tensor's own mask wins over `query_mask`
        query_mask, value_mask, key_mask = input_masks(query, value, key, query_mask if carried is None else carried,
                                                       value_mask, key_mask)
        key = value if key is None else key
        attention_mask = self._compute_attention_mask(query, value, query_mask, value_mask, key_mask,
                                                      attention_mask, use_causal_mask)
        with masks_detached(query, value, key):
            gate = self._gate_dense(query) if self._use_gate else None
            query, key, value = self.query_dense(query), self.key_dense(key), self.value_dense(value)
        output, scores = self._compute_attention(query, key, value, attention_mask, training)
        output = self.output_dense(output if gate is None else ops.multiply(output, gate))
        if query_mask is not None:
            output._keras_mask = ops.cast(query_mask, "bool")
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        """Scaled dot-product attention of the projected ``(B, T, N, key_dim)`` tensors: ``(output, scores)``."""
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, query.dtype))
        scores = self._masked_softmax(ops.einsum(self._dot_product_equation, key, query), attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return ops.einsum(self._combine_equation, dropped, value), scores

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        """The output shape: the query's, with the last axis replaced by ``output_shape`` if given.

        Args:
            query_shape: the query's shape.
            value_shape: the value's shape.
            key_shape: the key's shape (None: the value's).

        Returns:
            A shape tuple.
        """
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"Layer `{self.name}`: all dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}")
        query_shape = tuple(query_shape)
        return query_shape[:-1] + self._output_shape if self._output_shape else query_shape

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": None if self._output_shape is None else list(self._output_shape),
            "attention_axes": None if self._attention_axes is None else list(self._attention_axes),
            "sliding_window": self._sliding_window,
            **self._common_config(),
        }
