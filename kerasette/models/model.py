"""Model: the base class for models with training and inference features.

``Model(inputs, outputs)`` returns a ``Functional`` (see ``functional.py``), as in Keras 3; a subclass
that writes ``call`` is a subclassed model, and a subclass that calls
``super().__init__(inputs, outputs)`` becomes a functional subclass.
"""

from __future__ import annotations

import json
from typing import Any, Callable, List, Optional

import numpy as np

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
        """``Model(inputs, outputs)`` makes a ``Functional``, as Keras 3 does; anything else its own class."""
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
    def layers(self) -> List[Layer]:
        """The model's layers: for a subclassed model, the layers assigned to its attributes."""
        return self._sublayers()

    def call(self, inputs: Any, training: Optional[bool] = None) -> Any:
        """The forward pass: subclassed models implement it (functional models run their graph).

        Args:
            inputs: the model's inputs (a tensor, a list or a dict of them).
            training: True in training (Dropout active, BatchNormalization updating its
                statistics), False in inference, None for the layer's default.

        Returns:
            The outputs (a tensor, a list or a dict of them).
        """
        raise NotImplementedError(f"Model `{self.name}` has no graph: subclasses must implement `call`.")

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> "Model":
        """A model from ``get_config()``'s output: a functional config rebuilds the graph.

        Args:
            config: the dict ``get_config()`` returned.
            custom_objects: ``{name: class or function}`` for custom layers in the config.

        Returns:
            A new model with freshly initialized weights.
        """
        if "layers" in config and "input_layers" in config:
            from kerasette.models.functional import Functional
            from kerasette.models.functional_config import functional_from_config

            return functional_from_config(Functional if cls is Model else cls, config, custom_objects)
        return cls(**config)

    # ----- config hooks (Keras 3) -------------------------------------------
    def to_json(self, **kwargs: Any) -> str:
        """Return the model's architecture (and compile arguments, if compiled) as a JSON string.

        The JSON is Keras 3's model config, so ``keras.models.model_from_json`` reads it as well as
        ``kerasette.models.model_from_json``; weights are not included.

        Args:
            **kwargs: passed to ``json.dumps`` (e.g. ``indent=2``).

        Returns:
            The JSON text.

        Raises:
            ValueError: an unbuilt Sequential model (it has no layers graph to describe yet). A
                subclassed model gives its own config, as in Keras 3.

        Example:
            >>> import kerasette as keras
            >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
            >>> keras.models.model_from_json(model.to_json()).output_shape
            (None, 2)
        """
        from kerasette.saving import config_serialization

        config = config_serialization.k3_model_config(self, require_built=False)
        compile_config = self.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = compile_config
        return json.dumps(config, default=_json_default, **kwargs)

    def get_compile_config(self) -> Optional[dict]:
        """Return the arguments ``compile`` was given, in Keras 3's form (None if never compiled).

        Saving stores them, and ``compile_from_config`` compiles a loaded model with them.

        Returns:
            A dict (``optimizer``, ``loss``, ``metrics``, ``loss_weights``...), or None.
        """
        from kerasette.saving import compile_config

        return compile_config.training_config(self, k3=True)

    def compile_from_config(self, config: dict) -> None:
        """Compile the model from ``get_compile_config()``'s output (the loader calls it).

        Args:
            config: a compile config, as ``get_compile_config`` returns or Keras writes.

        Raises:
            ValueError: the config is malformed or names unknown objects.
        """
        from kerasette.saving import compile_config

        self.compile(**compile_config.compile_args_from_config(config, source=f"the compile config of `{self.name}`"))

    def get_build_config(self) -> Optional[dict]:
        """Return what ``build_from_config`` needs: the input shape, as Keras writes it per kind of model.

        A Sequential model gives its input shape, a functional model ``{"input_shape": None}`` (its
        graph holds the shapes), a subclassed model the shape it was first called with.

        Returns:
            ``{"input_shape": ...}``, or None for a model never built.
        """
        from kerasette.models.functional import Functional
        from kerasette.models.sequential import Sequential

        if isinstance(self, Sequential):
            return {"input_shape": tuple(self.inputs[0].shape)} if self.built else None
        if isinstance(self, Functional):
            return {"input_shape": None}
        return super().get_build_config()

    def build_from_config(self, config: Optional[dict]) -> None:
        """Build the model's weights from ``get_build_config()``'s output.

        A functional model is built already; any other model is built with ``build`` and, if its
        layers are still unbuilt (a subclassed model whose ``call`` builds them), called once on
        zeros of the input shape (unknown sizes taken as 1).

        Args:
            config: ``{"input_shape": ...}`` or None.
        """
        if self.built and self._all_layers_built():
            return
        super().build_from_config(config)

    def _all_layers_built(self):
        return all(layer.built for layer in self._flatten_layers(include_self=False))

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

    def _build_from_data(self, xs):
        """Build what checking ``xs`` needs (a Sequential model's graph); nothing for other models."""

    def _learn_outputs(self, xs):
        """Learn the output shapes from one forward pass on the first sample of ``xs`` (host arrays).

        Only what the compiled losses and metrics need: a model that trains through its own
        ``train_step`` (and may have no ``call``) is never run here.
        """
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
    def get_layer(self, name: Optional[str] = None, index: Optional[int] = None) -> Layer:
        """A layer by name or by index in ``model.layers``.

        Args:
            name: the layer's name.
            index: its position in ``model.layers`` (negative counts from the end).

        Returns:
            The layer.

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

    def quantize(self, mode: Optional[str] = None, config: Any = None, filters: Any = None, **kwargs: Any) -> None:
        """Quantize the weights of the model's layers in place, as Keras 3's ``model.quantize``.

        Each built ``Dense``, ``EinsumDense`` and ``Embedding`` (Keras's int8 layers) and, beyond Keras, each
        ``Conv2D`` and ``DepthwiseConv2D`` gets an int8 kernel with one float scale per output channel and
        the policy ``"int8_from_float32"``; see ``kerasette.quantizers``. A layer that has weights but no
        int8 form (``BatchNormalization``...) stays float and a warning names it (Keras warns the same
        way); weightless layers are skipped silently (Keras warns for them too). The quantized kernels are
        frozen; biases still train, so the model can be fine-tuned.

        Args:
            mode: ``"int8"``, the mode kerasette implements (Keras's ``"int4"``, ``"float8"``, ``"gptq"``
                and ``"awq"`` raise NotImplementedError). Optional when ``config`` is given.
            config: an ``Int8QuantizationConfig`` choosing the weight and input quantizers, or None.
            filters: which layers to quantize: a regex string or a list of them (matched with
                ``re.search`` against layer names), or a callable ``filters(layer) -> bool``. None: all.
            **kwargs: ``type_check`` (default True): refuse user subclasses of the quantizable layers.

        Raises:
            ValueError: an unknown keyword argument, bad ``filters``, no mode, an unknown mode, an unbuilt
                model, or a layer already quantized (Keras's messages).
            NotImplementedError: a Keras quantization mode other than int8.

        Example:
            >>> import kerasette as keras
            >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
            >>> model.quantize("int8", filters="dense$")
            >>> [layer.dtype_policy.name for layer in model.layers]
            ['int8_from_float32', 'float32']
        """
        import re
        import warnings

        from kerasette.quantizers.quantization_config import resolve_config

        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        if filters is not None and not (isinstance(filters, (str, list, tuple)) or callable(filters)):
            raise ValueError("The `filters` argument must be a regex string, a list of regex strings, or a "
                             f"callable. Received: {type(filters)}")
        config = resolve_config(mode, config)
        if not self.built:
            raise ValueError(f"Cannot quantize a model that isn't yet built. Model '{self.name}' is not built: "
                             "call it on data or build it first.")

        def selected(layer):
            if filters is None:
                return True
            if isinstance(filters, str):
                return bool(re.search(filters, layer.name))
            if isinstance(filters, (list, tuple)):
                return any(re.search(pattern, layer.name) for pattern in filters)
            return bool(filters(layer))

        for layer in self._flatten_layers(include_self=False):
            if layer._sublayers() or not selected(layer):
                continue
            if callable(getattr(layer, "quantize", None)):
                try:
                    layer.quantize(config.mode, type_check=type_check, config=config)
                except NotImplementedError as error:
                    warnings.warn(str(error), stacklevel=2)
            elif layer._weights:
                warnings.warn(f"Layer {type(layer).__name__} does not have a `quantize` method implemented.",
                              stacklevel=2)

    def summary(self, line_length: Optional[int] = None, positions: Optional[List[float]] = None,
                print_fn: Optional[Callable[[str], Any]] = None, expand_nested: bool = False,
                show_trainable: bool = False, layer_range: Optional[List[str]] = None) -> None:
        """Print a table of the layers, their output shapes and parameter counts.

        Args:
            line_length: the table's width in characters.
            positions: relative or absolute column positions.
            print_fn: the function to print each line with (default ``print``).
            expand_nested: also list the layers inside nested models.
            show_trainable: add a column saying whether each layer is trainable.
            layer_range: ``[first, last]`` layer names (or name patterns) to show.
        """
        from kerasette.utils.summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def export(self, filepath: Any, format: str = "tf_saved_model", verbose: bool = True,
               input_signature: Any = None, **kwargs: Any) -> None:
        """Export the model for inference; kerasette writes ONNX (``format="onnx"``).

        ``model.export("model.onnx", format="onnx")`` is ``kerasette.export.to_onnx(model, "model.onnx")``
        (needs ``pip install "kerasette[onnx]"``); onnxruntime then runs it without kerasette.

        Args:
            filepath: the ``.onnx`` file to write.
            format: ``"onnx"``, the only format kerasette exports (Keras's default, ``"tf_saved_model"``, and
                ``"openvino"`` / ``"litert"`` need TensorFlow or their own toolchains).
            verbose: print where the file was written.
            input_signature: optional input shapes or specs (see ``kerasette.export.to_onnx``).
            **kwargs: passed to ``to_onnx`` (``opset``, ``fold_batch_norm``, ``metadata``).

        Raises:
            ValueError: another format, or a model or layer that cannot be exported.
        """
        if format != "onnx":
            raise ValueError(f"Invalid value for argument `format` of `export`. kerasette exports only 'onnx'. "
                             f"Received: format={format!r}")
        from kerasette.export import to_onnx

        to_onnx(self, filepath, input_signature=input_signature, verbose=verbose, **kwargs)


def _functional_arguments(args, kwargs):
    """True when a Model is being created from inputs and outputs (the functional API).

    A missing one is then a clear error from ``Functional``.
    """
    return bool(args) or "inputs" in kwargs or "outputs" in kwargs


def _json_default(value):
    """``json.dumps`` fallback for numpy scalars and arrays inside a config."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot write {type(value).__name__} {value!r} into a model config.")
