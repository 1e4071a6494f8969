"""The Layer base class: the contract every layer follows.

``__init__`` validates and stores config -> ``build(input_shape)`` creates
weights with ``add_weight`` -> ``call(inputs, training=None)`` computes with
``kerasette.ops`` -> ``compute_output_shape`` -> ``get_config``. Calling a
layer on a symbolic ``KerasTensor`` records a node in the model graph
instead of computing.
"""

import functools

import numpy as np

from kerasette import initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.node import KerasTensor, record_call
from kerasette.utils import naming

_BASE_KWARGS = ("name", "trainable", "dtype", "input_shape", "batch_input_shape", "batch_size", "input_dim")


class Layer:
    """Base class of all layers."""

    input_ndim = None  # rank-specific layers set this; every call checks it

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _marks_built(cls.__dict__["build"])

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        unknown = set(kwargs) - set(_BASE_KWARGS)
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {sorted(unknown)}"
            )
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"Invalid value for argument `name` of layer {type(self).__name__}. "
                             f"Expected a non-empty string. Received: name={name!r}")
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self.dtype = _dtype_name(dtype)
        self._trainable = bool(trainable)
        self.built = False
        self._weights = []
        self._declared_trainable = {}  # id(variable) -> trainable as created (BN statistics are not)
        self._regularized = []  # (regularizer, variable) pairs added to the loss
        self._inbound_nodes = []
        self._build_shape = None
        self._batch_input_shape = _declared_input_shape(kwargs)

    # ----- weights ---------------------------------------------------------
    def add_weight(self, shape=(), initializer="glorot_uniform", dtype=None, trainable=True,
                   regularizer=None, constraint=None, name=None):
        """Create a variable owned by this layer and return it."""
        shape = tuple(int(s) for s in (shape or ()))
        initializer = initializers.get(initializer)
        dtype = _dtype_name(dtype) if dtype else self.dtype
        name = name or f"variable_{len(self._weights)}"
        value = initializer(shape, dtype=dtype)
        variable = ops.Variable(value, dtype=dtype, name=name,
                                trainable=trainable and self._trainable, path=f"{self.name}/{name}")
        self._weights.append(variable)
        self._declared_trainable[id(variable)] = bool(trainable)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._regularized.append((regularizer, variable))
        return variable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for variable in self._weights:
            variable.trainable = self._trainable and self._declared_trainable[id(variable)]
        for layer in self._sublayers():
            layer.trainable = value

    def _sublayers(self):
        return []

    @property
    def weights(self):
        """All weights, layer by layer in the order they were created (Keras's order)."""
        return self._all_weights()

    @property
    def trainable_weights(self):
        return [v for v in self._all_weights() if v.trainable]

    @property
    def non_trainable_weights(self):
        return [v for v in self._all_weights() if not v.trainable]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def variables(self):
        return self.weights

    def _all_weights(self):
        weights = list(self._weights)
        for layer in self._sublayers():
            weights.extend(v for v in layer._all_weights() if v not in weights)
        return weights

    @property
    def losses(self):
        """Regularization penalties of this layer's weights (tensors, recorded on the tape)."""
        return [reg(var) for reg, var in self._regularized] + [
            loss for layer in self._sublayers() for loss in layer.losses
        ]

    def get_weights(self):
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Set weights from a list of arrays in the order of ``get_weights``."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer `{self.name}` expects {len(own)} weights, but the list has {len(weights)}."
            )
        for variable, value in zip(own, weights):
            if tuple(np.shape(value)) != variable.shape:
                raise ValueError(
                    f"Layer `{self.name}` weight `{variable.name}` has shape {variable.shape}, "
                    f"received an array of shape {tuple(np.shape(value))}."
                )
        for variable, value in zip(own, weights):
            variable.assign(np.asarray(value, dtype=variable.dtype))

    def count_params(self):
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    # ----- calling ---------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, training=None):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement `call`.")

    def __call__(self, inputs, training=None, **kwargs):
        if _is_symbolic(inputs):
            if training is not None:  # a fixed mode for this call, e.g. base(x, training=False)
                kwargs = {**kwargs, "training": training}
            return record_call(self, inputs, kwargs)
        inputs = _to_tensors(inputs, self.dtype)
        self._maybe_build(_shapes_of(inputs))
        if self._accepts_training():
            return self.call(inputs, training=training, **kwargs)
        return self.call(inputs, **kwargs)

    def _accepts_training(self):
        cls = type(self)
        cached = _TRAINING_ARG.get(cls)
        if cached is None:
            import inspect

            cached = _TRAINING_ARG[cls] = "training" in inspect.signature(cls.call).parameters
        return cached

    def _maybe_build(self, input_shape):
        if self.input_ndim is not None and isinstance(input_shape, tuple):
            validation.input_rank(self, input_shape, self.input_ndim)
        if not self.built:
            self.build(input_shape)
            self.built = True
            self._build_shape = input_shape
        elif self._weights and self._build_shape is not None:
            self._check_compatible(input_shape)

    def _check_compatible(self, input_shape):
        expected = self._build_shape
        if not isinstance(expected, tuple) or not isinstance(input_shape, tuple):
            return
        if len(expected) != len(input_shape) or (
            expected[-1] is not None and input_shape[-1] is not None and expected[-1] != input_shape[-1]
        ):
            raise ValueError(
                f"Input 0 of layer `{self.name}` is incompatible with the layer: expected shape "
                f"{_show(expected)}, but received input with shape {_show(input_shape)}."
            )

    def compute_output_shape(self, input_shape):
        """Default: run ``call`` on zeros (batch 1) and read the shape."""
        def concrete(shape):
            return tuple(1 if s is None else s for s in shape)

        with ops.stop_recording():
            if isinstance(input_shape, list):
                dummy = [ops.zeros(concrete(s), self.dtype) for s in input_shape]
            else:
                dummy = ops.zeros(concrete(input_shape), self.dtype)
            out = self.__call__(dummy)
        batch = input_shape[0][0] if isinstance(input_shape, list) else input_shape[0]
        if isinstance(out, (list, tuple)):
            return [(batch,) + tuple(o.shape[1:]) for o in out]
        return (batch,) + tuple(out.shape[1:])

    # ----- config ----------------------------------------------------------
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    # ----- graph -----------------------------------------------------------
    @property
    def input(self):
        return self._node_attr("input_tensors")

    @property
    def output(self):
        return self._node_attr("output_tensors")

    @property
    def output_shape(self):
        out = self.output
        return [t.shape for t in out] if isinstance(out, list) else out.shape

    def _node_attr(self, attr):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer `{self.name}` has never been called on a symbolic input.")
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if len(value) == 1 else list(value)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


