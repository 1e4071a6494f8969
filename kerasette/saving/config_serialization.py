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

import inspect
import json

import numpy as np

from kerasette.layers import layer as layer_module
from kerasette.layers import op_layer
from kerasette.layers import registry as layer_registry
from kerasette.layers.keras_operations import BY_CLASS as OPERATIONS_BY_CLASS
from kerasette.layers.keras_operations import KERAS_OPERATIONS
from kerasette.models.functional import Functional
from kerasette.models.graph import tensor_ref
from kerasette.models.sequential import Sequential
from kerasette.registry import get_registered_name, get_registered_object, is_model_class
from kerasette.saving import limits
from kerasette.saving.budget import WeightBudget
from kerasette.saving.errors import InvalidFileError, UnsafeFileError, describe

# A `module` in a file may name these packages only (it is never imported; the name is a sanity check).
KERAS_PACKAGES = ("keras", "kerasette", "tf_keras", "tensorflow.keras", "tensorflow.python.keras",
                  "keras_hub", "keras_cv", "keras_nlp")
MAX_CONFIG_DEPTH = 200  # real model configs nest a few levels per nested model
MAX_CONFIG_INT = 2**63  # no size, count or seed in a real config comes near it
MAX_INPUT_RANK = 32  # HDF5's and numpy's limit on dimensions
_SPECIAL_VALUES = ("__tensor__", "__numpy__", "__bytes__", "__typespec__")  # slices and ... are plain data
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
_QUANTIZABLE_CLASSES = ("Dense", "EinsumDense", "Embedding", "Conv2D", "DepthwiseConv2D")
_NEUTRAL_KEYS_BY_CLASS = {"DepthwiseConv2D": {"groups": 1}, "SeparableConv2D": {"groups": 1}}
# Left out of Keras 2 configs when "off": tf.keras before 2.12 rejects BatchNormalization(synchronized=...).
_K2_OMIT = {"BatchNormalization": {"synchronized": False}}
_NEUTRAL_NESTED_KEYS = {"input_axes": None, "output_axes": None}  # Keras 3.1x initializer additions
_ENVELOPE_KEYS = ("module", "registered_name", "shared_object_id", "__passive_serialization__", "build_config")


# ----- writers -----------------------------------------------------------------------------------
def model_class_name(model):
    """The class name Keras writes for ``model``: Sequential, Functional or the registered name."""
    return get_registered_name(type(model))


def uses_own_config(model):
    """Whether ``model`` is rebuilt from its own ``get_config`` rather than from a recorded graph.

    That is a subclassed model, or a functional subclass that overrides ``get_config``; Keras 3 saves such
    models in ``.keras``.
    """
    cls = type(model)
    if cls in (Functional, Sequential):
        return False
    if not isinstance(model, Functional):
        return True
    return cls.get_config is not Functional.get_config and cls.get_config is not Sequential.get_config


def check_saveable(model, own_config_allowed=False, require_built=True):
    """Check that ``model`` has a config that rebuilds it in the format asked for.

    Graph models (functional or Sequential, built) always do; with ``own_config_allowed`` (the ``.keras``
    format) so do models rebuilt from their own config.

    Raises:
        ValueError: for a model that is not built yet.
        NotImplementedError: for a subclassed model, where the format cannot hold it.
    """
    if own_config_allowed and uses_own_config(model):
        if require_built and (not model.built or not model.weights and model.layers):
            raise ValueError(f"Model `{model.name}` is not built yet, so it has no weights to save. Call it on "
                             "data (or `model.build(input_shape)`, or fit it) before saving.")
        return
    if isinstance(model, Functional) and model.built and not uses_own_config(model):
        return
    if isinstance(model, Sequential):
        raise ValueError(
            f"Sequential model `{model.name}` is not built yet, so it has no weights to save. Start it with an "
            "`Input(shape)` (or call `model.build(input_shape)` or fit it) before saving."
        )
    raise NotImplementedError(
        f"Model `{model.name}` is a subclassed model (or overrides `get_config`): the legacy `.h5` format can only "
        "hold functional and Sequential graphs. Save it as `.keras` (its class must be registered with "
        "@keras.saving.register_keras_serializable() to load), or save its weights with "
        "`model.save_weights('x.weights.h5')` and rebuild it in code to load them."
    )


