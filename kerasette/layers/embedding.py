"""Embedding: integer indices -> rows of an (input_dim, output_dim) table."""

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.quantizers.embedding_int8 import Int8Embedding


class Embedding(Int8Embedding, Layer):
    """Turns non-negative integers (indices) into dense vectors of a fixed size.

    Each integer index in ``[0, input_dim)`` is replaced by its row of the ``(input_dim, output_dim)``
    weight ``embeddings``, e.g. ``[[4], [20]] -> [[0.25, 0.1], [0.6, -0.2]]``. Inputs of any shape give
    outputs of that shape plus ``(output_dim,)``. Integer inputs are used as they are; float inputs are
    cast to int32, as in Keras. Negative indices count from the end of the table (Keras 3's
    ``ops.take`` does the same on every backend); an index >= ``input_dim`` raises a ValueError naming
    the layer. The check costs nothing: the backend's gather already refuses it (numpy checks in C
    while gathering), so it fires in eager calls and, during ``fit``, at the first batch holding such
    an index, before that batch updates any weight.

    Args:
        input_dim: positive int, the size of the vocabulary: the largest index + 1.
        output_dim: positive int, the size of each embedding vector.
        embeddings_initializer: initializer for the ``embeddings`` matrix. Defaults to ``"uniform"``.
        embeddings_regularizer: optional regularizer applied to the ``embeddings`` matrix.
        embeddings_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to the
            embeddings matrix after each update.
        mask_zero: bool, whether index 0 is a padding value to mask out. If True, ``compute_mask``
            returns ``inputs != 0`` and index 0 cannot be used for a word, so ``input_dim`` should be
            the vocabulary size + 1. Defaults to False.
        weights: optional initial value of the table: a list holding one ``(input_dim, output_dim)``
            array (the layer is then built at once). Keras also accepts the bare array; kerasette
            needs the list.
        input_length: accepted (tf.keras 2 configs carry it) and ignored.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        quantization_config: an ``Int8QuantizationConfig`` for a layer created already quantized (with
            ``dtype="int8_from_float32"``); None otherwise. ``layer.quantize("int8")`` stores the table in int8
            with one scale per row, as Keras 3 does.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...). Keras's ``lora_rank`` and
            ``lora_alpha`` are not supported and raise a TypeError.

    Input shape:
        N-D tensor of indices with shape ``(batch_size, ...)``, most often
        ``(batch_size, input_length)``.

    Output shape:
        (N+1)-D tensor with shape ``(batch_size, ..., output_dim)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.Embedding(10, 3)
        >>> layer(np.array([[1, 2, 2]])).shape
        (1, 3, 3)
        >>> table = np.arange(6.0).reshape(3, 2)
        >>> layer = layers.Embedding(3, 2, weights=[table], mask_zero=True)
        >>> layer(np.array([[2, 0]])).numpy().tolist()
        [[[4.0, 5.0], [0.0, 1.0]]]
        >>> layer.compute_mask(np.array([[2, 0]])).numpy().tolist()
        [[True, False]]
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, input_length=None,
                 activity_regularizer=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim = validation.positive_int(self, "input_dim", input_dim)
        self.output_dim = validation.positive_int(self, "output_dim", output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        if weights is not None:
            self.build(None)
            self.built = True
            self.set_weights(weights if isinstance(weights, (list, tuple)) else [weights])  # Keras takes both

    def build(self, input_shape):
        if self.quantization_mode == "int8":
            self._int8_build((self.input_dim, self.output_dim))
            return
        self.embeddings = self.add_weight((self.input_dim, self.output_dim), self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint, name="embeddings")

    def _check_compatible(self, input_shape):
        """Any shape of indices fits the table (the base class compares last axes)."""

    def call(self, inputs):
        if not inputs.dtype.startswith(("int", "uint")):
            inputs = ops.cast(inputs, "int32")
        try:
            if self.quantization_mode == "int8":
                return self._int8_call(inputs)
            return ops.take(self.embeddings, inputs, axis=0)
        except IndexError as error:
            raise ValueError(
                f"Layer `{self.name}` received an index outside [0, input_dim={self.input_dim}) "
                f"(negative indices count from the end): {error}."
            ) from None

    def compute_mask(self, inputs, mask=None):
        """Return ``inputs != 0`` (True where an index is not padding) if ``mask_zero``, else None.

        Args:
            inputs: the integer indices the layer is called on.
            mask: the incoming mask; ignored (this layer starts the mask).

        Returns:
            A boolean tensor shaped like ``inputs``, or None.
        """
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        }
