"""Context managers Keras scripts open around their code: ``name_scope``, ``device`` and ``remat``.

``name_scope`` prefixes the ``path`` of variables created inside it, as ``keras.name_scope`` does.
``device`` accepts Keras's device strings; kerasette keeps arrays on the active backend's device (the
host for numpy, the OpenCL device chosen at start-up), so asking for another one warns instead of
moving anything. ``remat`` (gradient checkpointing) is not implemented: it warns, as Keras's numpy
backend does, and returns the function unchanged (results are identical; only memory differs).
"""

import contextlib
import re
import warnings

_STACK = []  # open name_scope objects, innermost last


class name_scope:  # noqa: N801  (Keras's public name is lowercase)
    """Creates a sub-namespace for variable paths, as ``keras.name_scope``.

    Variables created inside ``with name_scope("block"):`` get the path ``"block/<name>"``; scopes
    nest (``"outer/inner/<name>"``).

    Args:
        name: the scope's name, a string without ``/``.
        caller: optional object that opened the scope; with ``deduplicate``, re-entering a scope of
            the same name from the same caller adds no new level.
        deduplicate: see ``caller``. Defaults to True.
        override_parent: an absolute path replacing the enclosing scopes' path.

    Raises:
        ValueError: ``name`` is not a string or contains ``/``.

    Example:
        >>> import kerasette as keras
        >>> with keras.name_scope("block"):
        ...     v = keras.Variable(1.0, name="scale")
        >>> v.path
        'block/scale'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Invalid value for argument `name` of name_scope. Expected a string without '/'. Received: "
                f"name={name!r}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        top = _STACK[-1] if _STACK else None
        if self.deduplicate and top is not None and self.caller is not None and (
            top.caller is self.caller and top.name == self.name
        ):
            return self
        _STACK.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc_info):
        if self._pushed:
            _STACK.pop()
            self._pushed = False
        return False


def current_path():
    """The path of the open name scopes (``"outer/inner"``), or ``""`` outside any.

    Returns:
        A string.
    """
    parts = []
    for scope in _STACK:
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)


_DEVICE = re.compile(r"^(cpu|gpu|tpu|cuda|mps|opencl)(:\d+)?$")


@contextlib.contextmanager
def device(device_name):
    """A scope for Keras's ``with keras.device("cpu"):``.

    kerasette places every array on the active backend's device: the host CPU for the numpy backend,
    the OpenCL device chosen at start-up (``KERASETTE_OPENCL_DEVICE``) for the OpenCL backend. A CPU
    scope on the numpy backend therefore changes nothing and is silent; any other request warns that
    the arrays stay where they are.

    Args:
        device_name: a string such as ``"cpu"``, ``"cpu:0"`` or ``"gpu:1"``.

    Yields:
        The device name, lowercased.

    Raises:
        ValueError: ``device_name`` is not a string of that form.

    Example:
        >>> import kerasette as keras
        >>> with keras.device("cpu:0"):
        ...     x = keras.ops.ones((2,))
        >>> x.shape
        (2,)
    """
    name = device_name.lower() if isinstance(device_name, str) else None
    if name is None or not _DEVICE.match(name):
        raise ValueError(
            "Invalid value for argument `device_name`. Expected a string like 'cpu', 'cpu:0' or 'gpu:1'. "
            f"Received: device_name={device_name!r}"
        )
    from kerasette import backends

    active = backends.backend()
    if not (active == "numpy" and name.startswith("cpu")):
        where = "the host CPU" if active == "numpy" else "the OpenCL device chosen at start-up"
        warnings.warn(
            f"kerasette.device({device_name!r}): kerasette does not move arrays between devices; with the "
            f"{active!r} backend they stay on {where}.",
            stacklevel=3,
        )
    yield name


def remat(f):
    """Keras's rematerialization (gradient checkpointing) wrapper; not implemented, so it warns.

    kerasette keeps every activation the tape needs; recomputing them in the backward pass to save
    memory is not implemented. As Keras's numpy backend does, this warns and returns ``f`` itself, so
    results are the same and only the memory saving is missing.

    Args:
        f: a function or layer call to rematerialize.

    Returns:
        ``f`` unchanged.
    """
    warnings.warn(
        "kerasette.remat: rematerialization (gradient checkpointing) is not implemented in kerasette; the "
        "function runs unchanged and keeps its activations in memory.",
        stacklevel=2,
    )
    return f


class RematScope:
    """Keras's ``RematScope`` (rematerialization for the layers built inside it); not implemented, so it warns.

    Args:
        mode: Keras's remat mode (``"full"``, ``"activations"``, ``"larger_than"``, ``"list_of_layers"``
            or None).
        output_size_threshold: Keras's size threshold for ``"larger_than"``.
        layer_names: Keras's layer names for ``"list_of_layers"``.

    Raises:
        ValueError: ``mode`` is not one of Keras's modes.
    """

    _MODES = {"full", "activations", "larger_than", "list_of_layers", None}

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in self._MODES:
            raise ValueError(
                "Invalid value for argument `mode` of RematScope. Expected one of "
                f"{sorted(m for m in self._MODES if m)} or None. Received: mode={mode!r}"
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])

    def __enter__(self):
        if self.mode is not None:
            warnings.warn(
                f"kerasette.RematScope(mode={self.mode!r}): rematerialization (gradient checkpointing) is not "
                "implemented in kerasette; layers inside the scope keep their activations in memory.",
                stacklevel=2,
            )
        return self

    def __exit__(self, *exc_info):
        return False
