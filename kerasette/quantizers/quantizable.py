"""``Int8Quantizable``: what a layer needs to be quantized to int8.

Dense, EinsumDense, Embedding and the convolutions share it.

A quantizable layer class lists ``Int8Quantizable`` before its base (``class Dense(Int8Quantizable, Layer)``)
and implements three hooks: ``_int8_build(kernel_shape)`` creates the int8 variables (a layer built
under an ``"int8_from_..."`` policy, as when a quantized model is loaded), ``_int8_quantize(config)``
turns its float kernel into them, and ``_int8_call(inputs)`` computes. The mixin holds the quantized
policy, checks ``quantize``'s arguments as Keras does, swaps the float kernel for the int8 variables,
orders the variables as Keras saves them (``_QUANTIZED_VARIABLES``) and writes the policy and the
``quantization_config`` into the layer's config.
"""

from __future__ import annotations

from typing import Any

from kerasette.quantizers.dtype_policy import QuantizedDTypePolicy, is_quantized_config
from kerasette.quantizers.dtype_policy import serialize as serialize_policy
from kerasette.quantizers.quantization_config import QuantizationConfig, resolve_config


def check_quantize_args(layer: Any, mode: str) -> None:
    """Raise as Keras's ``Layer._check_quantize_args`` does before a layer is quantized.

    Args:
        layer: the layer.
        mode: the resolved quantization mode.

    Raises:
        ValueError: the layer is not built, is already quantized, or computes in float16.
    """
    if not layer.built:
        raise ValueError(f"Cannot quantize a layer that isn't yet built. Layer '{layer.name}' (of type "
                         f"'{type(layer).__name__}') is not built yet.")
    if layer.quantization_mode is not None:
        raise ValueError(f"Layer '{layer.name}' is already quantized with dtype_policy='{layer.dtype_policy.name}'. "
                         f"Received: mode={mode}")
    if mode == "int8" and layer.compute_dtype == "float16":
        raise ValueError(f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'. Consider "
                         "loading model/layer with another dtype policy such as 'mixed_bfloat16' or "
                         "'mixed_float16' before calling `quantize()`.")


def not_implemented(layer: Any, method: str) -> NotImplementedError:
    """Keras's error for a layer without a quantization method (``Model.quantize`` turns it into a warning).

    Args:
        layer: the layer.
        method: the method's name, such as ``"quantize"``.

    Returns:
        The error to raise.
    """
    return NotImplementedError(f"Layer {type(layer).__name__} does not have a `{method}` method implemented.")


