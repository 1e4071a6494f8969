"""Sequential: a functional model built from a list of single-input layers."""

from kerasette.layers.input_layer import InputLayer
from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor
from kerasette.models.functional import Functional
from kerasette.utils import naming


class Sequential(Functional):
    """A linear stack of layers, each with one input and one output.

    With an ``Input`` first (or ``input_shape=`` on the first layer) the graph
    is built as layers are added; otherwise on first use (``fit``, a call, or
    ``build(input_shape)``).

    >>> import kerasette as keras
    >>> model = keras.Sequential([
    ...     keras.Input(shape=(16,)),
    ...     keras.layers.Dense(8, activation="relu"),
    ...     keras.layers.Dense(1),
    ... ])
    >>> model.output_shape
    (None, 1)

    Args:
        layers: the layers to add, in order (an ``Input`` tensor may come first).
        trainable: whether the model's weights are updated by training.
        name: the model's name (default ``sequential``, ``sequential_1``...).
    """

    def __init__(self, layers=None, trainable=True, name=None):
        self._init_model(trainable=trainable, name=name or naming.unique_name("sequential"))
        self._graph = None
        self._stack = []
        self._input_layer = None
        for layer in layers or []:
            self.add(layer)

    def add(self, layer, rebuild=True):
        """Append a layer (or an ``Input`` tensor) to the stack."""
        if isinstance(layer, KerasTensor):
            layer = layer.history[0]
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Only instances of `kerasette.layers.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer):
            if self._stack or self._input_layer is not None:
                raise ValueError(f"Sequential model `{self.name}`: an InputLayer can only be the first layer.")
            self._input_layer = layer
            return
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(f"All layers added to a Sequential model should have unique names. "
                             f"Name {layer.name!r} is already the name of a layer in this model.")
        if self._input_layer is None and not self._stack and layer._batch_input_shape is not None:
            self._input_layer = InputLayer(batch_shape=layer._batch_input_shape, dtype=layer.dtype)
        self._stack.append(layer)
        if rebuild and self._input_layer is not None:
            try:
                self._build_graph()
            except Exception:
                self._stack.pop()  # leave the model as it was
                raise

    def pop(self):
        """Remove the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        if self._input_layer is not None and self._stack:
            self._build_graph()
        return layer

    def _build_graph(self, batch_shape=None):
        if self._input_layer is None:
            self._input_layer = InputLayer(batch_shape=batch_shape)
        x = inputs = self._input_layer.output
        for layer in self._stack:
            x = layer(x)
        self._set_graph(inputs, x)

    @property
    def layers(self):
        return list(self._stack)

    def _sublayers(self):
        return list(self._stack)

    def call(self, inputs, training=None):
        if self._graph is None:
            self._build_graph((None,) + tuple(inputs.shape[1:]))
        return super().call(inputs, training=training)

    def build(self, input_shape=None):
        """Build the graph for inputs of ``input_shape`` (batch dimension included)."""
        if self._graph is None:
            self._build_graph(tuple(input_shape))

    def _maybe_build(self, input_shape):
        if self._graph is None:
            Layer._maybe_build(self, input_shape)

    def _input_names(self):
        return None if self._graph is None else super()._input_names()

    def _input_specs(self):
        return None if self._graph is None else super()._input_specs()

    def _build_from_data(self, xs):
        if self._graph is None:
            self._build_graph((None,) + tuple(xs[0].shape[1:]))

    def get_config(self):
        layers = []
        if self._input_layer is not None:
            layers.append({"class_name": "InputLayer", "config": self._input_layer.get_config()})
        layers += [{"class_name": type(l).__name__, "config": l.get_config()} for l in self._stack]
        return {"name": self.name, "trainable": self.trainable, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasette import layers

        model = cls(name=config.get("name"))
        for spec in config["layers"]:
            model.add(layers.deserialize(spec, custom_objects=custom_objects))
        if not config.get("trainable", True):
            model.trainable = False
        return model
