"""Model: the base class for models with training and inference features.

``Model(inputs, outputs)`` returns a ``Functional`` (see ``functional.py``), as in Keras 3; a subclass
that writes ``call`` is a subclassed model, and a subclass that calls
``super().__init__(inputs, outputs)`` becomes a functional subclass.
"""

from kerasette.layers.layer import Layer
from kerasette.models.saving_methods import SavingMethods
from kerasette.models.trainer import Trainer
from kerasette.utils import naming


class Model(Trainer, SavingMethods, Layer):
    """Groups layers into an object with training and inference features.

    There are two ways to make one:

    1. The functional API: start from ``Input``, chain layer calls, and pass the
       symbolic inputs and outputs to ``Model``:

    >>> import kerasette as keras
    >>> inputs = keras.Input(shape=(3,))
    >>> outputs = keras.layers.Dense(2)(inputs)
    >>> model = keras.Model(inputs=inputs, outputs=outputs)
    >>> type(model).__name__
    'Functional'

    2. Subclassing: create layers in ``__init__`` and write the forward pass in
       ``call``:

    >>> class TwoLayers(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = keras.layers.Dense(4, activation="relu")
    ...         self.out = keras.layers.Dense(1)
    ...     def call(self, inputs):
    ...         return self.out(self.hidden(inputs))
    >>> TwoLayers()(keras.ops.ones((2, 3))).shape
    (2, 1)

    Args:
        inputs: for the functional API, the symbolic input tensor(s) (a tensor,
            a list or a dict).
        outputs: for the functional API, the symbolic output tensor(s).
        name: the model's name (default: derived from the class name).
        trainable: whether the model's weights are updated by training.
    """

    _is_model_class = True  # what kerasette.registry.is_model_class looks for

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_arguments(args, kwargs):
            from kerasette.models.functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if _functional_arguments(args, kwargs):
            from kerasette.models.functional import Functional, inject_functional_class

            if not isinstance(self, Functional):  # functional subclassing: super().__init__(inputs, outputs)
                inject_functional_class(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        self._init_model(**kwargs)

    def _init_model(self, name=None, **kwargs):
        """Initialize the Layer and Trainer parts (every model, whatever its kind, goes through here)."""
        Layer.__init__(self, name=name or naming.unique_name(naming.to_snake_case(type(self).__name__)), **kwargs)
        Trainer.__init__(self)
        self._call_outputs = None  # [(name, shape)] per output, learned from the first call on data

    @property
    def layers(self):
        """The model's layers: for a subclassed model, the layers assigned to its attributes."""
        return self._sublayers()

    def _sublayers(self):
        found = []
        for value in vars(self).values():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, Layer) and item is not self and item not in found:
                    found.append(item)
        return found

    def call(self, inputs, training=None):
        raise NotImplementedError(f"Model `{self.name}` has no graph: subclasses must implement `call`.")

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from ``get_config()``'s output: a functional config rebuilds the graph."""
        if "layers" in config and "input_layers" in config:
            from kerasette.models.functional import Functional
            from kerasette.models.functional_config import functional_from_config

            return functional_from_config(Functional if cls is Model else cls, config, custom_objects)
        return cls(**config)

    # ----- what the trainer needs to know about inputs and outputs ---------
    def _input_names(self):
        """Names of the model's inputs (to read dict data by), or None when the model does not name them."""
        return None

    def _input_specs(self):
        """[(layer name, shape)] per input to check data against, or None when unknown (subclassed models)."""
        return None

    def _input_dtypes(self, count):
        return [self.dtype] * count

    def _output_specs(self):
        """[(name, shape)] per output: ``output`` or ``output_<i>`` for a subclassed model."""
        if self._call_outputs is None:
            raise RuntimeError(f"Model `{self.name}` has not been called yet, so its outputs are unknown.")
        return self._call_outputs

    def _output_structure(self):
        """How ``predict`` packs several outputs: ("list", n) or ("dict", names)."""
        return ("list", len(self._output_specs()))

    def _build_from_data(self, xs):
        """Learn the output shapes from one forward pass on the first sample of ``xs`` (host arrays)."""
        if self._call_outputs is not None:
            return
        from kerasette import ops

        sample = [ops.convert_to_tensor(x[:1]) for x in xs]
        with ops.stop_recording():
            out = self(sample[0] if len(sample) == 1 else sample, training=False)
        flat = list(out) if isinstance(out, (list, tuple)) else [out]
        names = ["output"] if len(flat) == 1 else [f"output_{i}" for i in range(len(flat))]
        self._call_outputs = [(n, (None,) + tuple(o.shape[1:])) for n, o in zip(names, flat)]

    # ----- layers and summary ------------------------------------------------
    def get_layer(self, name=None, index=None):
        """A layer by name or by index in ``model.layers``.

        Args:
            name: the layer's name.
            index: its position in ``model.layers`` (negative counts from the end).

        Raises:
            ValueError: no layer has that name, or the index is out of range.
        """
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


def _functional_arguments(args, kwargs):
    """True when a Model is being created from inputs and outputs (the functional API; a missing one is
    then a clear error from ``Functional``)."""
    return bool(args) or "inputs" in kwargs or "outputs" in kwargs
