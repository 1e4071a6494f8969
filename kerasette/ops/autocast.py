"""Autocast scopes: float variables read in a layer's compute dtype, as Keras's ``AutocastScope``.

Under a mixed-precision policy (``"mixed_float16"``) a layer keeps its weights in float32 and
computes in float16. ``Layer.__call__`` opens an ``AutocastScope("float16")`` around ``call``:
inside it, a float ``Variable`` created with ``autocast=True`` reads as a float16 tensor (its
``dtype`` says so too, as in Keras), while its stored value stays float32. The cast copy is made
once per variable and scope. Ops recorded on the tape remember their scope, so the backward pass
reads the same float16 copies; the gradient reaching the variable is cast back to float32.

Inside a float16 scope, float overflow (to inf, and the NaN that follows) is silent, as on GPUs: it
is the event dynamic loss scaling (``LossScaleOptimizer``) detects and recovers from, so the numpy
backend's overflow warnings are switched off there.

>>> from kerasette import ops
>>> v = ops.Variable([1.0, 2.0], name="w")
>>> with AutocastScope("float16"):
...     print(v.dtype, ops.multiply(v, 2.0).dtype)
float16 float16
>>> v.dtype
'float32'
"""

from __future__ import annotations

import contextvars
from typing import Any, Optional

import numpy as np

_current = contextvars.ContextVar("kerasette_autocast_scope", default=None)


class AutocastScope:
    """A context in which float variables with ``autocast=True`` read in ``dtype``.

    Args:
        dtype: a float dtype name (``"float16"``), or None for a scope that casts nothing (a layer
            with ``autocast=False`` inside a mixed-precision model opens one).

    Raises:
        ValueError: ``dtype`` is not None and not a float dtype.
    """

    __slots__ = ("dtype", "_casts", "_token", "_quiet")

    def __init__(self, dtype: Optional[str]) -> None:
        if dtype is not None:
            from kerasette import dtypes

            dtype = dtypes.standardize_dtype(dtype)
            if not dtypes.is_float_dtype(dtype):
                raise ValueError(f"Invalid value for argument `dtype` of AutocastScope. Expected a float dtype or "
                                 f"None. Received: dtype={dtype!r}")
        self.dtype = dtype
        self._casts = {}  # id(variable) -> (variable, version, cast array)
        self._token = None
        self._quiet = None

    def maybe_cast(self, variable: Any, stored: Any) -> Any:
        """``stored`` (the array of ``variable``) in this scope's dtype if it is a float of another dtype.

        The cast array is kept for the life of the scope (the forward pass and its backward pass read
        the same copy) until the variable is assigned again.

        Args:
            variable: the ``Variable`` being read.
            stored: its backend array.

        Returns:
            A backend array: ``stored`` itself, or its cast copy.
        """
        from kerasette.backends import current

        backend = current()
        stored_dtype = backend.dtype(stored)
        if self.dtype is None or stored_dtype == self.dtype or not stored_dtype.startswith(("float", "bfloat")):
            return stored
        cached = self._casts.get(id(variable))
        if cached is not None and cached[0] is variable and cached[1] == variable.version:
            return cached[2]
        cast = backend.cast(stored, self.dtype)
        self._casts[id(variable)] = (variable, variable.version, cast)
        return cast

    def __enter__(self) -> "AutocastScope":
        self._token = _current.set(self)
        self._quiet = _quiet_overflow(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _current.reset(self._token)
        self._token = None
        if self._quiet is not None:
            self._quiet.__exit__(*exc)
            self._quiet = None


def _quiet_overflow(scope, half=False):
    """An entered ``np.errstate`` silencing overflow and invalid-value warnings in a 16-bit scope, else None.

    ``half`` forces it: a backward step into float16 tensors outside any scope (a layer's input cast).
    """
    if not half and (scope is None or scope.dtype not in ("float16", "bfloat16")):
        return None
    state = np.errstate(over="ignore", invalid="ignore")
    state.__enter__()
    return state


class _Reentered:
    """Enter ``scope`` again (a tape node's scope during the backward pass) without touching its token."""

    __slots__ = ("scope", "token", "quiet", "half")

    def __init__(self, scope, half):
        self.scope, self.token, self.quiet, self.half = scope, None, None, half

    def __enter__(self):
        self.token = _current.set(self.scope)
        self.quiet = _quiet_overflow(self.scope, self.half)

    def __exit__(self, *exc):
        _current.reset(self.token)
        if self.quiet is not None:
            self.quiet.__exit__(*exc)
            self.quiet = None


def get_autocast_scope() -> Optional[AutocastScope]:
    """The innermost open ``AutocastScope``, or None.

    Returns:
        An ``AutocastScope`` or None.
    """
    return _current.get()


def reenter(scope: Optional[AutocastScope], half: bool = False) -> Any:
    """A context manager making ``scope`` current again (None: no scope), for the backward pass.

    Args:
        scope: the scope a tape node was recorded in, or None.
        half: whether the step computes float16 gradients, so float overflow stays silent even
            without a 16-bit scope.

    Returns:
        A context manager.
    """
    return _Reentered(scope, half)
