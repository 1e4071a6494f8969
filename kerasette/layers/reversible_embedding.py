"""ReversibleEmbedding: an embedding that can also project vectors back to logits over its vocabulary."""

import numbers

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.embedding import Embedding


class ReversibleEmbedding(Embedding):
    """An ``Embedding`` whose ``call(inputs, reverse=True)`` maps vectors back to vocabulary logits.

    Forward, it is an ``Embedding`` (indices to ``output_dim`` vectors). Reversed, it multiplies its
    input ``(..., output_dim)`` by the transposed embedding table (``tie_weights=True``, the default,
    as language models tie their input and output embeddings) or by a separate ``reverse_embeddings``
    weight ``(output_dim, input_dim)``, giving ``(..., input_dim)`` logits; ``logit_soft_cap`` bounds
    them as ``tanh(logits / cap) * cap``.

    Args:
        input_dim: int, the vocabulary size.
        output_dim: int, the embedding size.
        tie_weights: bool, whether the reverse projection uses the embedding table. Defaults to True.
        embeddings_initializer: initializer of the table(s). Defaults to ``"uniform"``.
        embeddings_regularizer: optional regularizer of the embedding table.
        embeddings_constraint: optional constraint of the embedding table.
        mask_zero: bool, whether index 0 is padding (forward calls give a mask). Defaults to False.
        reverse_dtype: optional dtype the reverse projection computes in (None: the compute dtype).
        logit_soft_cap: optional positive number bounding the reverse logits.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Call arguments:
        inputs: indices (forward) or vectors ``(..., output_dim)`` (``reverse=True``).
        reverse: bool, which direction. Defaults to False.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> embedding = layers.ReversibleEmbedding(100, 8)
        >>> vectors = embedding(np.array([[3, 7]]))
        >>> vectors.shape, embedding(vectors, reverse=True).shape
        ((1, 2, 8), (1, 2, 100))
    """

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        if self.quantization_mode is not None:
            raise NotImplementedError(f"Layer `{self.name}`: kerasette has no quantized ReversibleEmbedding (dtype "
                                      f"policy {self.dtype_policy.name!r}); load it in float32.")
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        if logit_soft_cap is not None and (isinstance(logit_soft_cap, bool) or not isinstance(
                logit_soft_cap, numbers.Real) or logit_soft_cap <= 0):
            raise validation.invalid(self, "logit_soft_cap", "a positive number or None", logit_soft_cap)
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight((self.output_dim, self.input_dim), self.embeddings_initializer,
                                                      name="reverse_embeddings")

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs, kernel = ops.cast(inputs, self.reverse_dtype), ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = ops.multiply(ops.tanh(ops.divide(logits, self.logit_soft_cap)), self.logit_soft_cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        """The padding mask of a forward call on indices (``mask_zero``); a reverse call on vectors gives none."""
        dtype = str(getattr(inputs, "dtype", ""))
        return super().compute_mask(inputs, mask) if dtype.startswith(("int", "uint")) else None

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return super().compute_output_shape(input_shape)

    def quantize(self, mode=None, type_check=True, config=None):
        """Refused: kerasette has no int8 form of ``ReversibleEmbedding`` (Keras has one).

        Raises:
            NotImplementedError: always (``Model.quantize`` turns it into a warning and leaves the layer float).
        """
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `quantize` method implemented "
                                  "in kerasette.")

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap}
