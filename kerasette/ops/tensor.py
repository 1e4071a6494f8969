"""Tensor and Variable: a backend-native array plus what autodiff needs."""

from kerasette.backends import current as _backend


class Tensor:
    """An array living on the active backend.

    ``node`` is set when the tensor was computed on a recording tape from
    tracked inputs; it links the tensor to its parents for reverse mode.
    Arithmetic operators dispatch to ``kerasette.ops``.
    """

    __slots__ = ("data", "node", "tracked", "logits", "logits_from", "__weakref__")
    __array_priority__ = 100  # numpy defers to our operators

    def __init__(self, data, node=None):
        self.data = data
        self.node = node
        self.tracked = node is not None
        # Set by softmax (last axis) and sigmoid, so losses can use the stable form on the logits.
        self.logits = None
        self.logits_from = None  # "softmax" or "sigmoid"

    @property
    def shape(self):
        return tuple(_backend().shape(self.data))

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def dtype(self):
        return _backend().dtype(self.data)

    def numpy(self):
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

    # Operators, resolved lazily: the op modules import this one.
    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __truediv__(self, other):
        return _ops().divide(self, other)

    def __rtruediv__(self, other):
        return _ops().divide(other, self)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __neg__(self):
        return _ops().negative(self)

    def __abs__(self):
        return _ops().abs(self)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)

    def __getitem__(self, key):
        return _ops().getitem(self, key)

    __hash__ = object.__hash__


class Variable(Tensor):
    """A named, mutable tensor owned by a layer or an optimizer.

    Trainable variables are tracked by the tape, so gradients flow to them.
    """

    __slots__ = ("name", "path", "_trainable", "version")

    def __init__(self, value, name="variable", trainable=True, path=None, dtype=None):
        """A variable holding ``value``.

        Args:
            value: the initial value: a Tensor (its backend array is used as is), an array of the active
                backend or a numpy array (kept as given), or a Python number or (nested) list, whose
                floats become float32 as with ``ops.convert_to_tensor``.
            name: the variable's name, e.g. ``"kernel"``.
            trainable: whether the tape tracks it, so gradients flow to it.
            path: its full name, e.g. ``"dense/kernel"`` (default: ``name``).
            dtype: when given, ``value`` is cast to it.
        """
        if isinstance(value, Tensor):
            value = value.data
        elif type(value) in (bool, int, float, list, tuple):  # Python values; numpy scalars keep their dtype
            value = _ops().convert_to_tensor(value, dtype).data
        super().__init__(_backend().asarray(value, dtype=dtype))  # 0-d results may arrive as scalars
        self.version = 0  # counts assign() calls, so holders of a host copy know when it is stale
        self.name = name
        self.path = path or name
        self.trainable = trainable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self.tracked = self._trainable

    def assign(self, value):
        """Write ``value`` into this variable in place (shape must match)."""
        value = value.data if isinstance(value, Tensor) else _backend().asarray(value, dtype=self.dtype)
        if tuple(_backend().shape(value)) != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(_backend().shape(value))} to variable "
                f"`{self.path}` of shape {self.shape}."
            )
        _backend().assign(self.data, value)
        self.version += 1
        return self

    def __repr__(self):
        return f"<Variable path={self.path!r} shape={self.shape} dtype={self.dtype}>"


def _ops():
    from kerasette import ops

    return ops


def is_tensor(value):
    return isinstance(value, Tensor)
