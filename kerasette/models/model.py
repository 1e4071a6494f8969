"""Model: a functional graph of layers (``Model(inputs, outputs)``) or a subclass with its own ``call``."""

from kerasette.layers import naming
from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor
from kerasette.models.graph import keras_layer_order, nodes_between, run_nodes
from kerasette.models.saving_methods import SavingMethods
from kerasette.models.trainer import Trainer


class Model(SavingMethods, Trainer, Layer):
    """Groups layers into an object with training and inference features.

    ``Model(inputs, outputs)`` builds a functional model from symbolic
    tensors; subclassing ``Model`` and writing ``call`` builds a custom one.
    """

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if len(args) > 0 else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        if "name" not in kwargs:
            kwargs["name"] = naming.unique_name("functional" if inputs is not None else
                                                naming.to_snake_case(type(self).__name__))
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        self._graph = None
        self._subclass_outputs = None
        if inputs is not None or outputs is not None:
            self._init_graph(inputs, outputs)

    # ----- functional graph ----------------------------------------------
    def _init_graph(self, inputs, outputs):
        self._input_struct = _structure(inputs, "inputs")
        self._output_struct = _structure(outputs, "outputs")
        flat_in, flat_out = _flatten(inputs), _flatten(outputs)
        for name, group in (("inputs", flat_in), ("outputs", flat_out)):
            for tensor in group:
                if not isinstance(tensor, KerasTensor):
                    raise TypeError(f"All model {name} must be symbolic tensors (from `Input` or a layer "
                                    f"call). Received: {tensor!r}")
        nodes = nodes_between(flat_in, flat_out)
        layers = keras_layer_order(flat_in, flat_out)
        names = [layer.name for layer in layers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"The name(s) {duplicates} are used by more than one layer in model "
                             f"`{self.name}`. All layer names should be unique.")
        self.inputs, self.outputs = flat_in, flat_out
        self._graph = nodes
        self._layers = layers
        self.built = True

    @property
    def layers(self):
        if self._graph is not None:
            return list(self._layers)
        return self._sublayers()

    def _sublayers(self):
        if self._graph is not None:
            return list(self._layers)
        found = []
        for value in vars(self).values():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, Layer) and item is not self and item not in found:
                    found.append(item)
        return found

    @property
    def input(self):
        return self.inputs[0] if len(self.inputs) == 1 else list(self.inputs)

    @property
    def output(self):
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
        if self._graph is None:
            raise NotImplementedError(f"Model `{self.name}` has no graph: subclasses must implement `call`.")
        values = _flatten_values(inputs, self._input_struct, len(self.inputs))
        computed = run_nodes(self._graph, self.inputs, values, training=training)
        results = [computed[id(t)] for t in self.outputs]
        return _pack(results, self._output_struct)

    def compute_output_shape(self, input_shape):
        if self._graph is None:
            return Layer.compute_output_shape(self, input_shape)
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    # ----- what the trainer needs to know about inputs and outputs ---------
    def _output_specs(self):
        """[(name, shape)] per output: output layer names for graphs, output_<i> for subclasses."""
        if self._graph is not None:
            return [(t.history[0].name, t.shape) for t in self.outputs]
        if self._subclass_outputs is None:
            raise RuntimeError(f"Model `{self.name}` has not been called yet, so its outputs are unknown.")
        return self._subclass_outputs

    def _input_dtypes(self, count):
        if self._graph is not None:
            return [t.dtype for t in self.inputs]
        return [self.dtype] * count

    def _ensure_built(self, xs):
        """Subclassed models learn their output shapes from one forward pass on a sample."""
        if self._graph is not None or self._subclass_outputs is not None:
            return
        from kerasette import ops

        sample = [ops.convert_to_tensor(x[:1]) for x in xs]
        with ops.stop_recording():
            out = self(sample[0] if len(sample) == 1 else sample, training=False)
        flat = list(out) if isinstance(out, (list, tuple)) else [out]
        names = ["output"] if len(flat) == 1 else [f"output_{i}" for i in range(len(flat))]
        self._subclass_outputs = [(n, (None,) + tuple(o.shape[1:])) for n, o in zip(names, flat)]

    def _maybe_build(self, input_shape):
        if self._graph is None:
            Layer._maybe_build(self, input_shape)

    def get_config(self):
        if self._graph is None:
            return Layer.get_config(self)
        from kerasette.models.functional_config import get_functional_config

        return get_functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "layers" in config and "input_layers" in config:
            from kerasette.models.functional_config import functional_from_config

            return functional_from_config(cls, config, custom_objects)
        return cls(**config)

    def get_layer(self, name=None, index=None):
        """A layer by name or by index in ``model.layers``."""
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Model `{self.name}` has {len(layers)} layers; index {index} is out of range.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[l.name for l in layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print a table of the layers, their output shapes and parameter counts."""
        from kerasette.utils.summary import print_summary

        print_summary(self, line_length=line_length, print_fn=print_fn, show_trainable=show_trainable)


def _structure(value, what):
    if isinstance(value, dict):
        return ("dict", list(value))
    if isinstance(value, (list, tuple)):
        return ("list", len(value))
    if value is None:
        raise ValueError(f"A functional model needs `{what}`.")
    return ("single", 1)


def _flatten(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _flatten_values(values, structure, count):
    kind, keys = structure
    if kind == "dict" and isinstance(values, dict):
        missing = [k for k in keys if k not in values]
        if missing:
            raise ValueError(f"Missing model inputs {missing}; expected keys {keys}.")
        return [values[k] for k in keys]
    flat = list(values) if isinstance(values, (list, tuple)) else [values]
    if len(flat) != count:
        raise ValueError(f"The model expects {count} input(s), but received {len(flat)}.")
    return flat


def _pack(results, structure):
    kind, keys = structure
    if kind == "dict":
        return dict(zip(keys, results))
    if kind == "list":
        return list(results)
    return results[0]
