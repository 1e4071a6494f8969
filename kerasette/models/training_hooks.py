"""Extension points of ``fit`` for packages that change how training runs (``kerasette.distribute``).

``fit`` itself knows nothing of processes or ranks. A package that trains across processes
registers a hook object; ``fit`` hands each registered hook its training data adapter (before the
first epoch, once the shuffling seed is set) and its ``CallbackList`` (before ``on_train_begin``),
and the hook may adjust them: take this process's part of the data, mute callbacks, add its own.

A hook is any object with these two methods::

    def prepare_data(self, model, adapter): ...
    def prepare_callbacks(self, model, callbacks): ...   # callbacks: a CallbackList
"""

from __future__ import annotations

from typing import Any, List

_hooks: List[Any] = []


def register(hook: Any) -> None:
    """Add ``hook`` (once) to those every ``fit`` calls.

    Args:
        hook: an object with ``prepare_data(model, adapter)`` and ``prepare_callbacks(model, callbacks)``.
    """
    if all(h is not hook for h in _hooks):
        _hooks.append(hook)


def unregister(hook: Any) -> None:
    """Remove ``hook`` (nothing happens when it is not registered).

    Args:
        hook: a hook given to ``register``.
    """
    _hooks[:] = [h for h in _hooks if h is not hook]


def prepare_data(model: Any, adapter: Any) -> None:
    """Let every hook adjust ``fit``'s training data adapter.

    Args:
        model: the model being trained.
        adapter: the training ``DataAdapter``.
    """
    for hook in list(_hooks):
        hook.prepare_data(model, adapter)


def prepare_callbacks(model: Any, callbacks: Any) -> None:
    """Let every hook adjust ``fit``'s callbacks.

    Args:
        model: the model being trained.
        callbacks: the ``CallbackList`` of this ``fit``.
    """
    for hook in list(_hooks):
        hook.prepare_callbacks(model, callbacks)
