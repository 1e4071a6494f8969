"""Tensor and Variable: a backend-native array plus what autodiff needs."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Optional, Tuple

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._operators import TensorOperators
from kerasette.ops._symbolic import never_symbolic
from kerasette.ops.autocast import get_autocast_scope as _autocast_scope
from kerasette.ops.stateless import get_stateless_scope as _stateless_scope
from kerasette.ops.symbolic_scope import SymbolicScope


@never_symbolic
class Tensor(TensorOperators):
    """An array living on the active backend.

    ``node`` is set when the tensor was computed on a recording tape from
    tracked inputs; it links the tensor to its parents for reverse mode.
    Arithmetic operators dispatch to ``kerasette.ops``. Tensors are usually made by ops
    (``ops.convert_to_tensor``, ``ops.zeros``...) rather than constructed directly.

    Args:
        data: an array of the active backend.
        node: the autodiff ``Node`` that computed it, or None.

    Example:
        >>> from kerasette import ops
        >>> t = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> t.shape, t.ndim, t.dtype
        ((2, 2), 2, 'float32')
        >>> (t * 2 + 1).numpy().tolist()
        [[3.0, 5.0], [7.0, 9.0]]
    """

    __slots__ = ("data", "node", "tracked", "logits", "logits_from", "_keras_mask", "__weakref__")
    __array_priority__ = 100  # numpy defers to our operators

    def __init__(self, data: Any, node: Any = None) -> None:
        self.data = data
        self.node = node
        self.tracked = node is not None
        # Set by softmax (last axis) and sigmoid, so losses can use the stable form on the logits.
        self.logits = None
        self.logits_from = None  # "softmax" or "sigmoid"
        self._keras_mask = None  # set by a mask-producing layer (Embedding(mask_zero=True), Masking...)

    @property
    def shape(self) -> Tuple[int, ...]:
        """The shape, a tuple of ints."""
        data = self.data
        if type(data) is np.ndarray:  # the numpy backend's arrays: no backend call (shape runs on every op)
            return data.shape
        return tuple(_backend().shape(data))

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return len(self.shape)

    @property
    def dtype(self) -> str:
        """The dtype's name, e.g. ``"float32"``."""
        return _backend().dtype(self.data)

    def numpy(self) -> np.ndarray:
        """A host copy as a numpy array."""
        return _backend().to_numpy(self.data)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __len__(self):
        shape = self.shape
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def __iter__(self):
        # Explicit, so iteration stops at len() instead of probing __getitem__ until IndexError.
        for i in range(len(self)):
            yield self[i]

    def __repr__(self):
        return f"<Tensor shape={self.shape} dtype={self.dtype}>\n{self.numpy()!r}"

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __bool__(self):
        return bool(self.numpy())

    # Arithmetic, comparison and logical operators: TensorOperators (the ops, resolved lazily).
    def __getitem__(self, key):
        return _ops().getitem(self, key)

    __hash__ = object.__hash__


