"""``serialize_keras_object`` / ``deserialize_keras_object``: any Keras object as a JSON-friendly dict, and back.

The format is Keras 3's: ``{"module", "class_name", "config", "registered_name"}`` (plus
``build_config``/``compile_config`` when the object has them), functions as ``{"class_name":
"function", "config": name}``, and tagged values for tuples' contents, numpy arrays
(``__numpy__``), tensors (``__tensor__``), bytes, slices and ``...``. So a custom layer can write a
sublayer into its config the Keras way::

    config["sublayer"] = keras.saving.serialize_keras_object(self.sublayer)   # in get_config
    sublayer = keras.saving.deserialize_keras_object(config.pop("sublayer"))  # in from_config

Reading resolves classes only through kerasette's registries, the open ``custom_object_scope``s,
the global custom objects and ``custom_objects``: a ``module`` named in a config is mapped to a
kerasette family (``keras.layers`` -> ``kerasette.layers``...) and never imported. Python lambdas are
never serialized or deserialized: their code would have to be run from the data.
"""

import inspect
import types

import numpy as np

from kerasette import registry

PLAIN_TYPES = (str, int, float, bool)
# Keras's public modules, and the kerasette package serving each.
_FAMILIES = (
    ("keras.optimizers.schedules", "kerasette.optimizers.schedules"),
    ("keras.layers", "kerasette.layers"),
    ("keras.initializers", "kerasette.initializers"),
    ("keras.regularizers", "kerasette.regularizers"),
    ("keras.constraints", "kerasette.constraints"),
    ("keras.losses", "kerasette.losses"),
    ("keras.metrics", "kerasette.metrics"),
    ("keras.optimizers", "kerasette.optimizers"),
    ("keras.activations", "kerasette.activations"),
    ("keras.random", "kerasette.random"),
)
_MODEL_CLASSES = ("Functional", "Sequential", "Model")
_FUNCTION_FAMILIES = ("kerasette.activations", "kerasette.losses", "kerasette.metrics")


# ----- writing ---------------------------------------------------------------------------------
def serialize_keras_object(obj):
    """A JSON-friendly dict describing ``obj``, in Keras 3's format (see the module docstring).

    Args:
        obj: a layer, model, optimizer, loss, metric, initializer, regularizer, constraint or
            schedule; a registered (or built-in) function; a Python or numpy value; a tensor; or a
            list, tuple or dict of these.

    Returns:
        Plain values as they are; lists, tuples and dicts element by element; objects as
        ``{"module", "class_name", "config", "registered_name"}`` envelopes.

    Raises:
        TypeError: ``obj`` has no ``get_config`` and is not a value or a function.
        ValueError: ``obj`` is a lambda (kerasette never writes code into configs).

    Example:
        >>> from kerasette import regularizers
        >>> from kerasette.saving import serialize_keras_object
        >>> serialize_keras_object(regularizers.L2(0.5))
        {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.5}, 'registered_name': None}
        >>> serialize_keras_object({"sizes": (3, 4)})
        {'sizes': (3, 4)}
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return _serialize_dict(obj)
    special = _serialize_value(obj)
    if special is not None:
        return special
    if isinstance(obj, types.FunctionType):
        if obj.__name__ == "<lambda>":
            raise ValueError("Cannot serialize a lambda: kerasette never writes code into configs. Use a named "
                             "function registered with @kerasette.saving.register_keras_serializable().")
        return {"module": "builtins", "class_name": "function", "config": registry.get_registered_name(obj),
                "registered_name": "function"}
    if registry.is_model_class(type(obj)) and _is_graph_model(obj):
        from kerasette.saving import config_serialization

        return config_serialization.k3_model_config(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj).__name__}: to be serializable, a class "
                        "must implement `get_config()`.")
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"The `get_config()` method of {obj!r} should return a dict. It returned: {config!r}")
    envelope = _envelope(obj, _serialize_dict(config))
    _add_build_and_compile_config(obj, envelope)
    return envelope


def _serialize_dict(obj):
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _serialize_value(obj):
    """The tagged form of bytes, slices, ``...``, numpy values, tensors and symbolic tensors; else None."""
    from kerasette.layers.node import KerasTensor
    from kerasette.ops import Tensor

    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": serialize_keras_object(obj.start),
                                                      "stop": serialize_keras_object(obj.stop),
                                                      "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensor):
        history = None
        if obj.history is not None:
            layer, node_index, tensor_index = obj.history
            history = [layer.name, node_index, tensor_index]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": obj.shape, "dtype": obj.dtype, "keras_history": history}}
    if isinstance(obj, Tensor):
        return {"class_name": "__tensor__", "config": {"value": obj.numpy().tolist(), "dtype": obj.dtype}}
    if isinstance(obj, np.ndarray) and obj.ndim > 0:
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, (np.ndarray, np.generic)):
        return obj.item()
    return None


def _is_graph_model(model):
    from kerasette.models import Functional

    return isinstance(model, Functional)


def _keras_module(cls):
    """Keras's public module for a kerasette class (``kerasette.layers.dense`` -> ``keras.layers``), or None."""
    module = cls.__module__
    for keras_module, package in _FAMILIES:
        if module == package or module.startswith(package + "."):
            return keras_module
    return None


