"""AdditiveAttention: Bahdanau-style attention, with scores ``sum(scale * tanh(query + key))``."""

from kerasette import ops
from kerasette.layers.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    As ``Attention``, with the scores of query ``i`` and key ``j`` computed as
    ``sum(scale * tanh(query[i] + key[j]))`` over the feature axis, where ``scale`` is a learned vector of the
    feature size (or 1 with ``use_scale=False``).

    Args:
        use_scale: bool, whether to learn the ``scale`` vector (initialized with ``glorot_uniform``).
            Defaults to True.
        dropout: float in [0, 1), the fraction of the attention weights dropped while training.
        **kwargs: ``seed`` and base layer arguments (``name``, ``dtype``, ``trainable``...).

    Call arguments:
        inputs: the list ``[query, value]`` or ``[query, value, key]``.
        mask: optional list ``[query_mask, value_mask]`` of boolean tensors.
        training: bool, whether dropout applies.
        return_attention_scores: bool, whether to also return the attention weights ``(batch, Tq, Tv)``.
        use_causal_mask: bool, whether position ``i`` may only attend to positions ``j <= i``.

    Output shape:
        ``(batch, Tq, dim)``, and with ``return_attention_scores`` the weights ``(batch, Tq, Tv)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.AdditiveAttention(use_scale=False)
        >>> query, value, key = np.zeros((1, 3, 2)), np.array([[[1.0, 2.0], [3.0, 4.0]]]), np.zeros((1, 2, 2))
        >>> layer([query, value, key]).numpy()[0].tolist()  # equal scores: the mean of the values
        [[2.0, 3.0], [2.0, 3.0], [2.0, 3.0]]
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.concat_score_weight = None
        self.scale = self.add_weight((input_shape[0][-1],), "glorot_uniform", name="scale") if self.use_scale else None

    def _calculate_scores(self, query, key):
        summed = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))  # (batch, Tq, Tv, dim)
        if self.scale is not None:
            summed = ops.multiply(summed, self.scale)
        return ops.sum(summed, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
