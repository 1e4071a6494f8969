"""Model configs as JSON: the two Keras writers and one normalizing reader.

Writers:
    ``k2_model_config(model)``: the Keras 2 (tf.keras) form stored in legacy
    ``.h5`` files, which both tf.keras 2 and Keras 3 load: InputLayer
    ``batch_input_shape``, dtype strings, no ``groups`` on DepthwiseConv2D,
    inbound nodes as ``[[layer, node, tensor, kwargs], ...]`` lists.
    ``k3_model_config(model)``: the Keras 3 form stored in ``.keras`` zips:
    ``module``/``class_name``/``config``/``registered_name``/``build_config``
    envelopes, InputLayer ``batch_shape``, DTypePolicy dicts, inbound nodes as
    ``{"args": [...], "kwargs": {...}}`` with ``__keras_tensor__`` entries.

Reader:
    ``model_from_config(config, ...)`` accepts either form (and Keras 3's
    legacy-``.h5`` mix of both), normalizes the known dialect differences and
    rebuilds the model. Class names resolve only through kerasette's
    registries, ``custom_objects`` and ``register_keras_serializable``; a
    ``module`` named in a file is checked against the Keras packages and never
    imported; Lambda layers (marshalled Python bytecode) are refused.
"""

import json

import numpy as np

from kerasette.layers import registry as layer_registry
from kerasette.models.functional import Functional
from kerasette.models.graph import tensor_ref
from kerasette.models.sequential import Sequential
from kerasette.registry import get_registered_name, get_registered_object, is_model_class
from kerasette.saving.safe_h5 import UnsafeFileError

# A `module` in a file may name these packages only (it is never imported; the name is a sanity check).
KERAS_PACKAGES = ("keras", "kerasette", "tf_keras", "tensorflow.keras", "tensorflow.python.keras",
                  "keras_hub", "keras_cv", "keras_nlp")
MAX_CONFIG_DEPTH = 200  # real model configs nest a few levels per nested model
_SPECIAL_VALUES = ("__tensor__", "__numpy__", "__bytes__", "__slice__", "__ellipsis__", "__typespec__")
# Keys Keras writes that kerasette layers do not take: dropped when they hold the value that means "off".
_ANY = object()
_NEUTRAL_KEYS = {
    "optional": False,
    "sparse": False,
    "ragged": False,
    "quantization_config": None,
    "lora_rank": None,
    "lora_alpha": None,
    "renorm": False,
    "renorm_clipping": None,
    "renorm_momentum": _ANY,
    "synchronized": _ANY,  # only changes multi-device training
}
_NEUTRAL_KEYS_BY_CLASS = {"DepthwiseConv2D": {"groups": 1}, "SeparableConv2D": {"groups": 1}}
# Left out of Keras 2 configs when "off": tf.keras before 2.12 rejects BatchNormalization(synchronized=...).
_K2_OMIT = {"BatchNormalization": {"synchronized": False}}
_NEUTRAL_NESTED_KEYS = {"input_axes": None, "output_axes": None}  # Keras 3.1x initializer additions
_ENVELOPE_KEYS = ("module", "registered_name", "shared_object_id", "__passive_serialization__", "build_config")


# ----- writers -----------------------------------------------------------------------------------
def model_class_name(model):
    """The class name Keras writes for ``model``: Sequential, Functional or the registered name."""
    return get_registered_name(type(model))


def check_saveable(model):
    """Only graph models (functional or Sequential, built) have a config that rebuilds them.

    Raises:
        ValueError: for a Sequential model that is not built yet.
        NotImplementedError: for a subclassed model (its ``call`` is Python code).
    """
    if isinstance(model, Functional) and model.built:
        return
    if isinstance(model, Sequential):
        raise ValueError(
            f"Sequential model `{model.name}` is not built yet, so it has no weights to save. Start it with an "
            "`Input(shape)` (or call `model.build(input_shape)` or fit it) before saving."
        )
    raise NotImplementedError(
        f"Model `{model.name}` is a subclassed model: its architecture is Python code that a file cannot "
        "hold. Save its weights with `model.save_weights('x.weights.h5')` and rebuild it in code to load them."
    )


