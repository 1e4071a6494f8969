"""Dtype policies, named as in ``keras.dtype_policies``: which dtype a layer computes in and keeps its weights in.

Keras's uniform policies: ``"float32"`` (the default), ``"float64"``, ``"float16"`` (numpy backend only: the
OpenCL kernels have no half versions yet), and the integer and bool dtypes, where ``compute_dtype`` and
``variable_dtype`` are the same; and the mixed-precision policy ``"mixed_float16"``: float16 computations,
float32 weights (see ``kerasette.mixed_precision``). ``"mixed_bfloat16"`` raises: no kerasette backend
stores bfloat16 (numpy has no such dtype). ``QuantizedDTypePolicy`` (``"int8_from_float32"``, what
``model.quantize("int8")`` gives a layer) is in ``kerasette.quantizers.dtype_policy``; Keras's other quantized
policies (``QuantizedFloat8DTypePolicy``, ``Int4DTypePolicy``, ``GPTQDTypePolicy``, ``AWQDTypePolicy``) and
``DTypePolicyMap`` are not implemented: asking for them raises.

>>> from kerasette import dtype_policies, layers
>>> policy = dtype_policies.DTypePolicy("float64")
>>> policy, policy.compute_dtype, policy.variable_dtype
(<DTypePolicy "float64">, 'float64', 'float64')
>>> layers.Dense(2, dtype=policy).dtype
'float64'
"""

from __future__ import annotations

from typing import Any

from kerasette import dtypes

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")
MIXED_PRECISION_POLICIES = ("mixed_float16", "mixed_bfloat16")
# Keras dtypes that no kerasette backend stores: a policy naming one is refused ("string" is allowed: the
# policy of a text input, which stays on the host).
_UNSUPPORTED = ("bfloat16", "float8_e4m3fn", "float8_e5m2", "complex64", "complex128")
_NOT_IMPLEMENTED = ("QuantizedFloat8DTypePolicy", "Int4DTypePolicy", "GPTQDTypePolicy", "AWQDTypePolicy",
                    "DTypePolicyMap")  # QuantizedDTypePolicy (int8) lives in kerasette.quantizers.dtype_policy
_state = {"policy": None}