def _envelope(obj, config):
    cls = type(obj)
    keras_module = _keras_module(cls)
    registered = registry.get_registered_name(cls)
    from kerasette.layers.layer import Layer

    if isinstance(obj, Layer):
        config = _layer_config(cls.__name__, config, builtin=keras_module is not None)
    if keras_module is not None and registered == cls.__name__:
        class_name = cls.__dict__.get("_keras_export_name", cls.__name__)  # GroupedQueryAttention's public name
        return {"module": keras_module, "class_name": class_name, "config": config, "registered_name": None}
    return {"module": cls.__module__, "class_name": cls.__name__, "config": config, "registered_name": registered}


def _layer_config(class_name, config, builtin):
    """A layer's config as Keras 3 writes it: the dtype as a DTypePolicy, nested objects as envelopes."""
    from kerasette.saving import config_serialization

    if builtin:
        return config_serialization._k3_layer_config(class_name, config)
    if isinstance(config.get("dtype"), str):
        config = dict(config, dtype=config_serialization._dtype_policy(config["dtype"]))
    return config


def _add_build_and_compile_config(obj, envelope):
    get_build_config = getattr(obj, "get_build_config", None)
    build_config = get_build_config() if callable(get_build_config) else None
    if build_config is not None:
        envelope["build_config"] = _serialize_dict(build_config)
    get_compile_config = getattr(obj, "get_compile_config", None)
    compile_config = get_compile_config() if callable(get_compile_config) else None
    if compile_config is not None:
        envelope["compile_config"] = _serialize_dict(compile_config)


