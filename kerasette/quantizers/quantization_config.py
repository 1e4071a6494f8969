"""Quantization configs, as ``keras.quantizers.QuantizationConfig`` and ``Int8QuantizationConfig``.

A config names the quantizer of a layer's weights and of its inputs; ``model.quantize(config=...)`` and
the layers' ``quantization_config`` argument take one, and a quantized layer writes it into its config
(Keras 3.15 writes ``Int8QuantizationConfig`` for every int8 layer), so files carry it both ways.
"""

from __future__ import annotations

from typing import Any

from kerasette.dtype_policies import QUANTIZATION_MODES
from kerasette.quantizers.quantizers import AbsMaxQuantizer


class QuantizationConfig:
    """The base class of quantization configs, as ``keras.quantizers.QuantizationConfig``.

    Subclasses define ``mode``.

    Args:
        weight_quantizer: the quantizer of the weights, or None for the layer's default.
        activation_quantizer: the quantizer of the inputs, or None to leave the inputs in float (weight-only
            quantization).
    """

    def __init__(self, weight_quantizer: Any = None, activation_quantizer: Any = None) -> None:
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self) -> str:
        """The quantization mode (``"int8"``...); subclasses define it."""
        raise NotImplementedError("Subclasses must implement this property. Do not instantiate QuantizationConfig "
                                  "directly.")

    def get_config(self) -> dict:
        """The two quantizers, serialized as Keras writes them.

        Returns:
            ``{"weight_quantizer": ..., "activation_quantizer": ...}``.
        """
        from kerasette.quantizers import serialize

        return {"weight_quantizer": serialize(self.weight_quantizer),
                "activation_quantizer": serialize(self.activation_quantizer)}

    @classmethod
    def from_config(cls, config: dict) -> "QuantizationConfig":
        """The config that ``get_config`` describes.

        Args:
            config: ``{"weight_quantizer": ..., "activation_quantizer": ...}``.

        Returns:
            A new config.
        """
        from kerasette.quantizers import deserialize

        return cls(weight_quantizer=deserialize(config.get("weight_quantizer")),
                   activation_quantizer=deserialize(config.get("activation_quantizer")))

    @staticmethod
    def weight_quantizer_or_default(config: Any, default: Any) -> Any:
        """``config.weight_quantizer``, or ``default`` when there is no config or it names none.

        Args:
            config: a ``QuantizationConfig`` or None.
            default: the layer's default weight quantizer.

        Returns:
            A quantizer.
        """
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config: Any, default: Any) -> Any:
        """``config.activation_quantizer`` (None included), or ``default`` when there is no config.

        Args:
            config: a ``QuantizationConfig`` or None.
            default: the layer's default input quantizer.

        Returns:
            A quantizer, or None (inputs stay in float).
        """
        if config is not None:
            return config.activation_quantizer
        return default


class Int8QuantizationConfig(QuantizationConfig):
    """The int8 quantization config, as ``keras.quantizers.Int8QuantizationConfig``.

    Args:
        weight_quantizer: the weights' quantizer (its ``output_dtype`` must be ``"int8"``), or None for the
            layer's default (per output channel absolute maximum).
        activation_quantizer: the inputs' quantizer; ``"default"`` (the default) is ``AbsMaxQuantizer()``,
            None leaves the inputs in float.

    Raises:
        ValueError: ``weight_quantizer`` does not produce int8.

    Example:
        >>> config = Int8QuantizationConfig()
        >>> config.mode, type(config.activation_quantizer).__name__
        ('int8', 'AbsMaxQuantizer')
    """

    def __init__(self, weight_quantizer: Any = None, activation_quantizer: Any = "default") -> None:
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if self.weight_quantizer is not None and getattr(self.weight_quantizer, "output_dtype", None) != "int8":
            raise ValueError("Int8QuantizationConfig requires a weight_quantizer with output_dtype='int8'. Received: "
                             f"output_dtype={getattr(self.weight_quantizer, 'output_dtype', None)}")

    @property
    def mode(self) -> str:
        """``"int8"``."""
        return "int8"


def resolve_config(mode: Any, config: Any) -> QuantizationConfig:
    """The config a ``quantize(mode, config)`` call means, checked as Keras's ``validate_and_resolve_config``.

    Args:
        mode: a quantization mode name, or None when ``config`` says it.
        config: a ``QuantizationConfig``, a mode name (Keras's old shortcut), or None for the mode's default.

    Returns:
        The config (``Int8QuantizationConfig()`` for ``mode="int8"`` without one).

    Raises:
        ValueError: neither is given, the mode is unknown, ``config`` is not a config, or they disagree.
        NotImplementedError: a Keras mode other than int8 (kerasette implements int8 only).
    """
    if isinstance(config, str):
        mode, config = config, None
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: mode={mode}")
    if config is None:
        if mode is None:
            raise ValueError("You must provide either `mode` or `config` to `quantize`.")
        check_mode_implemented(mode)
        return Int8QuantizationConfig()
    if not isinstance(config, QuantizationConfig):
        raise ValueError("Argument `config` must be an instance of `QuantizationConfig`. "
                         f"Received: config={config} (of type {type(config)})")
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")
    check_mode_implemented(config.mode)
    return config


def check_mode_implemented(mode: str) -> None:
    """Raise NotImplementedError naming ``mode`` unless it is ``"int8"``.

    Args:
        mode: one of Keras's quantization modes.

    Raises:
        NotImplementedError: ``mode`` is ``"float8"``, ``"int4"``, ``"gptq"`` or ``"awq"``.
    """
    if mode != "int8":
        raise NotImplementedError(f"Quantization mode {mode!r} is not implemented by kerasette: it implements Keras's "
                                  "'int8' mode only (int8 kernels with per-channel scales). Use "
                                  "`quantize('int8')`.")