class DTypePolicy:
    """A dtype policy for a layer: the dtype of its computations and of its weights, as ``keras.DTypePolicy``.

    Pass one as a layer's ``dtype`` (``layers.Dense(4, dtype=DTypePolicy("float64"))``, the same as
    ``dtype="float64"``), or make it the default of layers created afterwards with
    ``keras.config.set_dtype_policy``. A dtype name makes a uniform policy: ``compute_dtype`` and
    ``variable_dtype`` are both that dtype. ``"mixed_float16"`` computes in float16 and keeps the
    weights in float32 (mixed precision).

    Args:
        name: ``"mixed_float16"``, or a dtype name such as ``"float32"`` or ``"float64"`` (also
            ``"float16"``, an integer dtype or ``"bool"``). None: the name of the global policy
            (``keras.config.dtype_policy()``). ``"mixed_bfloat16"`` raises: kerasette's backends
            have no bfloat16.

    Raises:
        TypeError: ``name`` is not a string.
        ValueError: ``name`` is ``"mixed_bfloat16"``, a dtype kerasette cannot compute in (bfloat16,
            float8, complex), or not a dtype.

    Example:
        >>> policy = DTypePolicy("float32")
        >>> policy.name, policy.get_config()
        ('float32', {'name': 'float32'})
        >>> DTypePolicy.from_config({"name": "float64"}) == DTypePolicy("float64")
        True
        >>> mixed = DTypePolicy("mixed_float16")
        >>> mixed.compute_dtype, mixed.variable_dtype
        ('float16', 'float32')
    """

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = self._parse_name(name)
        self._quantization_mode = None

    def _parse_name(self, name):
        """``(compute_dtype, variable_dtype)`` for the policy ``name``."""
        if not isinstance(name, str):
            raise TypeError(f"'name' must be a string, such as 'float32'. Received: name={name!r} (of type "
                            f"{type(name)})")
        if name == "mixed_float16":
            return "float16", "float32"
        if name == "mixed_bfloat16":
            raise ValueError("Invalid dtype policy 'mixed_bfloat16': kerasette's backends have no bfloat16 dtype "
                             "(numpy has none, and the OpenCL kernels store no bfloat16). Use 'mixed_float16' for "
                             "mixed precision, or 'float32'.")
        try:
            dtype = dtypes.standardize_dtype(name)
        except ValueError:
            raise ValueError(f"Cannot convert {name!r} to a DTypePolicy. Valid policies are the name of a float "
                             "dtype such as 'float32' or 'float64' (or an integer dtype, or 'bool').") from None
        if dtype in _UNSUPPORTED:
            raise ValueError(f"Invalid dtype policy {name!r}: kerasette's backends cannot compute in {dtype}. Use "
                             "'float32', 'float64' or 'float16' (numpy backend).")
        return dtype, dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype of the layer's weights (float32 for ``"mixed_float16"``, else ``compute_dtype``)."""
        return self._variable_dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations and outputs (float inputs are cast to it)."""
        return self._compute_dtype

    @property
    def name(self) -> str:
        """The policy's name, as given."""
        return self._name

    @property
    def quantization_mode(self) -> str | None:
        """The quantization mode: None for a float policy (``QuantizedDTypePolicy`` says ``"int8"``)."""
        return self._quantization_mode

    def convert_input(self, x: Any, autocast: bool, dtype: Any) -> Any:
        """``x`` as a tensor, cast to ``dtype`` if it is a float of another dtype and ``autocast`` is True.

        Integer, bool and string inputs are never cast, as in Keras. Symbolic tensors pass through.

        Args:
            x: a Tensor, a numpy array or anything ``ops.convert_to_tensor`` takes.
            autocast: whether float inputs are cast.
            dtype: the dtype float inputs are cast to (a layer's ``compute_dtype``).

        Returns:
            A Tensor (or ``x`` itself when it is symbolic, a string array or not array-like).

        Example:
            >>> import numpy as np
            >>> policy = DTypePolicy("mixed_float16")
            >>> policy.convert_input(np.ones(2, "float32"), True, "float16").dtype
            'float16'
            >>> policy.convert_input(np.ones(2, "int32"), True, "float16").dtype
            'int32'
        """
        from kerasette import ops
        from kerasette.layers.node import KerasTensor

        if isinstance(x, KerasTensor) or not (ops.is_tensor(x) or hasattr(x, "__array__")):
            return x
        if not ops.is_tensor(x) and getattr(x, "dtype", None) is not None and x.dtype.kind in "USO":
            return x
        x = ops.convert_to_tensor(x)
        dtype = dtypes.standardize_dtype(dtype)
        if autocast and dtypes.is_float_dtype(x.dtype) and x.dtype != dtype:
            x = ops.cast(x, dtype)
        return x

    def get_config(self) -> dict:
        """The policy's constructor arguments, ``{"name": ...}``.

        Returns:
            A dict.
        """
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> "DTypePolicy":
        """The policy that ``get_config`` describes.

        Args:
            config: ``{"name": ...}``.

        Returns:
            A new policy.
        """
        return cls(**config)

    def __repr__(self) -> str:
        class_name = "DTypePolicy" if type(self) is FloatDTypePolicy else type(self).__name__
        return f'<{class_name} "{self._name}">'

    def __eq__(self, other: Any) -> bool:
        if type(other) not in (DTypePolicy, FloatDTypePolicy) and type(other) is not type(self):
            return False
        return self._name == other._name

    def __hash__(self) -> int:
        return hash(("DTypePolicy", self._name))


class FloatDTypePolicy(DTypePolicy):
    """Another name of ``DTypePolicy``, as ``keras.FloatDTypePolicy``.

    Args:
        name: see ``DTypePolicy``.
    """


def dtype_policy() -> DTypePolicy:
    """The global dtype policy: the default of layers created without ``dtype``, as ``keras.config.dtype_policy``.

    Returns:
        A ``DTypePolicy``, ``<DTypePolicy "float32">`` unless ``set_dtype_policy`` changed it.
    """
    if _state["policy"] is None:
        _state["policy"] = DTypePolicy(dtypes.standardize_dtype(None))
    return _state["policy"]


