"""StatelessScope: run code with chosen variable values and collect its state updates without applying them.

Inside ``with StatelessScope(state_mapping) as scope:``, a ``Variable`` listed in ``state_mapping``
reads the value given for it; ``assign`` / ``assign_add`` / ``assign_sub`` record the new value in the
scope (later reads inside the scope see it) and leave the variable unchanged; with
``collect_losses=True``, ``add_loss`` losses go to ``scope.losses``. As ``keras.StatelessScope``.
"""

from __future__ import annotations

import contextvars
from typing import Any, Optional

_current = contextvars.ContextVar("kerasette_stateless_scope", default=None)


def get_stateless_scope() -> Optional["StatelessScope"]:
    """The innermost open ``StatelessScope``, or None."""
    return _current.get()


def in_stateless_scope() -> bool:
    """Whether a ``StatelessScope`` is open."""
    return _current.get() is not None


class StatelessScope:
    """Scope to prevent any update to kerasette Variables, as ``keras.StatelessScope``.

    Args:
        state_mapping: optional list of ``(variable, value)`` pairs: inside the scope, ``variable``
            reads ``value`` (cast to its dtype; the shapes must match).
        collect_losses: whether ``add_loss`` losses made inside the scope go to ``scope.losses``
            (and not to the layers).
        initialize_variables: Keras's flag for initializing variables created inside the scope when it
            closes; kerasette creates variables initialized, so there is nothing to do either way.

    Raises:
        ValueError: a key is not a ``Variable``, or a value's shape differs from its variable's.

    Example:
        >>> from kerasette import StatelessScope, ops
        >>> v = ops.Variable([1.0, 2.0])
        >>> with StatelessScope([(v, [10.0, 20.0])]) as scope:
        ...     _ = v.assign_add([1.0, 1.0])
        ...     inside = v.numpy().tolist()
        >>> inside, v.numpy().tolist(), scope.get_current_value(v).numpy().tolist()
        ([11.0, 21.0], [1.0, 2.0], [11.0, 21.0])
    """

    def __init__(self, state_mapping: Any = None, collect_losses: bool = False,
                 initialize_variables: bool = True) -> None:
        from kerasette.ops.tensor import Tensor, Variable, _backend

        self.collect_losses = bool(collect_losses)
        self.initialize_variables = bool(initialize_variables)
        self.losses = []
        self.state_mapping = {}
        self._variables = {}
        self._revisions = {}
        for variable, value in state_mapping or []:
            if not isinstance(variable, Variable):
                raise ValueError("Invalid reference variable in StatelessScope: all keys in argument `mapping` must "
                                 f"be Variable instances. Received instead: {variable!r}")
            dtype = variable.dtype
            if isinstance(value, Tensor):
                array = _backend().cast(value.data, dtype)
            else:
                array = _backend().asarray(value, dtype=dtype)
            if tuple(_backend().shape(array)) != variable.shape:
                raise ValueError("Invalid variable value in StatelessScope: all values in argument `mapping` must be "
                                 "tensors with a shape that matches the corresponding variable shape. For variable "
                                 f"{variable.path}, received a value with shape {tuple(_backend().shape(array))}.")
            self._record(variable, array)

    def _record(self, variable, array):
        self.state_mapping[id(variable)] = array
        self._variables[id(variable)] = variable  # keeps the id valid while the scope holds its value
        self._revisions[id(variable)] = self._revisions.get(id(variable), 0) + 1

    def revision(self, variable: Any) -> int:
        """How many values the scope has held for ``variable`` (0: none)."""
        return self._revisions.get(id(variable), 0)

    def __enter__(self) -> "StatelessScope":
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _current.reset(self._token)

    def add_loss(self, loss: Any) -> None:
        """Collect a loss made inside the scope (with ``collect_losses``).

        Args:
            loss: a scalar tensor.
        """
        self.losses.append(loss)

    def add_update(self, update: Any) -> None:
        """Record ``(variable, value)`` as the variable's new value in the scope.

        Args:
            update: a ``(variable, value)`` pair; value a backend array of the variable's shape and dtype.
        """
        variable, value = update
        self._record(variable, value)

    def get_current_value(self, variable: Any) -> Any:
        """The value ``variable`` has in the scope (given or assigned), as a Tensor, or None.

        Args:
            variable: a ``Variable``.
        """
        from kerasette.ops.tensor import Tensor

        array = self.state_mapping.get(id(variable))
        return None if array is None else Tensor(array)
