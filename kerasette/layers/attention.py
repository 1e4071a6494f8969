"""Attention: Luong-style (dot-product) attention, the base of AdditiveAttention."""

import numpy as np

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.ops import random

_MASKED = 1.0e9  # subtracted from the scores of masked positions, as Keras does


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on ``[query, value]`` or ``[query, value, key]`` (``key`` defaults to ``value``), with shapes
    ``(batch, Tq, dim)``, ``(batch, Tv, dim)`` and ``(batch, Tv, dim)``: the scores ``query @ key^T``
    (``score_mode="dot"``) or ``sum(tanh(query + key))`` (``"concat"``) go through a softmax over ``Tv``, and the
    output is the resulting weighted sum of ``value``, ``(batch, Tq, dim)``.

    Args:
        use_scale: bool, whether to learn a scalar that scales the scores. Defaults to False.
        score_mode: ``"dot"`` (the default) or ``"concat"``.
        dropout: float in [0, 1), the fraction of the attention weights dropped while training.
        seed: optional int, the seed of the dropout's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Call arguments:
        inputs: the list ``[query, value]`` or ``[query, value, key]``.
        mask: optional list ``[query_mask, value_mask]`` of boolean tensors ``(batch, Tq)`` and ``(batch, Tv)``:
            masked values get no attention, masked query positions give zeros.
        training: bool, whether dropout applies.
        return_attention_scores: bool, whether to also return the attention weights ``(batch, Tq, Tv)``.
        use_causal_mask: bool, whether position ``i`` may only attend to positions ``j <= i`` (for decoders).

    Output shape:
        ``(batch, Tq, dim)``, and with ``return_attention_scores`` the weights ``(batch, Tq, Tv)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> query, value = np.array([[[1.0, 0.0]]]), np.array([[[1.0, 2.0], [3.0, 4.0]]])
        >>> out, scores = layers.Attention()([query, value], return_attention_scores=True)
        >>> [round(v, 4) for v in scores.numpy().ravel().tolist()]
        [0.1192, 0.8808]
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise validation.invalid(self, "score_mode", 'one of "dot", "concat"', score_mode)
        self.use_scale, self.score_mode = bool(use_scale), score_mode
        self.dropout = validation.rate(self, dropout) if dropout else 0.0
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self._return_scores = False  # set for the duration of a call that returns the scores

    def __call__(self, inputs, *args, return_attention_scores=False, **kwargs):
        self._return_scores = bool(return_attention_scores)  # read by compute_output_shape on symbolic inputs
        try:
            return super().__call__(inputs, *args, return_attention_scores=return_attention_scores, **kwargs)
        finally:
            self._return_scores = False

    def _check_inputs(self, shapes):
        if not isinstance(shapes, list) or not 2 <= len(shapes) <= 3:
            raise ValueError(f"Layer `{self.name}` ({type(self).__name__}) must be called on a list [query, value] or "
                             f"[query, value, key]. Received: {shapes}")

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.scale = self.add_weight((), "ones", name="scale") if self.use_scale else None
        self.concat_score_weight = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight((), "ones", name="concat_score_weight")

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.transpose(key, (0, 2, 1)))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        summed = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))  # (batch, Tq, Tv, dim)
        if self.scale is not None:
            summed = ops.multiply(summed, self.scale)
        return ops.multiply(ops.sum(ops.tanh(summed), axis=-1), self.concat_score_weight)

    def call(self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False):
        self._check_inputs(list(inputs))
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask, v_mask = (mask[0], mask[1]) if mask else (None, None)
        scores = self._calculate_scores(query, key)
        keep = None if v_mask is None else ops.expand_dims(ops.cast(v_mask, "bool"), -2)  # (batch, 1, Tv)
        if use_causal_mask:
            tq, tv = scores.shape[-2:]
            causal = ops.convert_to_tensor(np.tril(np.ones((1, tq, tv), bool)))
            keep = causal if keep is None else ops.logical_and(keep, causal)
        if keep is not None:
            scores = ops.where(keep, scores, ops.subtract(scores, _MASKED))
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        outputs = ops.matmul(weights, value)
        if q_mask is not None:
            outputs = ops.where(ops.expand_dims(ops.cast(q_mask, "bool"), -1), outputs, 0.0)
        return [outputs, weights] if return_attention_scores else outputs

    def compute_mask(self, inputs, mask=None):
        """The query mask, which the output keeps (None without masks).

        Args:
            inputs: the layer's inputs.
            mask: None or the list ``[query_mask, value_mask]``.

        Returns:
            The query mask or None.
        """
        return None if not mask or mask[0] is None else mask[0]

    def compute_output_shape(self, input_shape):
        self._check_inputs(input_shape)
        query, value = input_shape[0], input_shape[1]
        key = input_shape[2] if len(input_shape) > 2 else value
        outputs = (*query[:-1], value[-1])
        return [outputs, (*query[:-1], key[-2])] if self._return_scores else outputs

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}
