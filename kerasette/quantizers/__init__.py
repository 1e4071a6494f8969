"""Quantization, as ``keras.quantizers``: quantizers, quantization configs, and post-training calibration.

``model.quantize("int8")`` stores the kernels of ``Dense``, ``EinsumDense`` and ``Embedding`` (Keras's int8
layers) and, beyond Keras, of ``Conv2D`` and ``DepthwiseConv2D`` in int8 with one float scale per output
channel; each quantized layer's policy becomes ``"int8_from_float32"`` and its file layout is Keras's
(``kernel`` int8, ``kernel_scale``; ``embeddings`` and ``embeddings_scale`` for ``Embedding``). Inputs are
quantized at each call as Keras does (one scale per row, along the contracted axes; per sample for the
convolutions); ``calibrate`` switches them to one static scale per layer measured on sample data.

On the numpy backend the integer products run as float32 GEMMs of the int8 values (numpy has no fast
int8 GEMM; the sums are exact up to a contraction length of 1024, and computed in float64 beyond). On
OpenCL, ``Dense`` and ``EinsumDense`` run an int8 GEMM kernel with int32 accumulation (it uses
``cl_khr_integer_dot_product`` where the device has it; PoCL on x86 does not, so plain int arithmetic
runs there); the convolutions run the float convolution kernels on the int8 values (exact sums).

Example:
    >>> import numpy as np
    >>> import kerasette as keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    >>> model.quantize("int8")
    >>> layer = model.layers[0]
    >>> layer.dtype_policy.name, layer.kernel.dtype, tuple(layer.kernel_scale.shape)
    ('int8_from_float32', 'int8', (3,))
"""

from __future__ import annotations

import inspect
from typing import Any

from kerasette.quantizers.calibration import calibrate
from kerasette.quantizers.quantization_config import Int8QuantizationConfig, QuantizationConfig
from kerasette.quantizers.quantizers import (
    AbsMaxQuantizer,
    Quantizer,
    abs_max_quantize,
    compute_float8_scale,
    quantize_and_dequantize,
)
from kerasette.quantizers.static_quantizer import StaticAbsMaxQuantizer
from kerasette.registry import Registry
from kerasette.utils.naming import to_snake_case

registry = Registry("quantizer")
for _cls in (Quantizer, AbsMaxQuantizer, QuantizationConfig, Int8QuantizationConfig, StaticAbsMaxQuantizer):
    registry.register(to_snake_case(_cls.__name__))(_cls)
_KERAS_CLASSES = ("Quantizer", "AbsMaxQuantizer", "QuantizationConfig", "Int8QuantizationConfig")


def serialize(quantizer: Any) -> Any:
    """A quantizer or quantization config as Keras 3 writes it, as ``keras.quantizers.serialize``.

    Args:
        quantizer: a ``Quantizer`` or ``QuantizationConfig``, or None.

    Returns:
        None, or ``{"module": "keras.quantizers", "class_name": ..., "config": ..., "registered_name": None}``
        (kerasette's own ``StaticAbsMaxQuantizer`` is written under ``kerasette.quantizers``).

    Example:
        >>> serialize(AbsMaxQuantizer(axis=0))["config"]
        {'value_range': (-127, 127), 'epsilon': 1e-07, 'output_dtype': 'int8', 'axis': (0,)}
    """
    if quantizer is None:
        return None
    name = type(quantizer).__name__
    module = "keras.quantizers" if name in _KERAS_CLASSES else "kerasette.quantizers"
    return {"module": module, "class_name": name, "config": quantizer.get_config(), "registered_name": None}


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """The quantizer or quantization config that ``serialize`` (or Keras) wrote.

    Args:
        config: an envelope ``{"class_name": ..., "config": ...}``, or None.
        custom_objects: optional dict of user quantizer classes by name.

    Returns:
        The object, or None.

    Raises:
        ValueError: the envelope names a class kerasette does not know (Keras's int4, float8, GPTQ and AWQ
            configs included).

    Example:
        >>> deserialize({"class_name": "AbsMaxQuantizer", "config": {"value_range": [-127, 127]}}).value_range
        (-127, 127)
    """
    if config is None:
        return None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret quantizer config: {config!r}. Expected a dict with 'class_name' and "
                         "'config'.")
    class_name = config["class_name"]
    if class_name not in registry.names() and not (custom_objects and class_name in custom_objects):
        raise ValueError(f"Unknown quantizer class {class_name!r}. kerasette implements int8 quantization: "
                         f"{sorted(n for n in registry.names() if n[0].isupper())}.")
    cls = registry.lookup(class_name, custom_objects)
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier: Any, **kwargs: Any) -> Any:
    """A quantizer from a name, a config or an instance, as ``keras.quantizers.get``.

    Args:
        identifier: None, a quantizer, a serialized config, or a class name (``"AbsMaxQuantizer"`` or
            ``"abs_max_quantizer"``).
        **kwargs: constructor arguments when ``identifier`` names a class.

    Returns:
        The quantizer (None for None).

    Raises:
        ValueError: the identifier cannot be interpreted.

    Example:
        >>> get("abs_max_quantizer", axis=0).axis
        (0,)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = registry.lookup(identifier) if identifier in registry.names() else None
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")


__all__ = [
    "AbsMaxQuantizer", "Int8QuantizationConfig", "QuantizationConfig", "Quantizer", "StaticAbsMaxQuantizer",
    "abs_max_quantize", "calibrate", "compute_float8_scale", "deserialize", "get", "quantize_and_dequantize",
    "serialize",
]
