"""Functional: a model whose forward pass is a recorded graph of layer calls.

``Model(inputs, outputs)`` returns one; ``Sequential`` is one built from a list.
"""

from kerasette.models.graph import Graph
from kerasette.models.model import Model
from kerasette.utils import naming


class Functional(Model):
    """A model defined by a graph of layers, from symbolic inputs to symbolic outputs.

    Users create one with ``keras.Model(inputs, outputs)``; the graph runs the
    recorded layer calls in topological order, and the model's config records
    them, so ``get_config``/``from_config`` and saving rebuild it without code.

    >>> import kerasette as keras
    >>> x = keras.Input(shape=(4,), name="features")
    >>> h = keras.layers.Dense(8, activation="relu")(x)
    >>> y = keras.layers.Dense(1, name="score")(h)
    >>> model = keras.Model(x, y)
    >>> [layer.name for layer in model.layers]
    ['features', 'dense', 'score']

    Args:
        inputs: the symbolic input tensor(s) (a tensor, a list, or a dict keyed
            by input name).
        outputs: the symbolic output tensor(s) (a tensor, a list, or a dict).
        name: the model's name (default ``functional``, ``functional_1``...).
        trainable: whether the model's weights are updated by training.

    Raises:
        TypeError: an input or output is not a symbolic tensor.
        ValueError: a missing input or output, a graph where an output does not
            depend only on the given inputs, or two layers with the same name.
    """

    def __init__(self, inputs=None, outputs=None, name=None, trainable=True, **kwargs):
        self._init_model(name=name or naming.unique_name("functional"), trainable=trainable, **kwargs)
        self._graph = None
        self._set_graph(inputs, outputs)

    def _set_graph(self, inputs, outputs):
        """Make ``inputs -> outputs`` this model's graph (checked before anything changes)."""
        graph = Graph(inputs, outputs, self.name)
        self._graph = graph
        self.inputs, self.outputs = graph.inputs, graph.outputs
        self.built = True

    @property
    def graph(self):
        """The model's ``Graph`` (inputs, outputs, nodes, layers), or None for a Sequential model not built yet."""
        return self._graph

    @property
    def layers(self):
        """The model's layers in Keras's order, InputLayers included."""
        return list(self._graph.layers)

    def _sublayers(self):
        return list(self._graph.layers)

    @property
    def input(self):
        """The symbolic input tensor (a list of them for several inputs)."""
        return self.inputs[0] if len(self.inputs) == 1 else list(self.inputs)

    @property
    def output(self):
        """The symbolic output tensor (a list of them for several outputs)."""
        return self.outputs[0] if len(self.outputs) == 1 else list(self.outputs)

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def call(self, inputs, training=None):
        return self._graph.run(inputs, training=training)

    def compute_output_shape(self, input_shape):
        return self.output_shape

    def _maybe_build(self, input_shape):
        pass  # the graph fixed every layer's shapes when it was recorded

    # ----- what the trainer needs to know about inputs and outputs ---------
    def _input_names(self):
        return [t.history[0].name for t in self.inputs]

    def _input_specs(self):
        return [(t.history[0].name, t.shape) for t in self.inputs]

    def _input_dtypes(self, count):
        return [t.dtype for t in self.inputs]

    def _output_specs(self):
        return [(t.history[0].name, t.shape) for t in self.outputs]

    def _output_structure(self):
        kind, keys = self._graph.output_structure
        return ("dict", keys) if kind == "dict" else ("list", len(self.outputs))

    def _build_from_data(self, xs):
        pass

    # ----- config ------------------------------------------------------------
    def get_config(self):
        from kerasette.models.functional_config import get_functional_config

        return get_functional_config(self)


def inject_functional_class(cls):
    """Make a ``Model`` subclass whose ``__init__`` calls ``super().__init__(inputs, outputs)`` a Functional.

    Its base ``Model`` is replaced by ``Functional`` (as Keras 3 does), so the
    instance gets the graph methods while keeping the subclass's own.
    """
    if issubclass(cls, Functional):
        return
    if Model in cls.__bases__:
        cls.__bases__ = tuple(Functional if base is Model else base for base in cls.__bases__)
        return
    for base in cls.__bases__:
        if issubclass(base, Model):
            inject_functional_class(base)
