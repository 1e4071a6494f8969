"""The ``Initializer`` base class and the constant initializers."""

from kerasette import ops
from kerasette.registry import Registry

registry = Registry("initializer")


def _dtype(dtype):
    return "float32" if dtype is None else str(dtype)


def _shape(shape):
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise ValueError(f"Expected `shape` to be a tuple of ints. Received: shape={shape!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"Expected `shape` to have non-negative dimensions. Received: shape={shape}")
    return shape


class Initializer:
    """Base class: ``initializer(shape, dtype)`` returns a new ``ops.Tensor``.

    Subclasses implement ``__call__`` and, when they take arguments, ``get_config``.

    Example:
        >>> from kerasette import initializers, ops
        >>> class Twos(initializers.Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return ops.full(shape, 2.0, dtype or "float32")
        >>> Twos()((2,)).numpy().tolist()
        [2.0, 2.0]
    """

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (subclasses implement it).

        Args:
            shape: the shape, a tuple of ints.
            dtype: the dtype (None: float32).

        Returns:
            A Tensor.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__(shape, dtype=None)`.")

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Rebuild an initializer from ``get_config()``'s output.

        Args:
            config: a dict from ``get_config``.

        Returns:
            A new initializer.
        """
        return cls(**config)

    def clone(self):
        """A new initializer with the same config."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@registry.register("zeros")
class Zeros(Initializer):
    """Fills with 0.

    Example:
        >>> float(Zeros()((2, 3)).numpy().sum())
        0.0
    """

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        return ops.zeros(_shape(shape), _dtype(dtype))


@registry.register("ones")
class Ones(Initializer):
    """Fills with 1.

    Example:
        >>> Ones()((2,), "int32").numpy().tolist()
        [1, 1]
    """

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        return ops.ones(_shape(shape), _dtype(dtype))


@registry.register("constant")
class Constant(Initializer):
    """Fills with ``value`` (a scalar, or an array that broadcasts to the shape).

    Args:
        value: the fill value.

    Example:
        >>> Constant(0.5)((2, 2)).numpy().tolist()
        [[0.5, 0.5], [0.5, 0.5]]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        """A new tensor of ``shape`` and ``dtype`` (default float32)."""
        shape, dtype = _shape(shape), _dtype(dtype)
        if isinstance(self.value, (int, float)):
            return ops.full(shape, self.value, dtype)
        # Adding to fresh zeros both broadcasts and gives a writable copy.
        return ops.add(ops.zeros(shape, dtype), ops.convert_to_tensor(self.value, dtype))

    def get_config(self):
        """``{"value": value}``, an array value as a nested list."""
        value = self.value
        if not isinstance(value, (int, float)):
            value = ops.convert_to_numpy(value).tolist()
        return {"value": value}