def k2_model_config(model):
    """``{"class_name", "config"}`` in the tf.keras 2 form (see the module docstring)."""
    check_saveable(model)
    return {"class_name": model_class_name(model), "config": _k2_inner(model.get_config())}


def _k2_inner(config):
    config = dict(config)
    config["layers"] = [_k2_layer(spec) for spec in config["layers"]]
    return config


def _k2_layer(spec):
    spec = dict(spec)
    inner = spec["config"]
    if isinstance(inner, dict) and "layers" in inner:
        spec["config"] = _k2_inner(inner)
        return spec
    inner = dict(inner)
    omit = dict(_NEUTRAL_KEYS_BY_CLASS.get(spec["class_name"], {}), **_K2_OMIT.get(spec["class_name"], {}))
    for key, neutral in omit.items():
        if inner.get(key, neutral) == neutral:
            inner.pop(key, None)
    spec["config"] = inner
    return spec


def k3_model_config(model):
    """``{"module", "class_name", "config", "registered_name", "build_config"}`` in the Keras 3 form."""
    check_saveable(model)
    return _k3_model_envelope(model)


def _k3_model_envelope(model):
    class_name = model_class_name(model)
    if isinstance(model, Sequential):
        inner = _k3_sequential(model)
        module, registered, build = "keras", None, {"input_shape": list(model.inputs[0].shape)}
    else:
        inner = _k3_functional(model)
        module, registered, build = "keras.src.models.functional", "Functional", {"input_shape": None}
    if class_name not in ("Sequential", "Functional"):
        module, registered = type(model).__module__, class_name
    return {"module": module, "class_name": class_name, "config": inner, "registered_name": registered,
            "build_config": build}


def _dtype_policy(name):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}


def _k3_layer_config(class_name, config):
    config = dict(config)
    if class_name == "InputLayer":
        config["batch_shape"] = config.pop("batch_input_shape")
        config.setdefault("optional", False)
        return config
    config.pop("batch_input_shape", None)  # the model's InputLayer carries the shape
    if isinstance(config.get("dtype"), str):
        config["dtype"] = _dtype_policy(config["dtype"])
    for key, neutral in _NEUTRAL_KEYS_BY_CLASS.get(class_name, {}).items():
        if config.get(key, neutral) == neutral:
            config.pop(key, None)
    for key, value in config.items():
        if isinstance(value, dict) and "class_name" in value and "module" not in value:
            family = key.rsplit("_", 1)[-1]
            module = {"initializer": "keras.initializers", "regularizer": "keras.regularizers",
                      "constraint": "keras.constraints"}.get(family)
            if module:
                config[key] = {"module": module, "class_name": value["class_name"],
                               "config": value.get("config", {}), "registered_name": None}
    return config


def _k3_layer_envelope(layer, class_name, config):
    if is_model_class(type(layer)):
        return _k3_model_envelope(layer)
    registered = getattr(type(layer), "_registered_name", None)
    envelope = {"module": type(layer).__module__ if registered else "keras.layers", "class_name": class_name,
                "config": _k3_layer_config(class_name, config), "registered_name": registered}
    shape = getattr(layer, "_build_shape", None)
    if shape is not None:
        envelope["build_config"] = {"input_shape": _jsonable_shape(shape)}
    return envelope


def _jsonable_shape(shape):
    if isinstance(shape, list):
        return [_jsonable_shape(s) for s in shape]
    return list(shape)


def _k3_sequential(model):
    config = model.get_config()
    layers = [model.inputs[0].history[0]] + list(model.layers)  # the InputLayer, then the stack
    entries = [_k3_layer_envelope(layer, spec["class_name"], spec["config"])
               for layer, spec in zip(layers, config["layers"])]
    return {"name": config["name"], "trainable": config["trainable"], "dtype": _dtype_policy(model.dtype),
            "layers": entries, "build_input_shape": list(model.inputs[0].shape)}


def _k3_tensor(tensor, numbering):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(tensor.shape), "dtype": tensor.dtype,
                       "keras_history": tensor_ref(tensor, numbering)}}