@never_symbolic
class Variable(Tensor):
    """A named, mutable tensor owned by a layer or an optimizer, as ``keras.Variable``.

    Trainable variables are tracked by the tape, so gradients flow to them. A Variable is a Tensor:
    arithmetic and comparison operators, ``ops`` functions and ``numpy()`` read its current value.
    ``v == x`` and ``v != x`` compare elementwise as in Keras, except between two Variables, where
    they compare identity (so lists of variables work with ``in``; use ``ops.equal`` for values).

    Args:
        initializer: the initial value, or how to make it. A value: a Tensor (its backend array is
            used as is), a numpy array (copied, as Keras does, its memory layout kept), an OpenCL array
            of the active backend (used as is), or a Python number or (nested) list, whose floats
            become float32 as with ``ops.convert_to_tensor``.
            An initializer: a name (``"zeros"``, ``"glorot_uniform"``...), an initializer object or any
            callable ``f(shape, dtype=...)``; ``shape`` is then required.
        shape: the variable's shape: required with an initializer, checked against a value.
        dtype: the dtype; a value is cast to it. Default: the value's dtype, or ``"float32"`` for an
            initializer.
        trainable: whether the tape tracks it, so gradients flow to it. Defaults to True.
        autocast: whether a float variable reads in the compute dtype of a mixed-precision layer's
            call (inside a ``kerasette.ops.autocast.AutocastScope``), as in Keras. Defaults to True.
        aggregation: how a distributed variable is aggregated: None, ``"none"``, ``"mean"``, ``"sum"``
            or ``"only_first_replica"``. An annotation for distributed code, kept in ``aggregation``.
        synchronization: None, ``"none"``, ``"on_read"``, ``"on_write"`` or ``"auto"``; an annotation
            kept in ``synchronization``.
        name: the variable's name, e.g. ``"kernel"`` (default: ``"variable"``, ``"variable_1"``...).
        path: its full name, e.g. ``"dense/kernel"``. Default: ``name`` inside any open
            ``kerasette.name_scope`` (``"block/kernel"``).

    Raises:
        ValueError: ``name`` contains ``/``; an initializer comes without ``shape``; a value does not have
            the given ``shape``; ``aggregation`` or ``synchronization`` is not one of Keras's values.

    Example:
        >>> from kerasette import ops
        >>> v = ops.Variable([1.0, 2.0], name="bias")
        >>> v.path, v.shape, v.trainable
        ('bias', (2,), True)
        >>> v.assign([3.0, 4.0]).numpy().tolist()
        [3.0, 4.0]
        >>> v.assign_add([1.0, 1.0]).numpy().tolist()
        [4.0, 5.0]
        >>> ops.Variable("ones", shape=(2, 2), name="w").numpy().tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """

    __slots__ = ("name", "path", "_trainable", "_version", "_constraint", "_autocast", "_aggregation",
                 "_synchronization")

    def __init__(
        self,
        initializer: Any,
        shape: Optional[Tuple[int, ...]] = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        aggregation: Optional[str] = "none",
        synchronization: Optional[str] = "auto",
        name: Optional[str] = None,
        path: Optional[str] = None,
    ) -> None:
        name = _variable_name(name)
        if shape is not None and any(s is None for s in shape):
            raise ValueError(f"Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
                             f"Received: shape={tuple(shape)} for variable `{name}`")
        _check_choice("aggregation", aggregation, (None, "none", "mean", "sum", "only_first_replica"))
        _check_choice("synchronization", synchronization, (None, "none", "on_read", "on_write", "auto"))
        self._autocast = bool(autocast)  # before the first read of ``data``
        value = _initial_value(initializer, shape, dtype, name)
        if isinstance(value, Tensor):
            value = value.data
        elif type(value) in (bool, int, float, list, tuple):  # Python values; numpy scalars keep their dtype
            value = _ops().convert_to_tensor(value, dtype).data
        elif isinstance(value, np.ndarray):  # the caller's array stays the caller's (Keras copies it too)
            value = np.array(value, dtype=dtype, copy=True, order="K")
        super().__init__(_backend().asarray(value, dtype=dtype))  # 0-d results may arrive as scalars
        if shape is not None and tuple(int(s) for s in shape) != self.shape:
            raise ValueError(f"Variable `{name}`: the initial value has shape {self.shape}, but shape={tuple(shape)} "
                             "was given.")
        self._version = 0  # counts assign() calls, so holders of a host copy know when it is stale
        self.name = name
        self.path = path or _scoped_path(name)
        self.trainable = trainable
        self._constraint = None
        self._aggregation = aggregation or "none"
        self._synchronization = synchronization or "none"

    @property
    def data(self) -> Any:
        """The backend array; inside an ``AutocastScope`` (a mixed-precision layer's call), its cast copy.

        The stored value keeps the variable's own dtype (float32 under ``"mixed_float16"``); a float
        variable created with ``autocast=True`` reads in the scope's dtype, as Keras's ``Variable.value``.
        """
        stored = self._current()
        scope = _autocast_scope()
        if scope is None or not self._autocast:
            return stored
        return scope.maybe_cast(self, stored)

    @data.setter
    def data(self, value: Any) -> None:
        _STORED.__set__(self, value)

    @property
    def version(self) -> Any:
        """Changes whenever the variable's value does, so holders of a host copy know when it is stale.

        The count of ``assign`` calls; inside a ``StatelessScope`` that holds a value for the variable, a key
        naming the scope and its updates too (the value seen there is not the stored one).
        """
        scope = _stateless_scope()
        if scope is not None and id(self) in scope.state_mapping:
            return (self._version, id(scope), scope.revision(self))
        return self._version

    def _current(self) -> Any:
        """The stored array, or the value an open ``StatelessScope`` holds for this variable."""
        stored = _STORED.__get__(self, Variable)
        scope = _stateless_scope()
        if scope is not None:
            return scope.state_mapping.get(id(self), stored)
        return stored

    @property
    def trainable(self) -> bool:
        """Whether the tape tracks this variable (settable)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.tracked = self._trainable

    @property
    def constraint(self) -> Any:
        """The projection the optimizer applies after each update (``variable.assign(constraint(variable))``).

        None (the default) or a callable, such as a ``kerasette.constraints.Constraint``; ``Layer.add_weight``
        sets it from its ``constraint`` argument.
        """
        return self._constraint

    @constraint.setter
    def constraint(self, value: Any) -> None:
        if value is not None and not callable(value):
            raise ValueError(f"Invalid value for attribute `constraint` of variable `{self.path}`. Expected a "
                             f"callable (such as a `kerasette.constraints.Constraint`) or None. Received: {value!r}")
        self._constraint = value

    def assign(self, value: Any) -> Variable:
        """Write ``value`` into this variable in place.

        Args:
            value: a Tensor, array or Python value of the variable's shape.

        Returns:
            The variable itself.

        Raises:
            ValueError: when the shapes differ.
        """
        stored = self._current()  # never an autocast scope's cast copy
        dtype = _backend().dtype(stored)
        value = value.data if isinstance(value, Tensor) else _backend().asarray(value, dtype=dtype)
        if tuple(_backend().shape(value)) != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(_backend().shape(value))} to variable "
                f"`{self.path}` of shape {self.shape}."
            )
        if _discarding[0]:  # shape inference on placeholder zeros: state stays as it was (Keras's StatelessScope)
            return self
        stateless = _stateless_scope()
        if stateless is not None:  # the scope keeps the new value; the variable stays as it was
            stateless.add_update((self, _backend().cast(value, dtype)))
            return self
        _backend().assign(stored, value)
        self._version += 1
        return self

    def assign_add(self, value: Any) -> Variable:
        """Add ``value`` to this variable in place (``self.total.assign_add(x)`` in a metric).

        Args:
            value: a Tensor, array or number broadcastable to the variable's shape.

        Returns:
            The variable itself.
        """
        return self._assign_op("add", value)

    def assign_sub(self, value: Any) -> Variable:
        """Subtract ``value`` from this variable in place.

        Args:
            value: a Tensor, array or number broadcastable to the variable's shape.

        Returns:
            The variable itself.
        """
        return self._assign_op("subtract", value)

    def _assign_op(self, name, value):
        ops = _ops()
        stored = self._current()  # the stored value (or a StatelessScope's), in the variable's own dtype
        dtype = _backend().dtype(stored)
        with ops.stop_recording():  # a state update, never part of a gradient
            result = getattr(ops, name)(Tensor(stored), value)
            if result.dtype != dtype:
                result = ops.cast(result, dtype)
        if result.shape != self.shape:
            raise ValueError(f"Cannot update variable `{self.path}` of shape {self.shape}: the value broadcasts it "
                             f"to shape {result.shape}.")
        return self.assign(result)

    @property
    def value(self) -> Variable:
        """The current value. The variable itself (a Tensor), so ops on it still reach the tape."""
        return self

    @property
    def autocast(self) -> bool:
        """Whether the variable reads in an ``AutocastScope``'s dtype (a mixed-precision layer's call)."""
        return self._autocast

    @property
    def aggregation(self) -> str:
        """How a distributed variable is aggregated (an annotation; ``"none"`` by default)."""
        return self._aggregation

    @property
    def synchronization(self) -> str:
        """How a distributed variable is synchronized (an annotation; ``"auto"`` by default)."""
        return self._synchronization

    def __eq__(self, other):
        if isinstance(other, Variable):
            return self is other
        if not _is_array_like(other):
            return NotImplemented  # None, strings...: compared by identity, as for any object
        return _ops().equal(self, other)

    def __ne__(self, other):
        if isinstance(other, Variable):
            return self is not other
        if not _is_array_like(other):
            return NotImplemented
        return _ops().not_equal(self, other)

    def __pos__(self):
        return self

    __hash__ = Tensor.__hash__

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={self.numpy()}>"


_STORED = Tensor.__dict__["data"]  # the slot holding a tensor's array; Variable.data reads it through a scope
_discarding = [0]




@contextlib.contextmanager
def discarding_assignments() -> Iterator[None]:
    """Within it, ``Variable.assign`` (and ``assign_add``/``assign_sub``) checks its value but changes nothing.

    It is also a ``SymbolicScope`` (Keras's mark of the symbolic stage), which a layer may test to skip
    side effects.

    Layers run their ``call`` on placeholder zeros to infer output shapes; as Keras does with its
    StatelessScope, state updates made during that run (a counter's ``assign_add``...) are discarded.

    Yields:
        None.
    """
    _discarding[0] += 1
    try:
        with SymbolicScope():
            yield
    finally:
        _discarding[0] -= 1


def _is_array_like(value):
    return isinstance(value, (Tensor, np.ndarray, np.generic, int, float, bool, list, tuple))


def _variable_name(name):
    if name is None:
        from kerasette.utils import naming

        return naming.unique_name("variable")
    if not isinstance(name, str) or not name or "/" in name:
        raise ValueError(f"Invalid value for argument `name` of Variable. Expected a non-empty string without '/'. "
                         f"Received: name={name!r}")
    return name


def _check_choice(argument, value, choices):
    if value not in choices:
        raise ValueError(f"Invalid value for argument `{argument}` of Variable. Expected one of {list(choices)}. "
                         f"Received: {argument}={value!r}")


def _initial_value(initializer, shape, dtype, name):
    """The value a Variable starts from: ``initializer`` itself, or what it makes for ``shape``."""
    if isinstance(initializer, str) or (callable(initializer) and not isinstance(initializer, Tensor)):
        if shape is None:
            raise ValueError(f"Variable `{name}` is created from the initializer {initializer!r}: pass its `shape` "
                             "too (e.g. keras.Variable('zeros', shape=(3,))).")
        from kerasette import initializers

        make = initializers.get(initializer) if isinstance(initializer, str) else initializer
        return make(tuple(int(s) for s in shape), dtype=dtype or "float32")
    return initializer


def _scoped_path(name):
    from kerasette.scopes import current_path

    parent = current_path()
    return f"{parent}/{name}" if parent else name


def _ops():
    from kerasette import ops

    return ops


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a kerasette Tensor (Variables included).

    Args:
        x: any object.

    Returns:
        True for a ``Tensor``, False for numpy arrays and everything else.

    Example:
        >>> import numpy as np
        >>> from kerasette import ops
        >>> ops.is_tensor(ops.ones((2,))), ops.is_tensor(np.ones(2))
        (True, False)
    """
    return isinstance(x, Tensor)