_TRAINING_ARG = {}


def _marks_built(build):
    """Wrap a subclass's ``build`` so calling it directly also marks the layer built (as Keras 3 does)."""
    if getattr(build, "_marks_built", False):
        return build

    @functools.wraps(build)
    def wrapper(self, input_shape=None, *args, **kwargs):
        result = build(self, input_shape, *args, **kwargs)
        self.built = True
        if self._build_shape is None and input_shape is not None:
            self._build_shape = _as_shape(input_shape)
        return result

    wrapper._marks_built = True
    return wrapper


def _as_shape(shape):
    """A single shape as a tuple; a list of shapes (multi-input layers) stays a list."""
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [tuple(s) for s in shape]
    return tuple(shape)


def _declared_input_shape(kwargs):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    if kwargs.get("input_shape") is not None:
        return (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (kwargs.get("batch_size"), int(kwargs["input_dim"]))
    return None


def _dtype_name(dtype):
    if dtype is None:
        return "float32"
    if isinstance(dtype, dict):  # Keras 3 DTypePolicy config
        dtype = dtype.get("config", {}).get("name", "float32")
    name = np.dtype(dtype).name
    return name


def _is_symbolic(inputs):
    if isinstance(inputs, (list, tuple)):
        return any(isinstance(x, KerasTensor) for x in inputs)
    return isinstance(inputs, KerasTensor)


def _to_tensors(inputs, dtype):
    if isinstance(inputs, (list, tuple)):
        return [_to_tensor(x, dtype) for x in inputs]
    return _to_tensor(inputs, dtype)


def _to_tensor(x, dtype):
    x = ops.convert_to_tensor(x)
    if x.dtype != dtype and x.dtype.startswith("float"):
        x = ops.cast(x, dtype)  # autocast float inputs to the layer's dtype, as Keras does
    return x


def _shapes_of(inputs):
    if isinstance(inputs, list):
        return [tuple(x.shape) for x in inputs]
    return tuple(inputs.shape)


def _show(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