def _k3_functional(model):
    graph = model.graph
    numbering = graph.numbering()
    config = model.get_config()
    specs = {spec["name"]: spec for spec in config["layers"]}
    nodes = {}
    for node in graph.nodes:
        args = [_k3_tensor(t, numbering) for t in node.input_tensors]
        nodes.setdefault(node.layer.name, []).append(
            {"args": [args] if node.inputs_are_list else args, "kwargs": dict(node.kwargs)})
    layers = []
    for layer in model.layers:
        spec = specs[layer.name]
        entry = _k3_layer_envelope(layer, spec["class_name"], spec["config"])
        entry.update({"name": layer.name, "inbound_nodes": nodes.get(layer.name, [])})
        layers.append(entry)
    return {"name": config["name"], "trainable": config["trainable"], "layers": layers,
            "input_layers": _k3_structure(config["input_layers"], graph.input_structure),
            "output_layers": _k3_structure(config["output_layers"], graph.output_structure)}


def _k3_structure(refs, structure):
    return refs[0] if structure[0] == "single" else refs


def plain(value):
    """``value`` without Keras 3 envelope keys, recursively; ``function`` envelopes become their name."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get("class_name") == "function" and isinstance(value.get("config"), str):
        registered = value.get("registered_name")
        return registered if registered and get_registered_object(registered) is not None else value["config"]
    out = {k: plain(v) for k, v in value.items() if k not in _ENVELOPE_KEYS}
    if "class_name" in out and isinstance(out.get("config"), dict):
        out["config"] = {k: v for k, v in out["config"].items()
                         if not (k in _NEUTRAL_NESTED_KEYS and v == _NEUTRAL_NESTED_KEYS[k])}
    return out


def is_object_config(value):
    return isinstance(value, dict) and "class_name" in value and "config" in value


# ----- reader ------------------------------------------------------------------------------------
def _allowed_module(module):
    return any(module == p or module.startswith(p + ".") for p in KERAS_PACKAGES)


def _custom(class_name, registered_name, custom_objects, bare=True):
    """The name under which the user supplied this class: ``custom_objects`` first, then
    ``register_keras_serializable`` by its ``package>name`` (and by bare class name only if ``bare``)."""
    for name in (registered_name, class_name):
        if name and custom_objects and name in custom_objects:
            return name
    if registered_name and ">" in registered_name and get_registered_object(registered_name) is not None:
        return registered_name
    if bare and class_name and get_registered_object(class_name) is not None:
        return class_name
    return None


def refuse_lambda(source, where):
    raise UnsafeFileError(
        f"{source} contains a Lambda layer or function ({where}). Its code is marshalled Python bytecode, and "
        "kerasette never runs code from files. Rebuild the model in Python (with your own function) and load "
        "the weights with `model.load_weights(...)`."
    )


def check_tree(value, custom_objects, source, where="config", depth=0):
    """Refuse Lambda code, unsupported value types and modules outside the Keras packages, anywhere."""
    if depth > MAX_CONFIG_DEPTH:
        raise UnsafeFileError(f"{source}: the configuration is nested more than {MAX_CONFIG_DEPTH} levels deep "
                              f"(at {where[:200]}...); refusing it.")
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_tree(item, custom_objects, source, f"{where}[{i}]", depth + 1)
        return
    if not isinstance(value, dict):
        return
    class_name = value.get("class_name")
    if class_name in ("__lambda__", "Lambda") or value.get("function_type") == "lambda":
        refuse_lambda(source, where)
    if class_name in _SPECIAL_VALUES:
        raise UnsafeFileError(f"{source}: unsupported serialized value of type {class_name!r} at {where}.")
    module = value.get("module")
    if isinstance(module, str) and class_name is not None and not _allowed_module(module):
        if not _custom(class_name, value.get("registered_name"), custom_objects):
            raise UnsafeFileError(
                f"{source} names class {class_name!r} from module {module!r} at {where}. kerasette never "
                "imports modules named in a file; only Keras/kerasette classes and objects you register (with "
                "@kerasette.saving.register_keras_serializable() or `custom_objects`) can be loaded."
            )
    for key, item in value.items():
        check_tree(item, custom_objects, source, f"{where}.{key}", depth + 1)


def resolve_class(spec, custom_objects, source, family="layer"):
    """The registry key and class for a ``{"class_name", ...}`` envelope.

    Raises:
        ValueError: the class is not registered (the message says how to register it).
    """
    class_name = spec.get("class_name")
    if not isinstance(class_name, str):
        raise ValueError(f"{source}: a {family} config has no `class_name`: {str(spec)[:200]}")
    if class_name in ("Lambda", "__lambda__"):
        refuse_lambda(source, f"{family} {spec.get('name', class_name)!r}")
    custom = _custom(class_name, spec.get("registered_name"), custom_objects, bare=False)
    if custom:
        return custom, get_registered_object(custom, custom_objects)
    if class_name == "Model":
        class_name = "Functional"
    if class_name in layer_registry.names():
        return class_name, layer_registry.lookup(class_name)
    custom = _custom(class_name, None, None)
    if custom:
        return custom, get_registered_object(custom)
    name = spec.get("config", {}).get("name") if isinstance(spec.get("config"), dict) else None
    raise ValueError(
        f"Unknown {family} class {class_name!r}{f' (layer {name!r})' if name else ''} in {source}. kerasette "
        "resolves class names only through its own registry. If this is your class, register it with "
        "@kerasette.saving.register_keras_serializable() or pass custom_objects={"
        f"{class_name!r}: {class_name}}} to load_model. Known layers: {layer_registry.names()}"
    )


def normalize_layer_config(class_name, config, source):
    """A layer's config with Keras dialect differences removed (see ``_NEUTRAL_KEYS``)."""
    config = plain(dict(config))
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        dtype = (dtype.get("config") or {}).get("name", "float32")
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        raise ValueError(f"{source}: layer {config.get('name')!r} uses the {dtype!r} dtype policy, which kerasette "
                         "does not support (float32 weights and compute only).")
    if dtype is not None:
        config["dtype"] = dtype
    if class_name == "InputLayer":
        shape = config.pop("batch_shape", None)
        if shape is not None:
            config["batch_input_shape"] = shape
    if isinstance(config.get("axis"), list) and len(config["axis"]) == 1 and class_name == "BatchNormalization":
        config["axis"] = config["axis"][0]
    neutral_keys = dict(_NEUTRAL_KEYS, **_NEUTRAL_KEYS_BY_CLASS.get(class_name, {}))
    for key, neutral in neutral_keys.items():
        if key not in config:
            continue
        if neutral is _ANY or config[key] == neutral:
            del config[key]
        else:
            raise ValueError(f"{source}: layer {config.get('name')!r} ({class_name}) sets {key}={config[key]!r}, "
                             "which kerasette does not support.")
    return config