def k2_model_config(model):
    """``{"class_name", "config"}`` in the tf.keras 2 form (see the module docstring)."""
    check_saveable(model)
    return {"class_name": model_class_name(model), "config": _k3_tensor_argument_nodes(model, _k2_inner(
        model.get_config()))}


def _k3_tensor_argument_nodes(model, config):
    """``config`` with the nodes passing tensors outside their first argument in Keras 3's form.

    Such as ``mha(query, value)``: Keras 3 reads the tf.keras 2 form, but resolves tensors only in its own.
    """
    if not isinstance(model, Functional) or isinstance(model, Sequential) or uses_own_config(model):
        return config
    numbering, counts = model.graph.numbering(), {}
    specs = {spec["name"]: spec for spec in config["layers"]}
    for node in model.graph.nodes:
        index = counts[node.layer.name] = counts.get(node.layer.name, -1) + 1
        if len(node.input_tensors) > node.first_input_count:
            first, args, kwargs = node.call_arguments([_k3_tensor(t, numbering) for t in node.input_tensors])
            specs[node.layer.name]["inbound_nodes"][index] = {"args": [first, *args], "kwargs": dict(kwargs)}
    return config


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


def k3_model_config(model, require_built=True):
    """``{"module", "class_name", "config", "registered_name", "build_config"}`` in the Keras 3 form.

    Args:
        model: the model.
        require_built: refuse a model rebuilt from its own config that has no weights yet (saving needs
            them; ``to_json`` does not).
    """
    check_saveable(model, own_config_allowed=True, require_built=require_built)
    return _k3_model_envelope(model)


def _k3_model_envelope(model):
    class_name = model_class_name(model)
    if uses_own_config(model):  # rebuilt as cls.from_config(config), then built from build_config, as Keras does
        return {"module": type(model).__module__, "class_name": type(model).__name__, "config": model.get_config(),
                "registered_name": class_name, "build_config": model.get_build_config()}
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
    class_name = type(layer).__dict__.get("_keras_export_name", class_name)  # GroupedQueryAttention's public name
    envelope = {"module": type(layer).__module__ if registered else "keras.layers", "class_name": class_name,
                "config": _k3_layer_config(class_name, config), "registered_name": registered}
    build_config = layer.get_build_config()  # {"input_shape": ...} unless the layer overrides the hook
    if build_config is not None:
        envelope["build_config"] = {key: _jsonable_shape(value) if key == "input_shape" and value is not None else value
                                    for key, value in build_config.items()}
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
    return {"name": config["name"], "trainable": config["trainable"], "dtype": _dtype_policy(model.dtype_policy.name),
            "layers": entries, "build_input_shape": list(model.inputs[0].shape)}


def _k3_tensor(tensor, numbering):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(tensor.shape), "dtype": tensor.dtype,
                       "keras_history": tensor_ref(tensor, numbering)}}


def _keras_argument(value):
    """A recorded op argument in Keras 3's JSON: slices and ``...`` as its envelopes, tuples as lists."""
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {"start": value.start, "stop": value.stop, "step": value.step}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, (list, tuple)):
        return [_keras_argument(v) for v in value]
    if isinstance(value, dict):
        return {k: _keras_argument(v) for k, v in value.items()}
    return op_layer.encode(value)


def _k3_operation_envelope(layer):
    """An op node as Keras 3 writes its operation classes: module, class name, constructor arguments."""
    entry = KERAS_OPERATIONS.get(layer.op)
    if entry is None:
        raise NotImplementedError(f"ops.{layer.op} (node `{layer.name}`) has no Keras operation class to be written "
                                  "as; save the model as `.h5`, or compute it inside a layer.")
    module, class_name, _ = entry
    return {"module": f"keras.src.ops.{module}", "class_name": class_name,
            "config": {"name": layer.name, **_keras_argument(layer.op_kwargs)}, "registered_name": class_name}


