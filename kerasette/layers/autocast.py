"""Which autocast scope a layer's call runs in (mixed precision), following Keras 3's ``Layer.__call__``.

A layer whose policy is mixed (``compute_dtype`` float16, ``variable_dtype`` float32) opens an
``AutocastScope(compute_dtype)``, so its float32 weights read as float16 inside ``call``. Nested
layers adjust the scope: a float32 layer inside a mixed model reads its weights in float32, a
layer with ``autocast = False`` or a non-float compute dtype reads them as stored.

The first mixed-precision call on the numpy backend warns, once per process, that float16 on a
CPU is slower than float32.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

from kerasette import dtypes
from kerasette.ops.autocast import AutocastScope, get_autocast_scope

_warned = {"cpu": False}


def autocast_scope_for(layer: Any) -> Optional[AutocastScope]:
    """The scope to open around ``layer.call``, or None to keep the current one.

    Args:
        layer: the layer being called.

    Returns:
        A new ``AutocastScope``, or None.
    """
    current = get_autocast_scope()
    compute_dtype = layer.compute_dtype
    if current is not None:
        if not layer.autocast or not dtypes.is_float_dtype(compute_dtype):
            return None if current.dtype is None else AutocastScope(None)
        return AutocastScope(compute_dtype) if current.dtype != compute_dtype else None
    if compute_dtype != layer.variable_dtype and dtypes.is_float_dtype(compute_dtype):
        warn_if_slow(layer.dtype_policy.name)
        return AutocastScope(compute_dtype)
    return None


def warn_if_slow(policy_name: str) -> None:
    """Warn once per process that a mixed-precision policy computes slower than float32 on the numpy backend.

    Args:
        policy_name: the policy's name, for the message (``"mixed_float16"``).
    """
    if _warned["cpu"]:
        return
    from kerasette import backends

    if backends.backend() != "numpy":
        return
    _warned["cpu"] = True
    warnings.warn(
        f"The dtype policy {policy_name!r} computes in float16 on the numpy backend (the CPU). float16 on a CPU is "
        "slower than float32, not faster: numpy has no float16 BLAS (kerasette runs each matrix product on float32 "
        "copies and rounds the result), and its float16 elementwise math converts every element. Mixed precision "
        "pays off on GPUs; on a CPU use 'float32' (keras.mixed_precision.set_global_policy('float32')). This "
        "warning is shown once.",
        stacklevel=4,
    )


def reset_warning() -> None:
    """Let the next mixed-precision call on the numpy backend warn again (for tests)."""
    _warned["cpu"] = False
