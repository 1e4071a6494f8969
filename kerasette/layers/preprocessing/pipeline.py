"""Pipeline: apply a list of layers in sequence, as one preprocessing layer."""

from kerasette.layers.layer import Layer


class Pipeline(Layer):
    """Applies a series of layers to an input, one after the other.

    Unlike a ``Sequential`` model it is a single layer: use it to group augmentations (or to map them
    over the batches of a dataset). ``training`` is passed to each layer that takes it; dict inputs
    (``{"images": ..., "labels": ...}``) pass through the image preprocessing layers.

    Args:
        layers: a list of layers.
        name: the layer's name.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> pipeline = layers.Pipeline([layers.Rescaling(1 / 255.0), layers.CenterCrop(2, 2)])
        >>> out = pipeline(np.full((1, 4, 4, 3), 255, "uint8"))
        >>> out.shape, float(out.numpy().max())
        ((1, 2, 2, 3), 1.0)
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError(f"Invalid value for argument `layers` of layer `{self.name}`. Expected a list of layers. "
                             f"Received: layers={layers!r}")
        self._pipeline_layers = list(layers)

    @property
    def layers(self):
        """The layers, in the order they are applied."""
        return self._pipeline_layers

    def __call__(self, inputs, *args, **kwargs):
        """Run the layers in turn; a dict input goes through ``call`` directly (see the class docs).

        Args:
            inputs: a tensor, an array or a dict of them.
            *args: passed on for tensor inputs.
            **kwargs: ``training`` and the other call arguments.

        Returns:
            The output of the last layer.
        """
        if isinstance(inputs, dict):
            return self.call(inputs, training=kwargs.pop("training", None))
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs, training=None):
        for layer in self._pipeline_layers:
            if training is not None and (isinstance(inputs, dict) or layer._accepts_training()):
                inputs = layer(inputs, training=training)
            else:
                inputs = layer(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        from kerasette.saving.serialization_lib import serialize_keras_object

        envelopes = [serialize_keras_object(layer) for layer in self._pipeline_layers]
        for envelope in envelopes:
            envelope.pop("build_config", None)  # the pipeline calls its layers itself
        return {"layers": envelopes, "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the pipeline, deserializing its layers.

        Args:
            config: the output of ``get_config``.
            custom_objects: optional dict of custom classes by name.

        Returns:
            A new pipeline.

        Raises:
            ValueError: if the config has no list of layers.
        """
        from kerasette.saving.serialization_lib import deserialize_keras_object

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("`Pipeline` config must contain a `layers` key mapping to a list of serialized layers. "
                             f"Received config with layers={layers}.")
        return cls([deserialize_keras_object(layer, custom_objects=custom_objects) for layer in layers],
                   name=config.get("name"))