def _k3_functional(model):
    graph = model.graph
    numbering = graph.numbering()
    config = model.get_config()
    specs = {spec["name"]: spec for spec in config["layers"]}
    nodes = {}
    for node in graph.nodes:
        tensors = [_k3_tensor(t, numbering) for t in node.input_tensors]
        if isinstance(node.layer, op_layer.OpLayer):  # the op's own arguments, as Keras writes an operation's call
            arguments = node.layer.arguments
            nodes.setdefault(node.layer.name, []).append({
                "args": _keras_argument(op_layer.fill(arguments["args"], tensors)),
                "kwargs": _keras_argument(op_layer.fill(arguments["kwargs"], tensors))})
            continue
        first, args, kwargs = node.call_arguments(tensors)
        nodes.setdefault(node.layer.name, []).append({"args": [first, *args], "kwargs": dict(kwargs)})
    layers = []
    for layer in model.layers:
        spec = specs[layer.name]
        if isinstance(layer, op_layer.OpLayer):
            entry = _k3_operation_envelope(layer)
            entry.update({"name": layer.name, "inbound_nodes": nodes.get(layer.name, [])})
            layers.append(entry)
            continue
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
    """True for a ``{"class_name": ..., "config": ...}`` envelope."""
    return isinstance(value, dict) and "class_name" in value and "config" in value


# ----- reader ------------------------------------------------------------------------------------
def _allowed_module(module):
    return any(module == p or module.startswith(p + ".") for p in KERAS_PACKAGES)


def _custom(class_name, registered_name, custom_objects, bare=True):
    """The name under which the user supplied this class, or None.

    ``custom_objects`` first, then ``register_keras_serializable`` by its
    ``package>name`` (and by bare class name only if ``bare``).
    """
    for name in (registered_name, class_name):
        if name and custom_objects and name in custom_objects:
            return name
    if registered_name and ">" in registered_name and get_registered_object(registered_name) is not None:
        return registered_name
    if bare and class_name and get_registered_object(class_name) is not None:
        return class_name
    return None


def refuse_lambda(source, where):
    """Raise the refusal of Lambda code found at ``where``."""
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
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_CONFIG_INT:
        raise InvalidFileError(f"{source}: the number at {where[:200]} has {len(str(abs(value)))} digits; no "
                               "value in a model config is that large.", source, where[:200])
    if not isinstance(value, dict):
        return
    class_name = value.get("class_name")
    if "class_name" in value and not isinstance(class_name, str):
        raise InvalidFileError(f"{source}: `class_name` at {where[:200]} should be a string, found "
                               f"{str(class_name)[:80]!r} ({type(class_name).__name__}).", source, where[:200])
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
        raise InvalidFileError(f"{source}: a {family} config has no `class_name`: {str(spec)[:200]}", source)
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
    raise InvalidFileError(
        f"Unknown {family} class {class_name!r}{f' (layer {name!r})' if name else ''} in {source}. kerasette "
        "resolves class names only through its own registry. If this is your class, register it with "
        "@kerasette.saving.register_keras_serializable() or pass custom_objects={"
        f"{class_name!r}: {class_name}}} to load_model. Known layers: {layer_registry.names()}", source
    )


def _check_shape(value, source, layer, key, batch):
    """A shape from a config: a list of None or positive ints (the first is the batch size when ``batch``)."""
    problem = None
    if not isinstance(value, (list, tuple)) or not 0 < len(value) <= MAX_INPUT_RANK:
        problem = f"a list of at most {MAX_INPUT_RANK} sizes"
    elif not all(s is None or (isinstance(s, int) and not isinstance(s, bool) and s > 0) for s in value):
        problem = "positive ints or None"
    if problem:
        raise InvalidFileError(f"{source}: layer {layer!r} has an invalid `{key}`: expected {problem}. "
                               f"Received: {str(value)[:120]}", source, f"layer {layer!r}")
    sample = 1
    for size in value[1:] if batch else value:
        sample *= size or 1
    if sample * 4 > limits.max_model_bytes():
        raise InvalidFileError(f"{source}: layer {layer!r} declares inputs of shape {tuple(value)}, "
                               f"{limits.show(sample * 4)} per sample, over the limit of "
                               f"{limits.show(limits.max_model_bytes())} ({limits.MODEL_VARIABLE} raises it).",
                               source, f"layer {layer!r}")


