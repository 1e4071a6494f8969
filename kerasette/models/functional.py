"""Functional: a model whose forward pass is a recorded graph of layer calls.

``Model(inputs, outputs)`` returns one; ``Sequential`` is one built from a list.
"""

from __future__ import annotations

from typing import Any, List, Optional

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
    def graph(self) -> Optional[Graph]:
        """The model's ``Graph`` (inputs, outputs, nodes, layers), or None for a Sequential model not built yet."""
        return self._graph

    @property
    def layers(self) -> List[Any]:
        """The model's layers in Keras's order, InputLayers included."""
        return list(self._graph.layers)

    def _sublayers(self):
        return list(self._graph.layers)

    @property
    def input(self) -> Any:
        """The symbolic input tensor (a list of them for several inputs)."""
        return self.inputs[0] if len(self.inputs) == 1 else list(self.inputs)

    @property
    def output(self) -> Any:
        """The symbolic output tensor (a list of them for several outputs)."""
        return self.outputs[0] if len(self.outputs) == 1 else list(self.outputs)

    @property
    def input_shape(self) -> Any:
        """The input's shape with ``None`` for the batch (a list of shapes for several inputs)."""
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        """The output's shape with ``None`` for the batch (a list of shapes for several outputs)."""
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def call(self, inputs: Any, training: Optional[bool] = None) -> Any:
        """Run the graph on ``inputs`` (packed as the model's inputs were given: one, a list or a dict)."""
        return self.graph.run(inputs, training=training)

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape(s), as the graph recorded them."""
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

    def _learn_outputs(self, xs):
        pass  # the graph knows its outputs

    # ----- config ------------------------------------------------------------
    def get_config(self) -> dict:
        """The graph as Keras writes it: layers with their inbound nodes, then input and output references."""
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
