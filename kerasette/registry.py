"""Name registries: how strings in ``compile(...)`` and in saved configs become classes and functions.

One ``Registry`` per family (layers, losses, metrics, optimizers, activations, initializers,
regularizers, schedules) maps names to kerasette's own objects; ``register_keras_serializable``
adds the user's. Names resolve only through these tables and ``custom_objects``, never by
importing a module that a file names. This module imports nothing from kerasette, so any family
can register itself without pulling in saving or models.
"""

_CUSTOM_OBJECTS = {}  # Keras's global custom objects: "package>name" (and what users add) -> class or function
_CUSTOM_NAMES = {}  # object -> its "package>name"
_BARE_NAMES = {}  # a registered object's plain name -> the object (a fallback for configs without the package)
_SCOPES = []  # the dicts of the open CustomObjectScopes, innermost last


def register_keras_serializable(package="Custom", name=None):
    """Decorator that makes a custom class or function loadable by name from configs.

    Args:
        package: the namespace of the registered name (``"package>name"``).
        name: the name to register under (default: the object's ``__name__``).

    Returns:
        The decorator; it returns the object unchanged apart from its registered name.

    Raises:
        ValueError: the decorated class has no ``get_config`` method (it could not be saved).

    Example:
        >>> @register_keras_serializable(package="my_package")
        ... def my_activation(x):
        ...     return x
        >>> get_registered_name(my_activation)
        'my_package>my_activation'
    """

    def decorator(obj):
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register class {obj.__name__!r}: it has no get_config() method.")
        registered = name or obj.__name__
        key = f"{package}>{registered}"
        _CUSTOM_OBJECTS[key] = obj
        _CUSTOM_NAMES[obj] = key
        _BARE_NAMES.setdefault(registered, obj)
        obj._registered_name = key
        return obj

    return decorator


def get_custom_objects():
    """The live global dict of custom objects (``"package>name"`` -> object), as Keras's.

    Registering adds to it; adding to it (``get_custom_objects()["MyLayer"] = MyLayer``) makes the
    object loadable by that name everywhere, like ``custom_objects=``.

    Returns:
        The dict itself (not a copy).

    Example:
        >>> get_custom_objects()["my_activation"] = abs
        >>> get_registered_object("my_activation") is abs
        True
        >>> del get_custom_objects()["my_activation"]
    """
    return _CUSTOM_OBJECTS