def normalize_layer_config(class_name, config, source):
    """A layer's config with Keras dialect differences removed (see ``_NEUTRAL_KEYS``)."""
    if not isinstance(config, dict):
        raise InvalidFileError(f"{source}: the config of a {class_name} layer should be a JSON object, found "
                               f"{type(config).__name__} {str(config)[:80]}.", source)
    config = plain(dict(config))
    name = config.get("name")
    if name is not None and (not isinstance(name, str) or not name):
        raise InvalidFileError(f"{source}: a {class_name} layer has an invalid name {str(name)[:80]!r}; expected a "
                               "non-empty string.", source)
    for key, batch in (("batch_input_shape", True), ("batch_shape", True), ("input_shape", False),
                       ("shape", False)):
        if config.get(key) is not None:
            _check_shape(config[key], source, name, key, batch)
    dtype = config.get("dtype")
    if isinstance(dtype, dict) and isinstance(dtype.get("config"), dict):
        inner = dtype["config"]
        if dtype.get("class_name") == "QuantizedDTypePolicy":  # model.quantize: "int8_from_float32"
            dtype = f"{inner.get('mode')}_from_{inner.get('source_name')}"
        else:
            dtype = inner.get("name", "float32")
    if dtype == "mixed_bfloat16":
        raise InvalidFileError(f"{source}: layer {config.get('name')!r} uses the 'mixed_bfloat16' dtype policy, "
                               "which kerasette does not support (its backends have no bfloat16; "
                               "'mixed_float16' is supported).", source)
    if dtype is not None:
        config["dtype"] = dtype
    if class_name == "InputLayer":
        shape = config.pop("batch_shape", None)
        if shape is not None:
            config["batch_input_shape"] = shape
    if isinstance(config.get("axis"), list) and len(config["axis"]) == 1 and class_name == "BatchNormalization":
        config["axis"] = config["axis"][0]
    neutral_keys = dict(_NEUTRAL_KEYS, **_NEUTRAL_KEYS_BY_CLASS.get(class_name, {}))
    if class_name in _QUANTIZABLE_CLASSES:  # int8 layers take it (kerasette.quantizers)
        neutral_keys.pop("quantization_config")
    for key, neutral in neutral_keys.items():
        if key not in config:
            continue
        if neutral is _ANY or config[key] == neutral:
            del config[key]
        else:
            raise InvalidFileError(f"{source}: layer {config.get('name')!r} ({class_name}) sets "
                                   f"{key}={str(config[key])[:80]}, which kerasette does not support.", source)
    return config


def _tensor_history(item, source, layer):
    if is_object_config(item) and item["class_name"] == "__keras_tensor__" and isinstance(item["config"], dict):
        history = item["config"].get("keras_history")
        if isinstance(history, list) and len(history) == 3:
            return list(history)
    raise InvalidFileError(f"{source}: layer {layer!r} is called on a value kerasette cannot rebuild "
                           f"({str(item)[:120]}).", source, f"layer {layer!r}")


def _call_parameters(cls):
    """The keyword arguments ``cls.call`` takes (None when it takes ``**kwargs``)."""
    try:
        parameters = inspect.signature(cls.call).parameters
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
        return None
    return [name for name, p in list(parameters.items())[2:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _is_tensor_ref(value):
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(_is_index(i) for i in value[1:]))


def _tensor_argument(value, source, layer, key):
    """A call argument in kerasette's internal form: tensors as ``[layer, node, tensor]`` references."""
    if is_object_config(value) and value["class_name"] == "__keras_tensor__":  # Keras 3
        return _tensor_history(value, source, layer)
    if _is_tensor_ref(value):  # tf.keras 2 writes tensors in call arguments this way
        return list(value)
    if isinstance(value, list) and value and all(_is_tensor_ref(v) or is_object_config(v) for v in value):
        return [_tensor_argument(v, source, layer, key) for v in value]
    if isinstance(value, (dict, list)):
        raise InvalidFileError(f"{source}: layer {layer!r} is called with argument {key}={str(value)[:80]}, "
                               "which kerasette cannot rebuild.", source, f"layer {layer!r}")
    return value


def _call_kwargs(kwargs, source, layer, cls=None):
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, dict):
        raise InvalidFileError(f"{source}: layer {layer!r} has call arguments that are not a JSON object: "
                               f"{str(kwargs)[:80]}", source, f"layer {layer!r}")
    kwargs = dict(kwargs)
    kwargs.pop("training", None)
    if kwargs.get("mask", 0) is None:
        del kwargs["mask"]
    accepted = _call_parameters(cls) if cls is not None else None
    for key, value in list(kwargs.items()):
        kwargs[key] = _tensor_argument(value, source, layer, key)
        if accepted is not None and key not in accepted:
            raise InvalidFileError(f"{source}: layer {layer!r} is called with argument `{key}`, which "
                                   f"{cls.__name__}.call does not take (it takes {accepted}).", source,
                                   f"layer {layer!r}")
    return kwargs