# ----- reading ---------------------------------------------------------------------------------
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object a ``serialize_keras_object`` config describes (also Keras 3 configs).

    Args:
        config: what ``serialize_keras_object`` returned (or Keras wrote): an envelope, a plain value,
            or a list or dict of them. A string naming a registered or custom object gives that
            object; any other string is returned as is.
        custom_objects: a dict of ``{name: class or function}`` for the user's classes; the open
            ``custom_object_scope``s and the registered objects are consulted too.
        safe_mode: Keras's flag for allowing lambdas. kerasette never runs code from configs, so
            lambdas are refused either way.
        **kwargs: ``module_objects``, a further ``{name: object}`` dict to look names up in.

    Returns:
        The rebuilt object (a new instance for classes; built and compiled when the config carries
        ``build_config``/``compile_config``).

    Raises:
        TypeError: an unexpected keyword, or a config that is not a value, list, dict or envelope.
        ValueError: an unknown class or function (the message says how to register it), or a lambda.

    Example:
        >>> from kerasette import layers
        >>> from kerasette.saving import deserialize_keras_object, serialize_keras_object
        >>> layer = deserialize_keras_object(serialize_keras_object(layers.Dense(3, name="head")))
        >>> type(layer).__name__, layer.units, layer.name
        ('Dense', 3, 'head')
    """
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(f"deserialize_keras_object() got unexpected keyword arguments: {sorted(kwargs)}")
    lookup = dict(module_objects or {}, **(custom_objects or {}))
    return _deserialize(config, lookup)


def _deserialize(config, custom_objects):
    if config is None:
        return None
    if isinstance(config, str):
        found = registry.get_registered_object(config, custom_objects)
        return config if found is None else found
    if isinstance(config, (list, tuple)):
        return [_deserialize(item, custom_objects) for item in config]
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r}")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value, custom_objects) for key, value in config.items()}
    class_name = config["class_name"]
    inner = {} if config["config"] is None else config["config"]
    special = _deserialize_value(class_name, inner, custom_objects)
    if special is not _NOT_SPECIAL:
        return special
    module = config.get("module")
    if class_name == "function":
        return _function(inner, module, custom_objects)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name}, instead got {type(inner).__name__}. "
                        f"Full config: {str(config)[:300]}")
    if class_name == "DTypePolicy" or class_name == "FloatDTypePolicy":
        return _dtype_policy(inner)
    if class_name in _MODEL_CLASSES and _is_keras_module(module):
        return _model(config, custom_objects)
    cls, builtin = _resolve_class(class_name, config.get("registered_name"), module, custom_objects)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of {class_name!r}: the class has no `from_config()` "
                        "method.")
    if builtin and _is_layer_class(cls):
        from kerasette.saving import config_serialization

        inner = config_serialization.normalize_layer_config(class_name, inner, "the config")
    with registry.CustomObjectScope(custom_objects):
        if registry.is_model_class(cls):
            instance = cls.from_config(inner, custom_objects=custom_objects)
        else:
            instance = cls.from_config(inner)
        _build_and_compile(instance, config, custom_objects)
    return instance


_NOT_SPECIAL = object()


def _deserialize_value(class_name, inner, custom_objects):
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__tensor__":
        from kerasette import ops

        return ops.convert_to_tensor(np.array(inner["value"], dtype=inner["dtype"]))
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(*(_deserialize(inner[k], custom_objects) for k in ("start", "stop", "step")))
    if class_name == "__keras_tensor__":
        from kerasette.layers.node import KerasTensor

        return KerasTensor(inner["shape"], dtype=inner["dtype"])
    if class_name == "__lambda__":
        raise ValueError("The config holds a Python lambda (marshalled bytecode). kerasette never runs code from "
                         "configs, whatever `safe_mode` says: define a named function, register it with "
                         "@kerasette.saving.register_keras_serializable() and refer to it by name.")
    if class_name == "__typespec__":
        raise ValueError("The config holds a TensorFlow TypeSpec, which kerasette cannot rebuild.")
    return _NOT_SPECIAL


def _dtype_policy(inner):
    name = inner.get("name", "float32")
    if name == "mixed_bfloat16":
        raise ValueError("The dtype policy 'mixed_bfloat16' is not supported: kerasette's backends have no bfloat16 "
                         "('mixed_float16' is supported).")
    return name


def _is_keras_module(module):
    return module is None or module == "keras" or module.startswith(("keras.", "kerasette."))


def _model(config, custom_objects):
    from kerasette.saving import config_serialization

    model = config_serialization.model_from_config(config, custom_objects, "the config")
    with registry.CustomObjectScope(custom_objects):
        _build_and_compile(model, config, custom_objects)
    return model


def model_from_json(json_string, custom_objects=None):
    """A new model from ``Model.to_json()``'s text (kerasette's or Keras's), compiled if it was.

    Args:
        json_string: the JSON text of a Keras 3 (or tf.keras 2) model config.
        custom_objects: a dict of ``{name: class or function}`` for the model's custom layers and
            functions.

    Returns:
        A model with freshly initialized weights (``load_weights`` restores saved ones).

    Raises:
        ValueError: the text is not JSON, is not a model config, or names unknown or refused
            objects (Lambda layers, modules outside the Keras packages).

    Example:
        >>> import kerasette as keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="out")])
        >>> clone = keras.models.model_from_json(model.to_json())
        >>> [layer.name for layer in clone.layers], clone.output_shape
        (['out'], (None, 3))
    """
    from kerasette.saving import config_serialization

    if not isinstance(json_string, (str, bytes, bytearray)):
        raise TypeError(f"model_from_json expects the JSON text of a model. Received: {type(json_string).__name__}")
    config = config_serialization.loads(json_string, "the JSON string", "model config")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("model_from_json: the JSON string is not a model config (expected an object with "
                         "`class_name` and `config`).")
    config_serialization.check_tree(config, custom_objects, "the JSON string")
    return _model(config, dict(custom_objects or {}))


def _family_module(module):
    """The kerasette package serving a Keras (or kerasette) module name, or None."""
    if not isinstance(module, str):
        return None
    for keras_module, package in _FAMILIES:
        for prefix in (keras_module, package, keras_module.replace("keras.", "keras.src.", 1)):
            if module == prefix or module.startswith(prefix + "."):
                return package
    if module.startswith("keras.src.backend.") and "optimizers" in module:  # e.g. Keras's torch Adam
        return "kerasette.optimizers"
    return None


def _family_registry(package):
    import importlib

    module = importlib.import_module(package)  # one of kerasette's own packages, from the table above
    return getattr(module, "registry", None) or getattr(module, "_registry", None) or _nested_registry(module)


def _nested_registry(module):
    for attribute in ("_base", "base"):
        inner = getattr(module, attribute, None)
        found = getattr(inner, "registry", None) or getattr(inner, "_registry", None)
        if found is not None:
            return found
    return None


def _is_layer_class(cls):
    from kerasette.layers.layer import Layer

    return isinstance(cls, type) and issubclass(cls, Layer)


def _resolve_class(class_name, registered_name, module, custom_objects):
    """``(class, is a kerasette built-in)`` for an envelope; never imports ``module``."""
    for name in (registered_name, class_name):
        if isinstance(name, str) and name:
            found = registry.get_registered_object(name, custom_objects)
            if found is not None and (name == registered_name or not _is_keras_module(module)):
                return found, False
    package = _family_module(module)
    candidates = [package] if package else [p for _, p in _FAMILIES]
    for candidate in candidates:
        if candidate == "kerasette.random":
            from kerasette.random import SeedGenerator

            if class_name == "SeedGenerator":
                return SeedGenerator, True
            continue
        family = _family_registry(candidate)
        if family is not None and class_name in family.names():
            return family.lookup(class_name), True
    found = registry.get_registered_object(class_name, custom_objects)
    if found is not None:
        return found, False
    raise ValueError(
        f"Unknown class {class_name!r} (module {module!r}, registered_name {registered_name!r}). kerasette resolves "
        "classes only through its own registries: register your class with "
        "@kerasette.saving.register_keras_serializable(), pass custom_objects={"
        f"{class_name!r}: {class_name}}}, or open a kerasette.saving.custom_object_scope."
    )


def _function(name, module, custom_objects):
    if not isinstance(name, str):
        raise TypeError(f"Expected the name of a function in 'config', got {name!r}.")
    found = registry.get_registered_object(name, custom_objects)
    if found is not None:
        return found
    package = _family_module(module)
    for candidate in [package] if package in _FUNCTION_FAMILIES else list(_FUNCTION_FAMILIES):
        import importlib

        family_module = importlib.import_module(candidate)
        family = _family_registry(candidate)
        if family is None or name not in family.names():
            continue
        function = getattr(family_module, name, None)
        if inspect.isfunction(function):
            return function
        looked_up = family.lookup(name)
        if inspect.isfunction(looked_up):
            return looked_up
    raise ValueError(f"Unknown function {name!r} (module {module!r}). Register it with "
                     "@kerasette.saving.register_keras_serializable() or pass it in `custom_objects`.")


def _build_and_compile(instance, config, custom_objects):
    build_config = config.get("build_config")
    if build_config and not getattr(instance, "built", True) and hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(instance, "compile_from_config"):
        instance.compile_from_config(compile_config)