def set_dtype_policy(policy: Any) -> None:
    """Set the global dtype policy, the dtype of layers created afterwards, as ``keras.config.set_dtype_policy``.

    Layers given a ``dtype`` keep it; ``keras.Input`` stays float32 (``keras.config.floatx()``), and the
    first layer casts its float inputs, as in Keras. ``keras.backend.clear_session()`` restores float32.

    Args:
        policy: a policy name (``"float64"``...) or a ``DTypePolicy``.

    Raises:
        ValueError: ``policy`` is neither, names ``"mixed_bfloat16"`` or a quantized policy (quantize a built
            model or layer with ``quantize("int8")`` instead), or computes in a dtype that the active backend
            cannot store (float16 on OpenCL).

    Example:
        >>> from kerasette import config, layers
        >>> config.set_dtype_policy("float64")
        >>> layers.Dense(2).dtype, layers.Dense(2, dtype="float32").dtype
        ('float64', 'float32')
        >>> config.set_dtype_policy("float32")
    """
    if not isinstance(policy, DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError("Invalid `policy` argument. Expected the string name of a policy (such as 'float64') "
                             f"or a `DTypePolicy` instance. Received: policy={policy!r} (of type {type(policy)})")
        policy = _policy_from_string(policy)
    if policy.quantization_mode is not None:
        raise ValueError(f"Invalid `policy` argument: kerasette does not take a quantized global policy "
                         f"({policy.name!r}). Quantize a built model or layer with `quantize('int8')` instead.")
    _check_backend_supports(policy)
    _state["policy"] = policy


def reset() -> None:
    """Restore the default global policy (float32); ``keras.backend.clear_session()`` calls it."""
    _state["policy"] = None


def get(identifier: Any) -> DTypePolicy:
    """A ``DTypePolicy`` from a name, a config, a dtype or a policy, as ``keras.dtype_policies.get``.

    Args:
        identifier: None (the global policy), a ``DTypePolicy``, a config dict
            (``{"class_name": "DTypePolicy", "config": {"name": "float64"}}``), a policy name, or a
            dtype (``numpy.float64``...).

    Returns:
        A ``DTypePolicy``.

    Raises:
        ValueError: the identifier cannot be read as a policy, or names one kerasette does not support.

    Example:
        >>> get("float64"), get({"class_name": "DTypePolicy", "config": {"name": "float16"}})
        (<DTypePolicy "float64">, <DTypePolicy "float16">)
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return _policy_from_string(identifier)
    try:
        name = dtypes.standardize_dtype(identifier)
    except ValueError:
        raise ValueError("Cannot interpret `dtype` argument. Expected a string or an instance of DTypePolicy. "
                         f"Received: dtype={identifier!r}") from None
    return DTypePolicy(name)


def serialize(dtype_policy: DTypePolicy) -> dict:
    """The policy as Keras 3 writes it in configs, as ``keras.dtype_policies.serialize``.

    Args:
        dtype_policy: a ``DTypePolicy``.

    Returns:
        ``{"module": "keras", "class_name": "DTypePolicy", "config": {"name": ...}, "registered_name": None}``.

    Raises:
        TypeError: ``dtype_policy`` is not a ``DTypePolicy``.

    Example:
        >>> serialize(DTypePolicy("float64"))["config"]
        {'name': 'float64'}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError(f"Invalid value for argument `dtype_policy`. Expected a DTypePolicy. "
                        f"Received: dtype_policy={dtype_policy!r}")
    class_name = type(dtype_policy).__name__
    return {"module": "keras", "class_name": class_name, "config": dtype_policy.get_config(), "registered_name": None}


def deserialize(config: dict, custom_objects: dict | None = None) -> DTypePolicy:
    """The policy that ``serialize`` (or Keras) wrote, as ``keras.dtype_policies.deserialize``.

    Args:
        config: ``{"class_name": "DTypePolicy" or "FloatDTypePolicy", "config": {"name": ...}}``.
        custom_objects: optional dict of user policy classes by name.

    Returns:
        A ``DTypePolicy``.

    Raises:
        ValueError: the config names an unknown class, or a quantized policy class other than
            ``QuantizedDTypePolicy`` (kerasette implements int8 only).

    Example:
        >>> deserialize({"class_name": "FloatDTypePolicy", "config": {"name": "float64"}})
        <DTypePolicy "float64">
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Invalid value for argument `config`. Expected a dict with 'class_name' and 'config'. "
                         f"Received: config={config!r}")
    class_name, inner = config["class_name"], config.get("config") or {}
    classes = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy, **(custom_objects or {})}
    if class_name == "QuantizedDTypePolicy":
        from kerasette.quantizers.dtype_policy import QuantizedDTypePolicy

        return QuantizedDTypePolicy(**inner)
    if class_name in _NOT_IMPLEMENTED:
        raise ValueError(f"The dtype policy class {class_name!r} is not supported by kerasette: it implements Keras's "
                         "int8 quantization only (QuantizedDTypePolicy).")
    if class_name not in classes:
        raise ValueError(f"Unknown dtype policy class {class_name!r}. Expected one of {sorted(classes)}.")
    return classes[class_name].from_config(inner)


def _policy_from_string(name):
    if name.startswith(QUANTIZATION_MODES):
        from kerasette.quantizers.dtype_policy import from_name

        return from_name(name)  # "int8_from_float32"; Keras's other modes raise NotImplementedError
    return DTypePolicy(name)


def _check_backend_supports(policy):
    """Raise a ValueError if the active backend cannot compute in ``policy``'s dtype (float16 on OpenCL)."""
    import numpy as np

    from kerasette import backends

    module = backends.current()
    try:
        module.asarray(np.zeros((1,), dtype=policy.compute_dtype))
    except TypeError as error:
        raise ValueError(f"The dtype policy {policy.name!r} is not supported by the active backend "
                         f"{backends.backend()!r}: {error}") from None


def __getattr__(name):
    if name == "QuantizedDTypePolicy":
        from kerasette.quantizers.dtype_policy import QuantizedDTypePolicy

        return QuantizedDTypePolicy
    if name in _NOT_IMPLEMENTED:
        raise AttributeError(f"kerasette.dtype_policies.{name} is not implemented: kerasette implements Keras's "
                             "int8 quantization only (QuantizedDTypePolicy).")
    raise AttributeError(f"module 'kerasette.dtype_policies' has no attribute {name!r}")
