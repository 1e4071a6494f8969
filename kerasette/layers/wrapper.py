"""Wrapper: the base class of layers that take another layer and augment it."""

from kerasette.layers.layer import Layer
from kerasette.layers.rnn import nesting


class Wrapper(Layer):
    """Abstract base class of wrappers: layers that hold another layer and change how it is applied.

    ``TimeDistributed`` and ``Bidirectional`` are wrappers. A subclass implements ``call`` (and, when the
    output shape differs from the wrapped layer's, ``compute_output_shape``); the wrapped layer is built
    with the wrapper's input shape unless the subclass builds it otherwise, and is saved inside the
    wrapper's config under ``"layer"``.

    Args:
        layer: the ``Layer`` instance to wrap.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Raises:
        ValueError: ``layer`` is not a ``Layer``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> class Doubled(layers.Wrapper):
        ...     def call(self, inputs):
        ...         return 2 * self.layer(inputs)
        >>> wrapped = Doubled(layers.Dense(3, kernel_initializer="ones"))
        >>> np.asarray(wrapped(np.ones((1, 2), "float32")))
        array([[4., 4., 4.]], dtype=float32)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer!r} supplied to Wrapper isn't a supported layer type. Please ensure "
                             "wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        nesting.prefix_paths(self, self.layer)

    def get_config(self):
        return {**super().get_config(), "layer": nesting.serialize_sublayer(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the wrapper, deserializing the wrapped layer.

        Args:
            config: the output of ``get_config``.
            custom_objects: optional dict of custom classes by name.

        Returns:
            A new, unbuilt layer.
        """
        from kerasette.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
