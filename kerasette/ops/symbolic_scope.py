"""SymbolicScope: marks the symbolic stage, when a layer runs on placeholder data to infer its output shapes.

kerasette opens one (with assignments discarded, see ``ops.tensor.discarding_assignments``) whenever it
calls a layer on placeholder zeros: building a layer from an input shape, and finding the output shapes
of a symbolic call with several tensor arguments. A layer's ``call`` can ask ``in_symbolic_scope()`` to
skip side effects (logging, counters) on those runs, as in Keras.
"""

from __future__ import annotations

import contextvars
from typing import Any, Optional

_current = contextvars.ContextVar("kerasette_symbolic_scope", default=None)


def get_symbolic_scope() -> Optional["SymbolicScope"]:
    """The innermost open ``SymbolicScope``, or None."""
    return _current.get()


def in_symbolic_scope() -> bool:
    """Whether code runs in the symbolic stage (a ``SymbolicScope`` is open)."""
    return _current.get() is not None


class SymbolicScope:
    """Scope to indicate the symbolic stage, as ``keras.SymbolicScope``.

    Example:
        >>> from kerasette import SymbolicScope
        >>> from kerasette.ops.symbolic_scope import in_symbolic_scope
        >>> with SymbolicScope():
        ...     inside = in_symbolic_scope()
        >>> inside, in_symbolic_scope()
        (True, False)
    """

    def __enter__(self) -> "SymbolicScope":
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _current.reset(self._token)