class Int8Quantizable:
    """Mixin giving a layer Keras's int8 ``quantize``; see the module docstring for the hooks.

    Args:
        *args: the layer's own positional arguments.
        quantization_config: a ``QuantizationConfig`` (or its serialized form, as in saved configs) for a
            layer created already quantized; None otherwise.
        **kwargs: the layer's keyword arguments. ``dtype`` may be a quantized policy (``"int8_from_float32"``,
            a ``QuantizedDTypePolicy`` or its config): the layer is then built with int8 variables.
    """

    _QUANTIZED_VARIABLES = ("kernel", "bias", "kernel_scale")  # Keras's save order in int8 mode
    _ALWAYS_WRITE_QUANTIZATION_CONFIG = True  # Keras's Dense, EinsumDense and Embedding write it even when None

    def __init__(self, *args: Any, quantization_config: Any = None, **kwargs: Any) -> None:
        from kerasette import dtype_policies
        from kerasette.quantizers import deserialize

        policy = kwargs.get("dtype")
        if isinstance(policy, str) and "_from_" in policy and policy.startswith(dtype_policies.QUANTIZATION_MODES) \
                or is_quantized_config(policy):
            policy = dtype_policies.get(policy)
        if isinstance(policy, QuantizedDTypePolicy):
            kwargs["dtype"] = policy._source_name
        else:
            policy = None
        super().__init__(*args, **kwargs)
        self._quantized_policy = policy
        if isinstance(quantization_config, dict):
            quantization_config = deserialize(quantization_config)
        if quantization_config is not None and not isinstance(quantization_config, QuantizationConfig):
            raise ValueError(f"Invalid value for argument `quantization_config` of layer `{self.name}`. Expected a "
                             f"`QuantizationConfig` or None. Received: quantization_config={quantization_config!r}")
        self.quantization_config = quantization_config

    @property
    def dtype_policy(self) -> Any:
        """The layer's policy: ``QuantizedDTypePolicy`` (``"int8_from_float32"``) once quantized."""
        policy = getattr(self, "_quantized_policy", None)
        return policy if policy is not None else super().dtype_policy

    @property
    def quantization_mode(self) -> str | None:
        """``"int8"`` once quantized, else None."""
        policy = getattr(self, "_quantized_policy", None)
        return None if policy is None else policy.quantization_mode

    def quantize(self, mode: str | None = None, type_check: bool = True, config: Any = None) -> None:
        """Quantize the layer's kernel to int8 in place, as Keras's ``layer.quantize``.

        The float kernel is replaced by an int8 ``kernel`` (trainable=False) and a float ``kernel_scale``
        (one multiplier per output channel: ``127 / max |w|``); the layer's policy becomes
        ``"int8_from_<its policy>"``. Other weights (the bias) stay float and trainable.

        Args:
            mode: ``"int8"`` (or None with a ``config``).
            type_check: refuse subclasses of the layer class, as Keras does (their ``call`` may differ).
            config: an ``Int8QuantizationConfig`` choosing the weight and input quantizers, or None.

        Raises:
            ValueError: no mode, an unknown mode, a layer not built or already quantized (Keras's messages).
            NotImplementedError: a Keras mode other than int8, or a subclass under ``type_check``.
        """
        config = resolve_config(mode, config)
        check_quantize_args(self, config.mode)
        if type_check and type(self) is not self._quantizable_class():
            raise not_implemented(self, "quantize")
        self.quantization_config = config
        self._int8_quantize(config)
        self._quantized_policy = QuantizedDTypePolicy(config.mode, super().dtype_policy.name)

    @classmethod
    def _quantizable_class(cls):
        """The kerasette layer class (``Dense``...): a subclass of it must pass ``type_check=False``."""
        return next(c for c in cls.__mro__ if c.__module__.startswith("kerasette.layers."))

    def _replace_weight(self, old: Any, shape: Any, dtype: str, name: str, initializer: Any = "zeros") -> Any:
        """Drop ``old`` (and its regularization) from the layer and add a frozen variable in its place.

        Returns:
            The new variable (added last, so the layer's weights read in Keras's order).
        """
        if old is not None:
            self._weights = [v for v in self._weights if v is not old]
            self._declared_trainable.pop(id(old), None)
            self._regularized = [(r, v) for r, v in self._regularized if v is not old]
        return self.add_weight(shape, initializer, dtype=dtype, trainable=False, name=name)

    def _own_variables(self) -> list:
        """Keras's save order: ``kernel, bias, kernel_scale`` once quantized (the bias only if used)."""
        if self.quantization_mode is None:
            return super()._own_variables()
        found = (getattr(self, name, None) for name in self._QUANTIZED_VARIABLES)
        return [v for v in found if v is not None]

    def get_config(self) -> dict:
        """The layer's config, with the quantized policy and ``quantization_config`` as Keras writes them.

        Returns:
            A dict.
        """
        config = super().get_config()
        if self._quantized_policy is not None:
            config["dtype"] = serialize_policy(self._quantized_policy)
        if self._ALWAYS_WRITE_QUANTIZATION_CONFIG or self.quantization_config is not None:
            from kerasette.quantizers import serialize

            config["quantization_config"] = serialize(self.quantization_config)
        return config