def _positional_names(cls, count, source, layer):
    parameters = []
    if cls is not None:
        try:
            parameters = list(inspect.signature(cls.call).parameters.values())[2:]
        except (TypeError, ValueError):
            parameters = []
    if len(parameters) < count or any(p.kind == p.VAR_POSITIONAL for p in parameters[:count]):
        raise InvalidFileError(f"{source}: layer {layer!r} is called with {count} further positional argument(s) "
                               "that its `call` does not name; kerasette cannot rebuild the call.", source,
                               f"layer {layer!r}")
    return [p.name for p in parameters[:count]]


def _is_index(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def normalize_node(node, source, layer, cls=None):
    """One inbound node in kerasette's internal form ``[[layer, node, tensor, kwargs], ...]``."""
    if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
        args = node.get("args", [])
        if not isinstance(args, list):
            raise InvalidFileError(f"{source}: layer {layer!r} has an inbound node whose `args` is not a list: "
                                   f"{str(args)[:120]}", source, f"layer {layer!r}")
        kwargs = node.get("kwargs")
        if not args and isinstance(kwargs, dict) and cls is not None:  # the first argument by name: mha(query=q...)
            first = list(inspect.signature(cls.call).parameters)[1:2]
            if first and first[0] in kwargs:
                kwargs = dict(kwargs)
                args = [kwargs.pop(first[0])]
        if args and isinstance(args[0], list):  # a list first argument (a merge layer's inputs)
            flat, extra = args[0], args[1:]
        else:
            flat, extra = args[:1], args[1:]
        if extra and isinstance(kwargs, (dict, type(None))):  # further positional arguments: by their names
            names = _positional_names(cls, len(extra), source, layer)
            kwargs = {**(kwargs or {}), **dict(zip(names, extra))}
        kwargs = _call_kwargs(kwargs, source, layer, cls)
        refs = [_tensor_history(item, source, layer) + [{}] for item in flat]
    elif isinstance(node, list):  # Keras 2
        refs, kwargs = [], {}
        for ref in node:
            if not isinstance(ref, list) or len(ref) < 3 or ref[0] == "_CONSTANT_VALUE":
                raise InvalidFileError(f"{source}: layer {layer!r} has an inbound node kerasette cannot rebuild: "
                                       f"{str(ref)[:120]}", source, f"layer {layer!r}")
            kwargs = _call_kwargs(ref[3] if len(ref) > 3 else {}, source, layer, cls)
            refs.append(list(ref[:3]) + [{}])
    else:
        raise InvalidFileError(f"{source}: layer {layer!r} has a malformed inbound node: {str(node)[:120]}",
                               source, f"layer {layer!r}")
    if not refs:
        raise InvalidFileError(f"{source}: layer {layer!r} has an inbound node without inputs.", source,
                               f"layer {layer!r}")
    for ref in refs:
        if not isinstance(ref[0], str) or not all(_is_index(i) for i in ref[1:3]):
            raise InvalidFileError(f"{source}: layer {layer!r} has a malformed tensor reference {str(ref[:3])[:120]} "
                                   "(expected [layer name, node index, tensor index] with indices >= 0).",
                                   source, f"layer {layer!r}")
    refs[0][3] = kwargs
    return refs


def _is_keras_operation(spec):
    module = spec.get("module")
    return isinstance(module, str) and module.startswith("keras.src.ops.") and isinstance(spec.get("class_name"), str)


def _normalize_operation_spec(spec, source, functional):
    """A Keras 3 operation node (``ops.add`` on symbolic tensors...) as an ``OpLayer`` in kerasette's form."""
    key = (spec["module"].rsplit(".", 1)[1], spec["class_name"])
    op = OPERATIONS_BY_CLASS.get(key)
    config = spec.get("config") if isinstance(spec.get("config"), dict) else {}
    name = spec.get("name", config.get("name"))
    if op is None or not functional:
        raise InvalidFileError(f"{source}: node {name!r} is Keras operation {spec['module']}.{spec['class_name']}, "
                               "which kerasette cannot rebuild.", source, f"layer {name!r}")
    op_kwargs = op_layer.decode({k: v for k, v in config.items() if k not in ("name", "dtype", "trainable")})
    template, nodes = None, []
    for node in spec.get("inbound_nodes", []):
        if not isinstance(node, dict) or not isinstance(node.get("args", []), list):
            raise InvalidFileError(f"{source}: operation node {name!r} has a malformed inbound node.", source,
                                   f"layer {name!r}")
        refs = []
        arguments = {"args": _operation_argument(node.get("args", []), refs, source, name),
                     "kwargs": _operation_argument(node.get("kwargs") or {}, refs, source, name)}
        if op == "get_item" and len(arguments["args"]) > 1 and isinstance(arguments["args"][1], list):
            arguments["args"][1] = tuple(arguments["args"][1])  # Keras writes the index tuple as a list
        if not refs:
            raise InvalidFileError(f"{source}: operation node {name!r} is called on no tensor.", source)
        if template is not None and op_layer.encode(arguments) != op_layer.encode(template):
            raise InvalidFileError(f"{source}: operation {name!r} is called twice with different arguments, which "
                                   "kerasette cannot rebuild.", source, f"layer {name!r}")
        template = arguments
        nodes.append([ref + [{}] for ref in refs])
    inner = {"name": name, "op": op, "arguments": op_layer.encode(template), "op_kwargs": op_layer.encode(op_kwargs)}
    return {"class_name": "OpLayer", "config": inner, "name": name, "inbound_nodes": nodes, "_outputs": None}


def _operation_argument(value, refs, source, name):
    """A Keras op call argument with each ``__keras_tensor__`` replaced by a slot (its reference added to ``refs``)."""
    if is_object_config(value) and value["class_name"] == "__keras_tensor__":
        refs.append(_tensor_history(value, source, name))
        return {"__slot__": len(refs) - 1}
    if isinstance(value, list):
        return [_operation_argument(v, refs, source, name) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _operation_argument(v, refs, source, name) for k, v in value.items()}
    return op_layer.decode(value)


def _normalize_layer_spec(spec, custom_objects, source, functional):
    if not isinstance(spec, dict):
        raise InvalidFileError(f"{source}: malformed layer entry {str(spec)[:120]}", source)
    if _is_keras_operation(spec):
        return _normalize_operation_spec(spec, source, functional)
    key, cls = resolve_class(spec, custom_objects, source)
    inner = spec.get("config")
    inner = {} if inner is None else inner
    if is_model_class(cls):
        inner = normalize_model_inner(cls, inner, custom_objects, source)
    else:
        inner = normalize_layer_config(spec["class_name"], inner, source)
    out = {"class_name": key, "config": inner}
    if isinstance(spec.get("build_config"), dict):
        out["build_config"] = spec["build_config"]  # layers that override build_from_config get it (registry)
    if functional:
        out["name"] = spec.get("name", inner.get("name"))
        if not isinstance(out["name"], str) or not out["name"]:
            raise InvalidFileError(f"{source}: a layer entry has no valid name: {str(out['name'])[:80]!r}", source)
        if inner.get("name") not in (None, out["name"]):
            raise InvalidFileError(f"{source}: layer entry {out['name']!r} has config name {inner['name']!r}; the two "
                                   "must agree.", source, f"layer {out['name']!r}")
        nodes = spec.get("inbound_nodes", [])
        if not isinstance(nodes, list):
            raise InvalidFileError(f"{source}: layer {out['name']!r} has `inbound_nodes` that is not a list.",
                                   source, f"layer {out['name']!r}")
        out["inbound_nodes"] = [normalize_node(n, source, out["name"], cls) for n in nodes]
        out["_outputs"] = _output_count(cls, inner)
    return out


def _output_count(cls, inner):
    """How many tensors one call of a layer gives (a nested functional model: one per output)."""
    if is_model_class(cls) and not issubclass(cls, Sequential):
        outputs = inner.get("output_layers")
        if isinstance(outputs, dict):
            return len(outputs)
        return 1 if outputs and isinstance(outputs[0], str) else len(outputs or [None])
    return None  # a layer may give several outputs (return_state, attention scores): checked when rebuilt


def _check_refs(refs, source):
    if isinstance(refs, dict):
        for value in refs.values():
            _check_refs(value, source)
        return
    if not isinstance(refs, list) or not refs:
        raise InvalidFileError(f"{source}: malformed model input/output references {str(refs)[:80]}", source)
    items = [refs] if isinstance(refs[0], str) else refs
    for ref in items:
        if not (isinstance(ref, list) and len(ref) == 3 and isinstance(ref[0], str) and _is_index(ref[1])
                and _is_index(ref[2])):
            raise InvalidFileError(f"{source}: malformed model input/output reference {str(ref)[:80]}", source)


def _flat_refs(refs):
    if isinstance(refs, dict):
        return [ref for value in refs.values() for ref in _flat_refs(value)]
    return [refs] if isinstance(refs[0], str) else list(refs)


def _check_graph(layers, config, source):
    """Every reference names a layer of the model, a call it makes and a tensor that call gives."""
    names = [spec["name"] for spec in layers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidFileError(f"{source}: the layer name(s) {duplicates} are used by more than one layer of model "
                               f"{config.get('name')!r}; layer names must be unique.", source)
    by_name = {spec["name"]: spec for spec in layers}

    def check(ref, user):
        target = by_name.get(ref[0])
        if target is None:
            raise InvalidFileError(f"{source}: {user} refers to layer {ref[0]!r}, which the model does not have.",
                                   source, user)
        calls = max(len(target["inbound_nodes"]), 1)  # an InputLayer has no inbound node but one output
        if ref[1] >= calls:
            raise InvalidFileError(f"{source}: {user} uses call {ref[1]} of layer {ref[0]!r}, which is called "
                                   f"{calls} time(s).", source, user)
        if target["_outputs"] is not None and ref[2] >= target["_outputs"]:
            raise InvalidFileError(f"{source}: {user} uses output tensor {ref[2]} of layer {ref[0]!r}, which has "
                                   f"{target['_outputs']} output(s).", source, user)

    def argument_refs(value):
        if _is_tensor_ref(value):
            return [value]
        if isinstance(value, list):
            return [ref for item in value for ref in argument_refs(item)]
        return []

    for spec in layers:
        for node in spec["inbound_nodes"]:
            for ref in node:
                check(ref, f"layer {spec['name']!r}")
            for value in (node[0][3] if node else {}).values():
                for ref in argument_refs(value):
                    check(ref, f"layer {spec['name']!r}")
    for key in ("input_layers", "output_layers"):
        for ref in _flat_refs(config[key]):
            check(ref, f"the model's `{key}`")


def normalize_model_inner(cls, config, custom_objects, source):
    """A Sequential or functional model config in kerasette's internal form."""
    if isinstance(config, list):  # Keras <= 2.2.4 Sequential: a bare list of layers
        config = {"layers": config}
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise InvalidFileError(f"{source}: the model config has no `layers` list.")
    name, trainable = config.get("name"), config.get("trainable", True)
    if name is not None and (not isinstance(name, str) or not name):
        raise InvalidFileError(f"{source}: the model has an invalid name {str(name)[:80]!r}.", source)
    if not isinstance(trainable, bool):
        raise InvalidFileError(f"{source}: model {name!r} has `trainable` {str(trainable)[:40]!r}; expected true or "
                               "false.", source)
    if issubclass(cls, Sequential):
        layers = [_normalize_layer_spec(s, custom_objects, source, False) for s in config["layers"]]
        names = [spec["config"].get("name") for spec in layers if spec["config"].get("name")]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InvalidFileError(f"{source}: the layer name(s) {duplicates} are used by more than one layer of "
                                   f"model {name!r}; layer names must be unique.", source)
        out = {"name": name, "trainable": trainable, "layers": layers}
        if config.get("build_input_shape") is not None:
            _check_shape(config["build_input_shape"], source, name, "build_input_shape", True)
            out["build_input_shape"] = config["build_input_shape"]
        return out
    for key in ("input_layers", "output_layers"):
        if key not in config:
            raise InvalidFileError(f"{source}: the functional model config has no `{key}`.", source)
        _check_refs(config[key], source)
    layers = [_normalize_layer_spec(s, custom_objects, source, True) for s in config["layers"]]
    _check_graph(layers, config, source)
    for spec in layers:
        del spec["_outputs"]
    return {"name": name, "trainable": trainable, "layers": layers,
            "input_layers": config["input_layers"], "output_layers": config["output_layers"]}


def model_from_config(model_config, custom_objects=None, source="the file", budget=None):
    """Rebuild a model from a config in any Keras dialect (weights freshly initialized).

    Args:
        model_config: the parsed config.
        custom_objects: the user's classes and functions by name.
        source: how messages name the file.
        budget: a ``WeightBudget`` (default: one with ``limits.max_model_bytes()`` and no file sizes); every
            weight is checked against it before it is allocated.

    Raises:
        UnsafeFileError: Lambda code, a module outside the Keras packages, unsupported values.
        InvalidFileError: unknown classes or arguments, malformed configs, sizes over the budget (the
            message names ``source``).
    """
    if not isinstance(model_config, dict):
        raise InvalidFileError(f"{source}: the model config is not a JSON object.", source)
    check_tree(model_config, custom_objects, source)
    _, cls = resolve_class(model_config, custom_objects, source, family="model")
    if not is_model_class(cls):
        raise InvalidFileError(f"{source}: the top-level class {model_config.get('class_name')!r} is not a model.",
                               source)
    budget = budget or WeightBudget(source)
    if _own_config(cls, model_config.get("config")):
        return _model_from_own_config(cls, model_config, custom_objects, source, budget)
    inner = normalize_model_inner(cls, model_config.get("config"), custom_objects, source)
    build_shape = inner.pop("build_input_shape", None)
    try:
        with layer_module.checking_allocations(budget):
            model = cls.from_config(inner, custom_objects=custom_objects)
            if not model.built and build_shape is not None:
                model.build(tuple(build_shape))
    except InvalidFileError:
        raise
    except Exception as error:  # noqa: BLE001 - constructors raise TypeError, ValueError, KeyError...
        raise InvalidFileError(f"Cannot rebuild the model saved in {source}: {describe(error)}", source) from error
    return model


def _own_config(cls, config):
    """A registered model class whose config is its own constructor arguments (no recorded graph)."""
    return (isinstance(config, dict) and "layers" not in config and cls not in (Functional, Sequential)
            and not isinstance(config.get("layers"), list))


def _model_from_own_config(cls, model_config, custom_objects, source, budget):
    """``cls.from_config(config)`` then ``build_from_config``: how Keras 3 rebuilds subclassed models."""
    config = plain(model_config.get("config"))
    build_config = model_config.get("build_config")
    if build_config is not None and not isinstance(build_config, dict):
        raise InvalidFileError(f"{source}: the model's `build_config` is not a JSON object.", source)
    try:
        with layer_module.checking_allocations(budget):
            model = cls.from_config(config)
            model.build_from_config(build_config)
    except InvalidFileError:
        raise
    except Exception as error:  # noqa: BLE001 - the user's constructor and build may raise anything
        raise InvalidFileError(f"Cannot rebuild the model saved in {source} from its class "
                               f"{model_config.get('class_name')!r}: {describe(error)}", source) from error
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
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf8")
        except UnicodeDecodeError as error:
            raise InvalidFileError(f"{source}: the {what} is not UTF-8 text ({error}).", source, what) from None
    try:
        value = json.loads(text)
    except (ValueError, TypeError, RecursionError) as error:
        raise InvalidFileError(f"{source}: the {what} is not valid JSON ({str(error)[:200]}).", source,
                               what) from None
    return value
