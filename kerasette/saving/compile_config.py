"""Compile configurations: ``training_config`` (legacy .h5) and ``compile_config`` (.keras), both ways.

Writing records what ``compile`` was given (loss, metrics, loss weights and
the optimizer's config) in Keras's form; reading turns any Keras dialect of
it back into ``compile`` arguments: ``Custom>Adam`` (tf_keras 2.1x), Keras 3
``module`` envelopes, tf.keras 2's resolved ``MeanMetricWrapper`` metrics
nested per output, and ``reduction="auto"``.
"""

import numbers

from kerasette.registry import get_registered_object
from kerasette.saving.config_serialization import check_tree, is_object_config, plain
from kerasette.saving.errors import InvalidFileError, describe


def _serialized(obj, serialize, module, k3):
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [_serialized(item, serialize, module, k3) for item in obj]
    if isinstance(obj, dict):
        return {key: _serialized(value, serialize, module, k3) for key, value in obj.items()}
    value = serialize(obj)
    if k3 and isinstance(value, dict):
        value = {"module": module, **value, "registered_name": getattr(type(obj), "_registered_name", None)}
    return value


def training_config(model, k3=False):
    """The compile arguments as Keras writes them (``training_config`` in .h5, ``compile_config`` in .keras).

    Returns None for a model that was never compiled.
    """
    from kerasette import losses, metrics, optimizers

    args = getattr(model, "_compile_args", None)
    if not getattr(model, "compiled", False) or args is None or model.optimizer is None:
        return None
    optimizer = optimizers.serialize(model.optimizer)
    learning_rate = optimizer["config"].get("learning_rate")
    if isinstance(learning_rate, dict):  # Keras 3 needs the module on the schedule even in .h5 files
        optimizer["config"]["learning_rate"] = {"module": "keras.optimizers.schedules", **learning_rate,
                                                "registered_name": None}
    if k3:
        optimizer = {"module": "keras.optimizers", **optimizer, "registered_name": None}
    config = {
        "loss": _serialized(args["loss"], losses.serialize, "keras.losses", k3),
        "loss_weights": args["loss_weights"],
        "metrics": _serialized(args["metrics"], metrics.serialize, "keras.metrics", k3),
        "weighted_metrics": None,
    }
    if k3:
        config = {"optimizer": optimizer, **config, "run_eagerly": False, "steps_per_execution": 1,
                  "jit_compile": False}
    else:
        config["optimizer_config"] = optimizer
    return config


def compile_args_from_config(config, custom_objects=None, source="the file"):
    """``compile()`` keyword arguments from a ``training_config`` or ``compile_config``.

    Raises:
        InvalidFileError / UnsafeFileError: malformed, unknown or refused content (nothing is imported).
    """
    from kerasette import losses, metrics, optimizers

    if not isinstance(config, dict):
        raise InvalidFileError(f"The compile configuration in {source} should be a JSON object, found "
                               f"{type(config).__name__} {str(config)[:80]}.", source)
    check_tree(config, custom_objects, source)
    optimizer = config.get("optimizer_config", config.get("optimizer"))
    if optimizer is None:
        raise InvalidFileError(f"The compile configuration in {source} has no optimizer.", source)
    if not isinstance(optimizer, (str, dict)):
        raise InvalidFileError(f"The optimizer in the compile configuration of {source} should be a name or a "
                               f"config object, found {type(optimizer).__name__} {str(optimizer)[:80]}.", source)
    if isinstance(optimizer, dict):
        optimizer = plain(optimizer)
        if not isinstance(optimizer.get("config"), (dict, type(None))):
            raise InvalidFileError(f"The optimizer config in {source} should be a JSON object, found "
                                   f"{str(optimizer.get('config'))[:80]}.", source)
        class_name = optimizer.get("class_name", "")
        if class_name.startswith("Custom>") and get_registered_object(class_name, custom_objects) is None:
            optimizer["class_name"] = class_name[len("Custom>"):]  # tf_keras 2.1x registers Adam as Custom>Adam
        inner = dict(optimizer.get("config") or {})
        if "lr" in inner and "learning_rate" not in inner:  # Keras < 2.3
            inner["learning_rate"] = inner.pop("lr")
        optimizer["config"] = inner
    _check_kind(config, "loss", (str, dict, list), source)
    _check_kind(config, "metrics", (str, dict, list), source)
    weights = config.get("loss_weights")
    _check_kind(config, "loss_weights", (dict, list, numbers.Real), source)
    values = weights.values() if isinstance(weights, dict) else weights if isinstance(weights, list) else [weights]
    if weights is not None and not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        raise InvalidFileError(f"`loss_weights` in the compile configuration of {source} should hold numbers, "
                               f"found {str(weights)[:80]}.", source)
    loss = _objects(config.get("loss"), lambda c: losses.deserialize(c, custom_objects))
    metric_list = _metrics(config.get("metrics"), lambda c: metrics.deserialize(c, custom_objects))
    return {"optimizer": optimizers.get(optimizer, custom_objects), "loss": loss, "metrics": metric_list,
            "loss_weights": weights}


def _check_kind(config, key, kinds, source):
    value = config.get(key)
    if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)):
        raise InvalidFileError(f"`{key}` in the compile configuration of {source} has the wrong type: "
                               f"{type(value).__name__} {str(value)[:80]}.", source)


def _objects(value, deserialize):
    """Deserialize serialized objects inside a loss spec, keeping names and per-output structure."""
    value = plain(value)
    if is_object_config(value):
        config = dict(value["config"])
        if config.get("reduction") == "auto":  # tf.keras 2's default means sum_over_batch_size
            config["reduction"] = "sum_over_batch_size"
        return deserialize(dict(value, config=config))
    if isinstance(value, list):
        return [_objects(v, deserialize) for v in value]
    if isinstance(value, dict):
        return {k: _objects(v, deserialize) for k, v in value.items()}
    return value


def _metrics(value, deserialize):
    """Metrics specs; tf.keras 2 writes resolved ``MeanMetricWrapper`` configs nested per output."""
    value = plain(value)
    if is_object_config(value) and value["class_name"] == "MeanMetricWrapper":
        name, fn = value["config"].get("name"), value["config"].get("fn")
        return name if name in ("accuracy", "acc") or fn is None else fn
    if is_object_config(value):
        return deserialize(value)
    if isinstance(value, list):
        items = [_metrics(v, deserialize) for v in value]
        if len(items) == 1 and isinstance(items[0], list):  # [[...]] for a single output
            return items[0]
        return items
    if isinstance(value, dict):
        return {k: _metrics(v, deserialize) for k, v in value.items()}
    return value


def compile_from_config(model, config, custom_objects=None, source="the file"):
    """Compile ``model`` from a saved training/compile config (as Keras 3 does, a failure is an error).

    Raises:
        InvalidFileError: the configuration is malformed, names classes kerasette does not know (pass them in
            ``custom_objects``), or holds invalid arguments; ``load_model(..., compile=False)`` skips it.
    """
    try:
        args = compile_args_from_config(config, custom_objects, source)
        model.compile(**args)
    except InvalidFileError:
        raise
    except Exception as error:  # noqa: BLE001 - constructors raise TypeError, ValueError, KeyError...
        raise InvalidFileError(f"The compile configuration in {source} cannot be restored: {describe(error)}. "
                               "Load the model with `compile=False` to skip it (and call `compile` yourself).",
                               source) from error
