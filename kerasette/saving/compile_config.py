"""Compile configurations: ``training_config`` (legacy .h5) and ``compile_config`` (.keras), both ways.

Writing records what ``compile`` was given (loss, metrics, loss weights and
the optimizer's config) in Keras's form; reading turns any Keras dialect of
it back into ``compile`` arguments: ``Custom>Adam`` (tf_keras 2.1x), Keras 3
``module`` envelopes, tf.keras 2's resolved ``MeanMetricWrapper`` metrics
nested per output, and ``reduction="auto"``.
"""

import warnings

from kerasette.registry import get_registered_object
from kerasette.saving.config_serialization import check_tree, is_object_config, plain
from kerasette.saving.safe_h5 import UnsafeFileError


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
        ValueError / UnsafeFileError: unknown or refused classes (nothing is imported).
    """
    from kerasette import losses, metrics, optimizers

    check_tree(config, custom_objects, source)
    optimizer = config.get("optimizer_config", config.get("optimizer"))
    if optimizer is None:
        raise ValueError(f"The compile configuration in {source} has no optimizer.")
    if isinstance(optimizer, dict):
        optimizer = plain(optimizer)
        class_name = optimizer.get("class_name", "")
        if class_name.startswith("Custom>") and get_registered_object(class_name, custom_objects) is None:
            optimizer["class_name"] = class_name[len("Custom>"):]  # tf_keras 2.1x registers Adam as Custom>Adam
        inner = dict(optimizer.get("config") or {})
        if "lr" in inner and "learning_rate" not in inner:  # Keras < 2.3
            inner["learning_rate"] = inner.pop("lr")
        optimizer["config"] = inner
    loss = _objects(config.get("loss"), lambda c: losses.deserialize(c, custom_objects))
    metric_list = _metrics(config.get("metrics"), lambda c: metrics.deserialize(c, custom_objects))
    return {"optimizer": optimizers.get(optimizer, custom_objects), "loss": loss, "metrics": metric_list,
            "loss_weights": config.get("loss_weights")}


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
    """Compile ``model`` from a saved training/compile config; returns True on success.

    Refused content (Lambda, foreign modules) raises. Anything else that
    kerasette cannot rebuild (an unknown loss class, say) leaves the model
    uncompiled with a warning, as Keras does.
    """
    try:
        args = compile_args_from_config(config, custom_objects, source)
        model.compile(**args)
    except UnsafeFileError:
        raise
    except (TypeError, ValueError, KeyError) as error:
        warnings.warn(f"The model in {source} was loaded but not compiled: its compile configuration could not be "
                      f"restored ({error}). Call `model.compile(...)` yourself.", stacklevel=3)
        return False
    return True
