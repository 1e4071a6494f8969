"""Global settings, named as in ``keras.config``: float type, epsilon, image layout, backend.

kerasette's choices are narrower than Keras's in three places, and the setters say so instead of
pretending: the default float type is float32 (a layer takes ``dtype="float64"`` on its own), images
are channels_last (NHWC), and the backend is ``"numpy"`` or ``"opencl"``.

>>> from kerasette import config
>>> config.floatx(), config.epsilon(), config.image_data_format()
('float32', 1e-07, 'channels_last')
"""

import numbers
import os
import warnings

from kerasette.utils.io_utils import (  # noqa: F401  (keras.config exports these too)
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)

_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
_KERAS_ONLY_BACKENDS = ("tensorflow", "jax", "torch")
_state = {"epsilon": 1e-7, "flash_attention": None}


def floatx():
    """The default float type of layers, variables and converted Python floats: ``"float32"``.

    Returns:
        The dtype name.
    """
    return "float32"


def set_floatx(value):
    """Set the default float type; kerasette supports only ``"float32"`` as the global default.

    Args:
        value: ``"float32"``. Keras also accepts ``"bfloat16"``, ``"float16"`` and ``"float64"``; kerasette
            raises for them (give a layer ``dtype="float64"`` to compute one part in float64).

    Raises:
        ValueError: ``value`` is not one of Keras's float types.
        NotImplementedError: ``value`` is a float type other than float32.
    """
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of {list(_FLOAT_TYPES)}.")
    if value != "float32":
        raise NotImplementedError(
            f"set_floatx({value!r}): kerasette's default float type is fixed to float32. Pass dtype={value!r} to "
            "the layers that need it (e.g. layers.Dense(4, dtype='float64')) instead."
        )


def dtype_policy():
    """The global dtype policy, the default of layers created without ``dtype`` (``<DTypePolicy "float32">``).

    Returns:
        A ``kerasette.DTypePolicy``.
    """
    from kerasette import dtype_policies

    return dtype_policies.dtype_policy()


def set_dtype_policy(policy):
    """Set the dtype of layers created afterwards: ``"float32"``, ``"float64"``, ``"float16"`` (numpy backend).

    Mixed precision (``"mixed_float16"``, ``"mixed_bfloat16"``) and quantized policies raise: kerasette
    has no mixed precision yet (issue 18). ``floatx()`` stays float32, as in Keras.

    Args:
        policy: a policy name or a ``kerasette.DTypePolicy``.

    Raises:
        ValueError: an unsupported or invalid policy (see ``kerasette.dtype_policies.set_dtype_policy``).

    Example:
        >>> from kerasette import config, layers
        >>> config.set_dtype_policy("float64"); config.dtype_policy(), layers.Dense(1).dtype
        (<DTypePolicy "float64">, 'float64')
        >>> config.set_dtype_policy("float32")
    """
    from kerasette import dtype_policies

    dtype_policies.set_dtype_policy(policy)


def epsilon():
    """The fuzz factor added in numeric expressions (losses clip probabilities to [epsilon, 1 - epsilon]).

    Returns:
        A float, 1e-7 unless ``set_epsilon`` changed it.
    """
    return _state["epsilon"]


