"""Paths of the variables of layers built inside another layer (cells in an RNN, wrapped layers)."""


def prefix_paths(outer, inner):
    """Prefix the paths of ``inner``'s variables with ``outer``'s name (``lstm/lstm_cell/kernel``).

    So every variable of a model has a distinct path, as Keras's name scopes give, and the legacy
    ``.h5`` writer can name its datasets after them.

    Args:
        outer: the layer holding ``inner``.
        inner: a built sublayer.
    """
    for variable in inner.weights:
        if not variable.path.startswith(outer.name + "/"):
            variable.path = f"{outer.name}/{variable.path}"


def serialize_sublayer(layer):
    """A sublayer's config envelope for its holder's ``get_config`` (Keras's form), without ``build_config``.

    The holder builds its sublayers itself, so the config stays the same before and after building.

    Args:
        layer: the held layer (or cell).

    Returns:
        ``{"module", "class_name", "config", "registered_name"}``.
    """
    from kerasette.saving.serialization_lib import serialize_keras_object

    envelope = serialize_keras_object(layer)
    envelope.pop("build_config", None)
    return envelope