def _tensor_history(item, source, layer):
    if is_object_config(item) and item["class_name"] == "__keras_tensor__":
        history = item["config"].get("keras_history")
        if isinstance(history, list) and len(history) == 3:
            return history
    raise ValueError(f"{source}: layer {layer!r} is called on a value kerasette cannot rebuild ({str(item)[:120]}).")


def _call_kwargs(kwargs, source, layer):
    kwargs = dict(kwargs or {})
    kwargs.pop("training", None)
    if kwargs.get("mask", 0) is None:
        del kwargs["mask"]
    for key, value in kwargs.items():
        if isinstance(value, (dict, list)):
            raise ValueError(f"{source}: layer {layer!r} is called with argument {key}={str(value)[:80]}, "
                             "which kerasette cannot rebuild.")
    return kwargs


def normalize_node(node, source, layer):
    """One inbound node in kerasette's internal form ``[[layer, node, tensor, kwargs], ...]``."""
    if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
        args = node.get("args", [])
        flat = args[0] if len(args) == 1 and isinstance(args[0], list) else args
        kwargs = _call_kwargs(node.get("kwargs"), source, layer)
        refs = [_tensor_history(item, source, layer) + [{}] for item in flat]
    elif isinstance(node, list):  # Keras 2
        refs, kwargs = [], {}
        for ref in node:
            if not isinstance(ref, list) or len(ref) < 3 or ref[0] == "_CONSTANT_VALUE":
                raise ValueError(f"{source}: layer {layer!r} has an inbound node kerasette cannot rebuild: "
                                 f"{str(ref)[:120]}")
            kwargs = _call_kwargs(ref[3] if len(ref) > 3 else {}, source, layer)
            refs.append(list(ref[:3]) + [{}])
    else:
        raise ValueError(f"{source}: layer {layer!r} has a malformed inbound node: {str(node)[:120]}")
    if not refs:
        raise ValueError(f"{source}: layer {layer!r} has an inbound node without inputs.")
    for ref in refs:
        if not isinstance(ref[0], str) or not all(isinstance(i, int) for i in ref[1:3]):
            raise ValueError(f"{source}: layer {layer!r} has a malformed tensor reference {ref[:3]}.")
    refs[0][3] = kwargs
    return refs


