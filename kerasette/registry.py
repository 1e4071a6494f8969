"""Name registries: how strings in ``compile(...)`` and in saved configs become classes and functions.

One ``Registry`` per family (layers, losses, metrics, optimizers, activations, initializers,
regularizers, schedules) maps names to kerasette's own objects; ``register_keras_serializable``
adds the user's. Names resolve only through these tables and ``custom_objects``, never by
importing a module that a file names. This module imports nothing from kerasette, so any family
can register itself without pulling in saving or models.
"""

_CUSTOM_OBJECTS = {}  # "package>name" and "name" -> the user's class or function


def register_keras_serializable(package="Custom", name=None):
    """Decorator that makes a custom class or function loadable by name from configs.

    Args:
        package: the namespace of the registered name (``"package>name"``).
        name: the name to register under (default: the object's ``__name__``).

    Returns:
        The decorator; it returns the object unchanged apart from its registered name.

    Example:

    >>> @register_keras_serializable(package="my_package")
    ... def my_activation(x):
    ...     return x
    >>> get_registered_name(my_activation)
    'my_package>my_activation'
    """

    def decorator(obj):
        registered = name or obj.__name__
        key = f"{package}>{registered}"
        _CUSTOM_OBJECTS[key] = obj
        _CUSTOM_OBJECTS.setdefault(registered, obj)
        obj._registered_name = key
        return obj

    return decorator


def get_registered_object(name, custom_objects=None):
    """The object registered (or passed in ``custom_objects``) under ``name``, or None."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return _CUSTOM_OBJECTS.get(name)


def get_registered_name(obj):
    """The name ``obj`` is registered under (``"package>name"``), else its ``__name__``."""
    target = obj if hasattr(obj, "__name__") else type(obj)  # classes and functions, else an instance's class
    return getattr(target, "_registered_name", None) or target.__name__


def is_model_class(cls):
    """True for a Model class (functional, Sequential or subclassed), which rebuilds with ``custom_objects``."""
    return isinstance(cls, type) and getattr(cls, "_is_model_class", False)


class Registry:
    """Maps names to classes or functions of one family, with get/serialize/deserialize.

    Args:
        family: what the registry holds, for messages (``"layer"``, ``"loss"``...).
    """

    def __init__(self, family):
        self.family = family
        self._objects = {}

    def register(self, *aliases):
        """Decorator: register under the object's ``__name__`` plus ``aliases``."""

        def decorator(obj):
            for name in (obj.__name__,) + aliases:
                self._objects[name] = obj
            return obj

        return decorator

    def names(self):
        return sorted(self._objects)

    def lookup(self, name, custom_objects=None):
        """The class or function registered under ``name``.

        Raises:
            ValueError: the name is unknown (the message says how to register it).
        """
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        if name in self._objects:
            return self._objects[name]
        if name in _CUSTOM_OBJECTS:
            return _CUSTOM_OBJECTS[name]
        raise ValueError(
            f"Unknown {self.family}: {name!r}. Expected one of {self.names()}, "
            f"or pass it in `custom_objects` (or register it with "
            f"@kerasette.saving.register_keras_serializable())."
        )

    def get(self, identifier, custom_objects=None):
        """Resolve a name, a config dict, a class, a function or an instance."""
        if identifier is None:
            return None
        if isinstance(identifier, str):
            obj = self.lookup(identifier, custom_objects)
            return obj() if isinstance(obj, type) else obj
        if isinstance(identifier, dict):
            return self.deserialize(identifier, custom_objects)
        if isinstance(identifier, type):
            return identifier()
        if callable(identifier) or hasattr(identifier, "get_config"):
            return identifier
        raise ValueError(
            f"Could not interpret {self.family} identifier: {identifier!r}. "
            f"Expected a name, a config dict or a {self.family} object."
        )

    def serialize(self, obj):
        """A name for registered functions, else ``{"class_name", "config"}``."""
        if obj is None:
            return None
        if not isinstance(obj, type) and not hasattr(obj, "get_config"):
            return obj.__name__
        return {"class_name": type(obj).__name__, "config": obj.get_config()}

    def deserialize(self, config, custom_objects=None):
        """A new object from ``serialize``'s output (a name or a ``{"class_name", "config"}`` dict)."""
        if isinstance(config, str):
            return self.get(config, custom_objects)
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"Invalid {self.family} config: {config!r}. Expected a dict with `class_name`.")
        cls = self.lookup(config["class_name"], custom_objects)
        inner = dict(config.get("config") or {})
        if not isinstance(cls, type):
            return cls
        if is_model_class(cls):
            return cls.from_config(inner, custom_objects=custom_objects)
        return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
