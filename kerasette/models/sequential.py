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
        self._graph = None  # built on demand from the chain of symbolic outputs below
        self._stack = []
        self._names = set()
        self._input_layer = None
        self._chain = []  # the symbolic output of the InputLayer, then of each layer in the stack
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Layer, rebuild: bool = True) -> None:
        """Append a layer (or an ``Input`` tensor) to the stack.

        When the model has an input shape, the layer is called on the previous
        layer's output at once (so a shape mismatch is an error here, and the
        model is left as it was); building the model stays linear in its depth.

        Args:
            layer: a layer, or the tensor an ``Input(...)`` call returned.
            rebuild: accepted for Keras compatibility; the graph is always kept current.

        Raises:
            TypeError: ``layer`` is not a layer.
            ValueError: an InputLayer after other layers, a duplicate layer name, or a
                layer that cannot take the previous layer's output.
        """
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
            self._chain = [layer.output]
            return
        if layer.name in self._names:
            raise ValueError(f"All layers added to a Sequential model should have unique names. "
                             f"Name {layer.name!r} is already the name of a layer in this model.")
        if self._input_layer is None and not self._stack and layer._batch_input_shape is not None:
            self._input_layer = InputLayer(batch_shape=layer._batch_input_shape, dtype=layer.dtype)
            self._chain = [self._input_layer.output]
        if self._chain:
            self._chain.append(layer(self._chain[-1]))  # raises before anything changed
            self._mark_built()
        self._stack.append(layer)
        self._names.add(layer.name)

    def pop(self) -> Layer:
        """Remove the last layer and return it.

        Raises:
            TypeError: the model has no layers.
        """
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self._names.discard(layer.name)
        if len(self._chain) > 1:
            self._chain.pop()
            self._mark_built()
        return layer

    def _build_graph(self, batch_shape=None, dtype=None):
        """Call every layer on a new InputLayer (models created without an input shape)."""
        if self._input_layer is None:
            self._input_layer = InputLayer(batch_shape=batch_shape, dtype=dtype)
        chain = [self._input_layer.output]
        for layer in self._stack:
            chain.append(layer(chain[-1]))
        self._chain = chain
        self._mark_built()

    def _mark_built(self):
        """The chain changed: inputs and outputs follow it now, the Graph when it is next asked for."""
        self._graph = None
        self.inputs, self.outputs = [self._chain[0]], [self._chain[-1]]
        self.built = True

    @property
    def graph(self):
        """The model's ``Graph``, or None when the model has no input shape yet."""
        if self._graph is None and self._chain:
            self._set_graph(self._chain[0], self._chain[-1])
        return self._graph

    @property
    def layers(self):
        """The layers of the stack, without the InputLayer (as in Keras)."""
        return list(self._stack)

    def _sublayers(self):
        return list(self._stack)

    def call(self, inputs, training=None):
        """Run the stack on ``inputs`` (building the graph from their shape on first use)."""
        if not self._chain:
            self._build_graph((None,) + tuple(inputs.shape[1:]))
        return self.graph.run(inputs, training=training)

    def build(self, input_shape=None):
        """Build the graph for inputs of ``input_shape`` (batch dimension included)."""
        if not self._chain:
            self._build_graph(tuple(input_shape))

    def _maybe_build(self, input_shape):
        if not self._chain:
            Layer._maybe_build(self, input_shape)

    def _input_names(self):
        return None if not self._chain else super()._input_names()

    def _input_specs(self):
        return None if not self._chain else super()._input_specs()

    def _build_from_data(self, xs):
        if not self._chain:
            self._build_graph((None,) + tuple(xs[0].shape[1:]), _text_dtype(xs[0]))

    def get_config(self):
        """``{"name", "trainable", "layers": [InputLayer, then each layer's {"class_name", "config"}]}``."""
        layers = []
        if self._input_layer is not None:
            layers.append({"class_name": "InputLayer", "config": self._input_layer.get_config()})
        layers += [{"class_name": type(l).__name__, "config": l.get_config()} for l in self._stack]
        return {"name": self.name, "trainable": self.trainable, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new Sequential model from ``get_config()``'s output (fresh weights)."""
        from kerasette import layers

        model = cls(name=config.get("name"))
        for spec in config["layers"]:
            model.add(layers.deserialize(spec, custom_objects=custom_objects))
        if not config.get("trainable", True):
            model.trainable = False
        return model


def _text_dtype(array):
    """``"string"`` for a host array of text (data for a model that starts with TextVectorization), else None."""
    return "string" if array.dtype.kind in "USO" else None
