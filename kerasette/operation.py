"""``Operation``: the base class of a custom computation on tensors, as ``keras.Operation``.

A subclass implements ``call`` (with ``kerasette.ops``) and, optionally, ``compute_output_spec``.
Called on tensors or arrays, an operation computes; called on symbolic tensors (``keras.Input``,
``keras.KerasTensor``), it returns symbolic tensors of the right shapes and records a node, so it can
sit in a functional model or a ``keras.Function``. In the graph the node is an ``OperationNode`` (a
layer without weights that runs the operation's ``call``).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor
from kerasette.utils import naming

_SIMPLE_TYPES = (str, int, float, bool, type(None))


class Operation:
    """A computation on tensors that records itself on symbolic tensors, as ``keras.Operation``.

    Subclass it and implement ``call(*args, **kwargs)`` with ``kerasette.ops``. On symbolic inputs the
    output shapes and dtypes come from ``compute_output_spec``, which by default runs ``call`` on
    placeholder values (ones for floats, zeros otherwise; unknown sizes tried as 1 and 2); override it
    to return ``KerasTensor`` objects directly when ``call`` cannot run on placeholders.
    ``get_config`` holds ``name`` and, when the constructor's arguments are plain Python values
    (str, int, float, bool, None, and lists or dicts of them), those arguments too.

    Unlike Keras, a kerasette ``Layer`` is not an ``Operation`` subclass, and a functional model that
    holds an operation lists its node among ``model.layers`` (Keras lists operations apart); such a
    model cannot be saved or cloned yet.

    Args:
        name: the operation's name (default: from the class name, ``my_op``, ``my_op_1``...).

    Raises:
        ValueError: ``name`` is not a string, or contains ``/``.

    Example:
        >>> import numpy as np
        >>> import kerasette as keras
        >>> class Cube(keras.Operation):
        ...     def call(self, x):
        ...         return keras.ops.power(x, 3)
        >>> Cube()(np.array([2.0, 3.0])).numpy().tolist()
        [8.0, 27.0]
        >>> Cube()(keras.Input((4,))).shape
        (None, 4)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> "Operation":
        """Record the constructor's arguments, so that ``get_config`` can return them without an override.

        Args:
            *args: the constructor's positional arguments.
            **kwargs: its keyword arguments.
        """
        instance = super().__new__(cls)
        instance._auto_config = _auto_config(cls, args, kwargs)
        return instance

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = naming.unique_name(naming.to_snake_case(type(self).__name__))
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character `/`. "
                             f"Received: name={name!r} (of type {type(name)})")
        self.name = name
        self._inbound_nodes = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Compute ``call(*args, **kwargs)``, or on symbolic tensors record a node and return symbolic outputs.

        Args:
            *args: the arguments of ``call``.
            **kwargs: the keyword arguments of ``call``.
        """
        if _has_symbolic((args, kwargs)):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The computation, written with ``kerasette.ops``: subclasses implement it.

        Args:
            *args: the operation's inputs.
            **kwargs: its keyword arguments.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `call(*args, **kwargs)`.")

    def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        """Record the call on symbolic tensors as a graph node; return the symbolic outputs.

        Args:
            *args: the arguments of ``call``, some of them ``KerasTensor`` objects.
            **kwargs: the keyword arguments of ``call``.
        """
        spec = self.compute_output_spec(*args, **kwargs)
        flat_spec = _flatten(spec)
        if not flat_spec or not all(isinstance(s, KerasTensor) for s in flat_spec):
            raise TypeError(f"{type(self).__name__}.compute_output_spec() must return KerasTensor objects (or a "
                            f"list, tuple or dict of them). Received: {spec!r}")
        tensors = []
        template = _template((args, kwargs), tensors)
        single = isinstance(spec, KerasTensor)
        node = OperationNode(self, template, [s.shape for s in flat_spec], [s.dtype for s in flat_spec], single,
                             name=self.name if not self._inbound_nodes else naming.unique_name(self.name))
        outputs = node(tensors)
        self._inbound_nodes.append(node._inbound_nodes[-1])
        return outputs if single else _pack(spec, iter(outputs))

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """Symbolic outputs (``KerasTensor``, or a list/tuple/dict of them) for symbolic arguments.

        The default runs ``call`` on placeholders shaped like the arguments. Override it when ``call``
        cannot run on placeholder values.

        Args:
            *args: the arguments of ``call``, some of them ``KerasTensor`` objects.
            **kwargs: the keyword arguments of ``call``.
        """
        runs = []
        for size in (1, 2):
            values = _placeholders((args, kwargs), size)
            with ops.stop_recording(), np.errstate(all="ignore"):
                try:
                    runs.append(self.call(*values[0], **values[1]))
                except Exception as error:  # noqa: BLE001 - any failure of the user's call on placeholders
                    raise type(error)(
                        f"Could not automatically infer the output shape / dtype of '{self.name}' (of type "
                        f"{type(self).__name__}). Either the `{type(self).__name__}.call()` method is incorrect, or "
                        f"you need to implement the `{type(self).__name__}.compute_output_spec()` method. Error "
                        f"encountered:\n\n{error}") from error
        flat_one, flat_two = _flatten(runs[0]), _flatten(runs[1])
        specs = [KerasTensor(tuple(a if a == b else None for a, b in zip(one.shape, two.shape)), dtype=str(one.dtype))
                 for one, two in zip(flat_one, flat_two)]
        return _pack(runs[0], iter(specs))

    def get_config(self) -> dict:
        """``name`` and, when they are plain Python values, the constructor's arguments.

        Returns:
            A dict from which ``from_config`` makes an equivalent operation.

        Raises:
            NotImplementedError: the constructor took other values; override ``get_config``.
        """
        config = {"name": self.name}
        if self._auto_config is None:
            raise NotImplementedError(f"{type(self).__name__}.get_config(): the constructor's arguments are not all "
                                      "plain Python values (str, int, float, bool, None, lists and dicts of them); "
                                      "override `get_config()` to return them.")
        config.update(self._auto_config)
        parameters = inspect.signature(type(self).__init__).parameters
        if "name" not in parameters and not any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
            config.pop("name")
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Operation":
        """An operation made from ``get_config()``'s output.

        Args:
            config: the dict ``get_config`` returned.

        Returns:
            A new operation.
        """
        return cls(**config)

    def __repr__(self) -> str:
        return f"<Operation name={self.name}>"


class OperationNode(Layer):
    """The graph node of one call of an ``Operation`` on symbolic tensors (a layer without weights).

    Users do not create it: ``Operation.symbolic_call`` does. Calling it on the values of the
    symbolic tensors runs the operation's ``call``.

    Args:
        operation: the ``Operation``.
        template: ``(args, kwargs)`` of the call, each symbolic tensor replaced by its position.
        shapes: the output shapes.
        dtypes: the output dtypes.
        single: whether the operation returns one tensor (rather than a list, tuple or dict).
        **kwargs: base layer arguments (``name``).
    """

    autocast = False  # an operation receives its inputs as they are

    def __init__(self, operation, template, shapes, dtypes, single, **kwargs):
        super().__init__(**kwargs)
        self.operation, self._template = operation, template
        self._shapes, self.output_dtypes, self._single = [tuple(s) for s in shapes], list(dtypes), single
        self.built = True

    def call(self, inputs):
        """The operation's outputs for ``inputs`` (the values of its symbolic tensors, in order)."""
        args, kwargs = _fill(self._template, list(inputs))
        outputs = self.operation.call(*args, **kwargs)
        return outputs if self._single else _flatten(outputs)

    def compute_output_shape(self, input_shape):
        """The output shape(s) the operation's ``compute_output_spec`` gave."""
        return self._shapes[0] if self._single else list(self._shapes)

    def _attach_masks(self, inputs, outputs, previous_mask):
        pass  # an operation's outputs carry no mask, as in Keras

    def get_config(self):
        """Not supported: a model holding a custom operation cannot be saved or cloned yet.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError(
            f"The custom Operation `{self.operation.name}` ({type(self.operation).__name__}) is part of this model, "
            "and kerasette cannot save or clone models holding custom Operations yet. Wrap the computation in a "
            "Layer subclass (registered with keras.saving.register_keras_serializable()) instead.")


# ----- nested arguments and outputs ---------------------------------------------------------------
class _Slot:
    def __init__(self, index):
        self.index = index


def _has_symbolic(value):
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_has_symbolic(v) for v in value.values())
    return False


def _template(value, tensors):
    """``value`` with each KerasTensor appended to ``tensors`` and replaced by a ``_Slot``."""
    if isinstance(value, KerasTensor):
        tensors.append(value)
        return _Slot(len(tensors) - 1)
    if isinstance(value, (list, tuple)):
        return type(value)(_template(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _template(v, tensors) for k, v in value.items()}
    return value


def _fill(value, tensors):
    if isinstance(value, _Slot):
        return tensors[value.index]
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _fill(v, tensors) for k, v in value.items()}
    return value


def _placeholders(value, size):
    """``value`` with each KerasTensor replaced by a tensor of its shape (unknown sizes = ``size``)."""
    if isinstance(value, KerasTensor):
        shape = tuple(size if s is None else s for s in value.shape)
        return ops.ones(shape, value.dtype) if "float" in str(value.dtype) else ops.zeros(shape, value.dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(_placeholders(v, size) for v in value)
    if isinstance(value, dict):
        return {k: _placeholders(v, size) for k, v in value.items()}
    return value


def _flatten(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flatten(item)]
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _flatten(value[key])]
    return [value]


def _pack(structure, leaves):
    """``structure`` with its leaves replaced, in ``_flatten`` order, by the items of the iterator ``leaves``."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(_pack(item, leaves) for item in structure)
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], leaves) for key in sorted(structure)}
        return {key: packed[key] for key in structure}
    return next(leaves)


def _auto_config(cls, args, kwargs):
    """The constructor's arguments (defaults included, ``name`` left out) if all are plain values, else None."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    parameters = inspect.signature(cls.__init__).parameters
    config = {}
    for key, value in list(arguments.items())[1:]:
        kind = parameters[key].kind
        if kind == inspect.Parameter.VAR_POSITIONAL:
            if value:
                return None
        elif kind == inspect.Parameter.VAR_KEYWORD:
            config.update(value)
        elif key != "name":
            config[key] = value
    return config if all(isinstance(v, _SIMPLE_TYPES) for v in _flatten(config)) else None
