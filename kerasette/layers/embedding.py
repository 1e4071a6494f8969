"""Embedding: integer indices -> rows of an (input_dim, output_dim) table."""

from kerasette import initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer


class Embedding(Layer):
    """Maps each integer index in ``[0, input_dim)`` to a row of the ``embeddings`` weight.

    Inputs of any shape give outputs of that shape plus ``(output_dim,)``. Integer inputs are used as
    they are; float inputs are cast to int32, as in Keras. Negative indices count from the end of the
    table (Keras 3's ``ops.take`` does the same on every backend); an index >= ``input_dim`` raises a
    ValueError naming the layer. The check costs nothing: the backend's gather already refuses it
    (numpy checks in C while gathering), so it fires in eager calls and, during ``fit``, at the first
    batch holding such an index, before that batch updates any weight.

    ``mask_zero=True`` makes ``compute_mask`` return ``inputs != 0``; index 0 is then reserved, so
    ``input_dim`` should be the vocabulary size + 1. ``input_length`` is accepted (tf.keras 2 configs)
    and ignored.

    >>> layer = Embedding(10, 3)
    >>> layer(np.array([[1, 2, 2]])).shape
    (1, 3, 3)
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, input_length=None,
                 activity_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        validation.not_supported(
            self, embeddings_constraint=embeddings_constraint, activity_regularizer=activity_regularizer
        )
        self.input_dim = validation.positive_int(self, "input_dim", input_dim)
        self.output_dim = validation.positive_int(self, "output_dim", output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.mask_zero = bool(mask_zero)
        if weights is not None:
            self.build(None)
            self.built = True
            self.set_weights(weights)

    def build(self, input_shape):
        self.embeddings = self.add_weight((self.input_dim, self.output_dim), self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer, name="embeddings")

    def _check_compatible(self, input_shape):
        """Any shape of indices fits the table (the base class compares last axes)."""

    def call(self, inputs):
        if not inputs.dtype.startswith(("int", "uint")):
            inputs = ops.cast(inputs, "int32")
        try:
            return ops.take(self.embeddings, inputs, axis=0)
        except IndexError as error:
            raise ValueError(
                f"Layer `{self.name}` received an index outside [0, input_dim={self.input_dim}) "
                f"(negative indices count from the end): {error}."
            ) from None

    def compute_mask(self, inputs, mask=None):
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
            "activity_regularizer": None,
            "embeddings_constraint": None,
            "mask_zero": self.mask_zero,
        }