def _normalize_layer_spec(spec, custom_objects, source, functional):
    if not isinstance(spec, dict):
        raise ValueError(f"{source}: malformed layer entry {str(spec)[:120]}")
    key, cls = resolve_class(spec, custom_objects, source)
    inner = spec.get("config") or {}
    if is_model_class(cls):
        inner = normalize_model_inner(cls, inner, custom_objects, source)
    else:
        inner = normalize_layer_config(spec["class_name"], inner, source)
    out = {"class_name": key, "config": inner}
    if functional:
        out["name"] = spec.get("name", inner.get("name"))
        out["inbound_nodes"] = [normalize_node(n, source, out["name"]) for n in spec.get("inbound_nodes", [])]
    return out


def _check_refs(refs, source):
    if isinstance(refs, dict):
        for value in refs.values():
            _check_refs(value, source)
        return
    items = [refs] if refs and isinstance(refs[0], str) else refs
    for ref in items:
        if not (isinstance(ref, list) and len(ref) == 3 and isinstance(ref[0], str)):
            raise ValueError(f"{source}: malformed model input/output reference {str(ref)[:80]}")


def normalize_model_inner(cls, config, custom_objects, source):
    """A Sequential or functional model config in kerasette's internal form."""
    if isinstance(config, list):  # Keras <= 2.2.4 Sequential: a bare list of layers
        config = {"layers": config}
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError(f"{source}: the model config has no `layers` list.")
    if issubclass(cls, Sequential):
        out = {"name": config.get("name"), "trainable": config.get("trainable", True),
               "layers": [_normalize_layer_spec(s, custom_objects, source, False) for s in config["layers"]]}
        if config.get("build_input_shape") is not None:
            out["build_input_shape"] = config["build_input_shape"]
        return out
    for key in ("input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"{source}: the functional model config has no `{key}`.")
        _check_refs(config[key], source)
    return {"name": config.get("name"), "trainable": config.get("trainable", True),
            "layers": [_normalize_layer_spec(s, custom_objects, source, True) for s in config["layers"]],
            "input_layers": config["input_layers"], "output_layers": config["output_layers"]}


def model_from_config(model_config, custom_objects=None, source="the file"):
    """Rebuild a model from a config in any Keras dialect (weights freshly initialized).

    Raises:
        UnsafeFileError: Lambda code, a module outside the Keras packages, unsupported values.
        ValueError: unknown classes or arguments, malformed configs (the message names ``source``).
    """
    if not isinstance(model_config, dict):
        raise ValueError(f"{source}: the model config is not a JSON object.")
    check_tree(model_config, custom_objects, source)
    _, cls = resolve_class(model_config, custom_objects, source, family="model")
    if not is_model_class(cls):
        raise ValueError(f"{source}: the top-level class {model_config.get('class_name')!r} is not a model.")
    inner = normalize_model_inner(cls, model_config.get("config"), custom_objects, source)
    build_shape = inner.pop("build_input_shape", None)
    try:
        model = cls.from_config(inner, custom_objects=custom_objects)
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"Cannot rebuild the model saved in {source}: {error}") from error
    if not model.built and build_shape is not None:
        model.build(tuple(build_shape))
    return model


def dumps(value):
    """JSON text for a config (numpy scalars and tuples become plain JSON)."""
    def default(obj):
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
        raise TypeError(f"Cannot write {type(obj).__name__} {obj!r} into a model config.")

    return json.dumps(value, default=default)


def loads(text, source, what):
    """Parse a JSON config stored in a file, with an error naming the file."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError, RecursionError) as error:
        raise UnsafeFileError(f"{source}: the {what} is not valid JSON ({str(error)[:200]}).") from None
    return value
