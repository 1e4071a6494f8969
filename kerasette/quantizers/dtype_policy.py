"""``QuantizedDTypePolicy``: the policy of a quantized layer, named ``"<mode>_from_<source policy>"``.

``kerasette.dtype_policies`` exposes it (``dtype_policies.get("int8_from_float32")``, configs with
``class_name: "QuantizedDTypePolicy"``); it lives here, apart from the float policies.
"""

from __future__ import annotations

from typing import Any

from kerasette.dtype_policies import QUANTIZATION_MODES, DTypePolicy, dtype_policy


class QuantizedDTypePolicy(DTypePolicy):
    """A quantized layer's dtype policy, as ``keras.dtype_policies.QuantizedDTypePolicy``.

    ``model.quantize("int8")`` gives each quantized layer ``QuantizedDTypePolicy("int8", "float32")``, named
    ``"int8_from_float32"``: the layer stores its kernel in int8 and computes in the source policy's dtype.
    A layer created with such a policy (as when a saved quantized model is loaded) creates its int8
    variables at build.

    Args:
        mode: the quantization mode: ``"int8"`` (Keras's other modes, ``"float8"``, ``"int4"``, ``"gptq"`` and
            ``"awq"``, are not implemented by kerasette and raise).
        source_name: the name of the float policy the layer had, such as ``"float32"``. None: the global
            policy's name.

    Raises:
        ValueError: ``mode`` is not a Keras quantization mode, or int8 meets a float16 compute dtype (as in
            Keras).
        NotImplementedError: a Keras mode other than ``"int8"``.

    Example:
        >>> policy = QuantizedDTypePolicy("int8", "float32")
        >>> policy, policy.quantization_mode, policy.compute_dtype, policy.get_config()
        (<QuantizedDTypePolicy "int8_from_float32">, 'int8', 'float32', {'mode': 'int8', 'source_name': 'float32'})
    """

    def __init__(self, mode: str, source_name: str | None = None) -> None:
        if source_name is None:
            source_name = dtype_policy().name
        self._compute_dtype, self._variable_dtype = self._parse_name(source_name)
        if mode not in QUANTIZATION_MODES:
            raise ValueError(f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: mode={mode}")
        if self._compute_dtype == "float16" and mode == "int8":
            raise ValueError(f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'.")
        from kerasette.quantizers.quantization_config import check_mode_implemented

        check_mode_implemented(mode)
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    @property
    def quantization_mode(self) -> str:
        """The quantization mode, ``"int8"``."""
        return self._quantization_mode

    def get_config(self) -> dict:
        """``{"mode": ..., "source_name": ...}``, as Keras writes it.

        Returns:
            A dict.
        """
        return {"mode": self._quantization_mode, "source_name": self._source_name}

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._name == other._name

    def __hash__(self) -> int:
        return hash(("QuantizedDTypePolicy", self._name))


def from_name(name: str) -> QuantizedDTypePolicy:
    """The policy a name like ``"int8_from_float32"`` names, as Keras's ``dtype_policies.get`` parses it.

    Args:
        name: ``"<mode>_from_<source policy name>"``.

    Returns:
        A ``QuantizedDTypePolicy``.

    Raises:
        ValueError: the name does not split into a mode and a source policy.
        NotImplementedError: a Keras mode other than int8.
    """
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError("Cannot convert `policy` into a valid pair (`mode`, `source_name`) to instantiate "
                         f"`QuantizedDTypePolicy`. Received: policy={name}")
    mode, source_name = parts
    return QuantizedDTypePolicy(mode.split("/")[0] if mode.startswith("int4") else mode, source_name)


def serialize(policy: QuantizedDTypePolicy) -> dict:
    """The policy's envelope as Keras 3 writes it into a layer's config.

    Args:
        policy: the policy.

    Returns:
        ``{"module": "keras.dtype_policies", "class_name": "QuantizedDTypePolicy", "config": {...},
        "registered_name": None}``.
    """
    return {"module": "keras.dtype_policies", "class_name": "QuantizedDTypePolicy", "config": policy.get_config(),
            "registered_name": None}


def is_quantized_config(value: Any) -> bool:
    """Whether ``value`` is a serialized quantized policy (any of Keras's quantized policy classes).

    Args:
        value: a layer config's ``dtype`` entry.

    Returns:
        A bool.
    """
    return isinstance(value, dict) and value.get("class_name") in QUANTIZED_CLASSES


QUANTIZED_CLASSES = ("QuantizedDTypePolicy", "QuantizedFloat8DTypePolicy", "Int4DTypePolicy", "GPTQDTypePolicy",
                     "AWQDTypePolicy")
