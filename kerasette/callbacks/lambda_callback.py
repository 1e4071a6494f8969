"""`LambdaCallback`: build a callback from plain functions."""

from __future__ import annotations

from typing import Any, Callable, Optional

from kerasette.callbacks.callback import Callback

_HOOK_NAMES = frozenset(
    name for name in dir(Callback) if name.startswith("on_") and callable(getattr(Callback, name))
)


class LambdaCallback(Callback):
    """A callback whose hooks are the functions you pass.

    Each function is called with the same arguments as the hook it replaces:
    `on_epoch_begin(epoch, logs)`, `on_epoch_end(epoch, logs)`, `on_train_begin(logs)`,
    `on_train_end(logs)`, `on_train_batch_begin(batch, logs)`,
    `on_train_batch_end(batch, logs)`. Any other hook name (`on_test_end`,
    `on_predict_batch_end`, `on_batch_end`, ...) can be passed as a keyword too.

    Args:
        on_epoch_begin: called as `on_epoch_begin(epoch, logs)`, or None.
        on_epoch_end: called as `on_epoch_end(epoch, logs)`, or None.
        on_train_begin: called as `on_train_begin(logs)`, or None.
        on_train_end: called as `on_train_end(logs)`, or None.
        on_train_batch_begin: called as `on_train_batch_begin(batch, logs)`, or None.
        on_train_batch_end: called as `on_train_batch_end(batch, logs)`, or None.
        **kwargs: functions for any other hook, by the hook's name.

    Raises:
        TypeError: for a keyword that is not a hook name, or a value that is not callable.

    Example:
        >>> seen = []
        >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
        >>> cb.on_epoch_end(0, {}); seen
        [0]
    """

    def __init__(
        self,
        on_epoch_begin: Optional[Callable[..., Any]] = None,
        on_epoch_end: Optional[Callable[..., Any]] = None,
        on_train_begin: Optional[Callable[..., Any]] = None,
        on_train_end: Optional[Callable[..., Any]] = None,
        on_train_batch_begin: Optional[Callable[..., Any]] = None,
        on_train_batch_end: Optional[Callable[..., Any]] = None,
        **kwargs: Optional[Callable[..., Any]],
    ) -> None:
        super().__init__()
        hooks = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
        )
        hooks.update(kwargs)
        for name, fn in hooks.items():
            if name not in _HOOK_NAMES:
                raise TypeError(
                    f"LambdaCallback got an unexpected keyword argument `{name}`. "
                    f"Expected one of: {', '.join(sorted(_HOOK_NAMES))}"
                )
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(f"Argument `{name}` of LambdaCallback must be callable. Received: {fn!r}")
            setattr(self, name, fn)