def set_epsilon(value):
    """Set the fuzz factor that ``epsilon()`` returns.

    Args:
        value: a finite float >= 0.

    Raises:
        ValueError: ``value`` is not a non-negative real number.

    Example:
        >>> from kerasette import config
        >>> config.set_epsilon(1e-5); config.epsilon()
        1e-05
        >>> config.set_epsilon(1e-7)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < float("inf"):
        raise ValueError(f"Invalid value for argument `value` of set_epsilon. Expected a float >= 0. "
                         f"Received: value={value!r}")
    _state["epsilon"] = float(value)


def image_data_format():
    """The image layout convention: ``"channels_last"`` (NHWC), the only one kerasette implements.

    Returns:
        The string ``"channels_last"``.
    """
    return "channels_last"


def set_image_data_format(data_format):
    """Set the image layout; kerasette supports ``"channels_last"`` only.

    Args:
        data_format: ``"channels_last"``.

    Raises:
        ValueError: ``data_format`` is ``"channels_first"`` (not supported) or anything else.
    """
    if data_format == "channels_last":
        return
    if data_format == "channels_first":
        raise ValueError("set_image_data_format('channels_first'): kerasette implements channels_last (NHWC) images "
                         "only. Transpose your data with np.transpose(x, (0, 2, 3, 1)).")
    raise ValueError(f"Unknown `data_format`: {data_format!r}. Expected 'channels_last' or 'channels_first'.")


def backend():
    """The name of the active kerasette backend, ``"numpy"`` or ``"opencl"`` (Keras returns "jax", "torch"...).

    Returns:
        The backend name.
    """
    from kerasette import backends

    return backends.backend()


def set_backend(backend):
    """Switch the backend (``kerasette.backends.set_backend``); Keras's engine names are refused.

    Tensors, layers and models made before the switch keep their arrays on the old backend: build them
    again afterwards, as Keras asks after its own ``set_backend``.

    Args:
        backend: ``"numpy"`` or ``"opencl"``.

    Raises:
        ValueError: ``backend`` is ``"tensorflow"``, ``"jax"``, ``"torch"`` or unknown.
        ImportError: the OpenCL backend cannot be loaded here (no pyopencl or no device).
    """
    from kerasette import backends

    if backend in _KERAS_ONLY_BACKENDS:
        raise ValueError(f"set_backend({backend!r}): kerasette runs on its own backends only, "
                         f"{backends.available_backends()}; it cannot use {backend}.")
    backends.set_backend(backend)


def enable_unsafe_deserialization():
    """Keras's switch for loading Lambda layers (Python bytecode) from files; kerasette never does, so it warns.

    kerasette refuses code in files whatever this setting: a Lambda layer in a saved model still
    raises. Rebuild such a model in Python and load its weights.
    """
    warnings.warn(
        "enable_unsafe_deserialization() has no effect in kerasette: it never runs code from files, so Lambda "
        "layers and marshalled functions in saved models are still refused. Rebuild the model in Python and "
        "load the weights with model.load_weights(...).",
        stacklevel=2,
    )


def enable_flash_attention():
    """Keras's flash-attention switch; kerasette has no flash-attention kernel, so it raises.

    Raises:
        NotImplementedError: always (Keras raises too, at the attention call, on a CPU backend).
    """
    raise NotImplementedError("enable_flash_attention(): kerasette has no flash-attention kernel (Keras provides it "
                              "on GPUs and TPUs through JAX, PyTorch or cuDNN only).")


def disable_flash_attention():
    """Record that flash attention is off, which it always is in kerasette."""
    _state["flash_attention"] = False


def is_flash_attention_enabled():
    """None until ``disable_flash_attention`` runs, then False (as Keras reports its setting).

    Returns:
        None or False.
    """
    return _state["flash_attention"]


def is_nnx_enabled():
    """Whether Flax NNX support is on: always False (it belongs to Keras's JAX backend).

    Returns:
        False.
    """
    return False


def enable_traceback_filtering():
    """Keras hides its own frames from tracebacks; kerasette shows them all, so this warns."""
    warnings.warn("enable_traceback_filtering(): kerasette does not filter tracebacks; they stay complete.",
                  stacklevel=2)


def disable_traceback_filtering():
    """Keep tracebacks complete, which kerasette always does (no effect needed)."""


def is_traceback_filtering_enabled():
    """Whether tracebacks are filtered: always False in kerasette.

    Returns:
        False.
    """
    return False


def _limit_from_environment(name):
    value = os.environ.get(name)
    return int(value) if value and value.strip().isdigit() and int(value) > 0 else None


_limits = {"max_epochs": _limit_from_environment("KERAS_MAX_EPOCHS"),
           "max_steps_per_epoch": _limit_from_environment("KERAS_MAX_STEPS_PER_EPOCH")}


def _check_limit(argument, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1):
        raise ValueError(f"Invalid value for argument `{argument}`. Expected a positive int or None. "
                         f"Received: {argument}={value!r}")
    return None if value is None else int(value)


def set_max_epochs(max_epochs):
    """Cap the epochs of every ``fit`` (for quick test runs of a long script), as Keras does.

    Also set from the ``KERAS_MAX_EPOCHS`` environment variable.

    Args:
        max_epochs: a positive int, or None for no cap.
    """
    _limits["max_epochs"] = _check_limit("max_epochs", max_epochs)


def max_epochs():
    """The cap on ``fit``'s epochs set by ``set_max_epochs``, or None.

    Returns:
        An int or None.
    """
    return _limits["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Cap the batches of every epoch of ``fit``, ``evaluate`` and ``predict``, as Keras does.

    Also set from the ``KERAS_MAX_STEPS_PER_EPOCH`` environment variable.

    Args:
        max_steps_per_epoch: a positive int, or None for no cap.
    """
    _limits["max_steps_per_epoch"] = _check_limit("max_steps_per_epoch", max_steps_per_epoch)


def max_steps_per_epoch():
    """The cap on batches per epoch set by ``set_max_steps_per_epoch``, or None.

    Returns:
        An int or None.
    """
    return _limits["max_steps_per_epoch"]