class CustomObjectScope:
    """Within ``with CustomObjectScope({"name": obj}):``, configs may name ``obj`` as ``"name"``.

    Every lookup of a class or function by name (``load_model``, ``deserialize``, ``compile`` strings,
    ``layers.deserialize``...) consults the open scopes, innermost first. ``custom_object_scope`` is
    the same class.

    Args:
        custom_objects: a dict of ``{name: class or function}``; several dicts may be given, later ones
            win.

    Raises:
        TypeError: an argument is not a dict (or None).

    Example:
        >>> with CustomObjectScope({"scoped_double": lambda x: 2 * x}):
        ...     get_registered_object("scoped_double")(3)
        6
        >>> get_registered_object("scoped_double") is None
        True
    """

    def __init__(self, *custom_objects):
        merged = {}
        for objects in custom_objects:
            if objects is None:
                continue
            if not isinstance(objects, dict):
                raise TypeError(f"CustomObjectScope expects dicts of {{name: object}}. Received: {objects!r}")
            merged.update(objects)
        self.custom_objects = merged

    def __enter__(self):
        _SCOPES.append(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        for index in range(len(_SCOPES) - 1, -1, -1):
            if _SCOPES[index] is self.custom_objects:
                del _SCOPES[index]
                break
        return False


custom_object_scope = CustomObjectScope


def _from_scopes(name):
    for objects in reversed(_SCOPES):
        if name in objects:
            return objects[name]
    return None


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered under ``name``, or None, looked up as Keras does.

    Order: the open ``CustomObjectScope``s, the global custom objects (``register_keras_serializable``
    and ``get_custom_objects()``), ``custom_objects``, then ``module_objects``; and last the plain
    name of a registered object (``"MyLayer"`` for ``"package>MyLayer"``).

    Args:
        name: a registered name, ``"package>name"`` or plain.
        custom_objects: a dict of the user's classes and functions by name, or None.
        module_objects: a further dict to look in (Keras's argument for library code), or None.

    Returns:
        The class or function, or None.
    """
    found = _from_scopes(name)
    if found is not None:
        return found
    if name in _CUSTOM_OBJECTS:
        return _CUSTOM_OBJECTS[name]
    for objects in (custom_objects, module_objects):
        if objects and name in objects:
            return objects[name]
    return _BARE_NAMES.get(name)


def get_registered_name(obj):
    """The name ``obj`` is registered under (``"package>name"``), else its ``__name__``.

    Args:
        obj: a class, a function, or an instance (its class's name is used).

    Returns:
        The name.
    """
    target = obj if hasattr(obj, "__name__") else type(obj)  # classes and functions, else an instance's class
    try:
        return _CUSTOM_NAMES.get(target) or target.__name__
    except TypeError:  # an unhashable object
        return target.__name__


def user_defined(cls, method):
    """Whether ``cls`` gets ``method`` from a class outside kerasette (the user overrode a hook).

    Args:
        cls: a class.
        method: a method name, e.g. ``"build_from_config"``.

    Returns:
        True when the class defining ``method`` for ``cls`` lives outside the ``kerasette`` package.
    """
    owner = next((klass for klass in cls.__mro__ if method in vars(klass)), None)
    return owner is not None and not owner.__module__.startswith("kerasette.")


def is_model_class(cls):
    """True for a Model class (functional, Sequential or subclassed), which rebuilds with ``custom_objects``.

    Args:
        cls: any object.

    Returns:
        Whether ``cls`` is a Model class.
    """
    return isinstance(cls, type) and getattr(cls, "_is_model_class", False)


class Registry:
    """Maps names to classes or functions of one family, with get/serialize/deserialize.

    Args:
        family: what the registry holds, for messages (``"layer"``, ``"loss"``...).

    Example:
        >>> colours = Registry("colour")
        >>> @colours.register("red_alias")
        ... class Red:
        ...     def get_config(self):
        ...         return {}
        >>> colours.names()
        ['Red', 'red_alias']
        >>> type(colours.get("red_alias")).__name__
        'Red'
        >>> colours.serialize(Red())
        {'class_name': 'Red', 'config': {}}
    """

    def __init__(self, family):
        self.family = family
        self._objects = {}

    def register(self, *aliases):
        """Decorator: register under the object's ``__name__`` plus ``aliases``.

        Args:
            *aliases: further names for the object.

        Returns:
            The decorator, which returns the object unchanged.
        """

        def decorator(obj):
            for name in (obj.__name__,) + aliases:
                self._objects[name] = obj
            return obj

        return decorator

    def names(self):
        """The registered names, sorted."""
        return sorted(self._objects)

    def lookup(self, name, custom_objects=None):
        """The class or function registered under ``name``.

        Args:
            name: the name; ``custom_objects`` is looked at first, then this family, then the user's
                registered objects.
            custom_objects: a dict of the user's classes and functions by name, or None.

        Returns:
            The class or function.

        Raises:
            ValueError: the name is unknown (the message says how to register it).
        """
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        found = _from_scopes(name)
        if found is not None:
            return found
        if name in self._objects:
            return self._objects[name]
        found = get_registered_object(name)
        if found is not None:
            return found
        raise ValueError(
            f"Unknown {self.family}: {name!r}. Expected one of {self.names()}, "
            f"or pass it in `custom_objects` (or register it with "
            f"@kerasette.saving.register_keras_serializable())."
        )

    def get(self, identifier, custom_objects=None):
        """Resolve a name, a config dict, a class, a function or an instance.

        A name of a class or a class gives a new instance with default arguments; functions and
        instances are returned as they are.

        Args:
            identifier: the name, config dict, class, function or instance; None stays None.
            custom_objects: a dict of the user's classes and functions by name, or None.

        Returns:
            The resolved object.

        Raises:
            ValueError: for an unknown name or an identifier of another kind.
        """
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
        """A name for registered functions, else ``{"class_name", "config"}``.

        Args:
            obj: a function, or an object with ``get_config``; None stays None.

        Returns:
            A name or a JSON-friendly dict.
        """
        if obj is None:
            return None
        if not isinstance(obj, type) and not hasattr(obj, "get_config"):
            return obj.__name__
        return {"class_name": type(obj).__name__, "config": obj.get_config()}

    def deserialize(self, config, custom_objects=None):
        """A new object from ``serialize``'s output (a name or a ``{"class_name", "config"}`` dict).

        Args:
            config: a name or a dict with ``class_name`` (and optionally ``config``).
            custom_objects: a dict of the user's classes and functions by name, or None.

        Returns:
            The new object (a registered function for a function's name).

        Raises:
            ValueError: for a config without ``class_name`` or an unknown name.
        """
        if isinstance(config, str):
            return self.get(config, custom_objects)
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"Invalid {self.family} config: {config!r}. Expected a dict with `class_name`.")
        registered = config.get("registered_name")
        cls = None
        if isinstance(registered, str) and registered != config["class_name"]:  # Keras 3: "package>Name"
            cls = (custom_objects or {}).get(registered) or get_registered_object(registered)
        if cls is None:
            cls = self.lookup(config["class_name"], custom_objects)
        inner = dict(config.get("config") or {})
        if not isinstance(cls, type):
            return cls
        if is_model_class(cls):
            return cls.from_config(inner, custom_objects=custom_objects)
        obj = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
        build_config = config.get("build_config")
        if build_config and user_defined(cls, "build_from_config") and not getattr(obj, "built", True):
            obj.build_from_config(build_config)  # the user's way of creating state before weights are loaded
        return obj
