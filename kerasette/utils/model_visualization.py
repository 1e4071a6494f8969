"""``plot_model``: a model's layer graph as Graphviz DOT, or PNG/SVG/PDF through the ``dot`` program."""

import os
import shutil
import subprocess
import tempfile

from kerasette.utils.summary import _format_shape

_RENDERED = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg"}


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 show_layer_activations=False, show_trainable=False, dpi=96):
    """DOT source for ``model``: one box per layer, one edge per connection."""
    if rankdir not in ("TB", "LR"):
        raise ValueError(f'Invalid value for argument `rankdir`. Expected "TB" or "LR". Received: {rankdir!r}')
    from kerasette.models import Functional

    graph = model.graph if isinstance(model, Functional) else None
    if graph is None:
        raise ValueError(f"Model `{model.name}` has no graph yet: build it (call it on data or give it an Input).")
    lines = [f'digraph "{_escape(model.name)}" {{', f"  graph [rankdir={rankdir}, dpi={int(dpi)}];",
             '  node [shape=record, fontname="Helvetica"];']
    ids = {id(layer): f"layer{i}" for i, layer in enumerate(model.layers)}
    flags = (show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable)
    for layer in model.layers:
        lines.append(f'  {ids[id(layer)]} [label="{_label(layer, *flags)}"];')
    edges = []
    for node in graph.nodes:
        for tensor in node.input_tensors:
            edge = (ids[id(tensor.history[0])], ids[id(node.layer)])
            if edge not in edges:
                edges.append(edge)
    lines += [f"  {a} -> {b};" for a, b in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _label(layer, show_shapes, show_dtype, show_names, show_activations, show_trainable):
    title = f"{layer.name} ({type(layer).__name__})" if show_names else type(layer).__name__
    parts = [_escape(title)]
    activation = getattr(layer, "activation", None)
    if show_activations and activation is not None:
        parts.append(_escape(f"activation: {getattr(activation, '__name__', activation)}"))
    if show_dtype:
        parts.append(_escape(f"dtype: {layer.dtype}"))
    if show_shapes:
        shape = _format_shape(layer.output_shape) if layer._inbound_nodes else "?"
        parts.append(_escape(f"output: {shape}"))
    if show_trainable:
        parts.append(f"trainable: {'yes' if layer.trainable else 'no'}")
    return "{" + "|".join(parts) + "}" if len(parts) > 1 else parts[0]


def _escape(text):
    return "".join("\\" + c if c in '{}|<>"' else c for c in str(text))


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False, show_trainable=False,
               **kwargs):
    """Write the layer graph to ``to_file``: ``.dot`` as DOT text; ``.png``/``.svg``/``.pdf`` need Graphviz.

    Returns the path written. Raises ImportError (with the install command)
    when an image is asked for and the ``dot`` program is missing; nothing is
    written then.
    """
    source = model_to_dot(model, show_shapes, show_dtype, show_layer_names, rankdir,
                          show_layer_activations, show_trainable, dpi)
    extension = os.path.splitext(to_file)[1].lower()
    if extension in ("", ".dot", ".gv"):
        _atomic_write(to_file, source.encode("utf-8"))
        return to_file
    if extension not in _RENDERED:
        raise ValueError(f"Cannot write `{to_file}`: use .dot, .gv, or one of {sorted(_RENDERED)}.")
    dot = shutil.which("dot")
    if dot is None:
        raise ImportError("plot_model needs the Graphviz `dot` program to write images "
                          "(Debian/Ubuntu: apt-get install graphviz). Save to a .dot file instead.")
    result = subprocess.run([dot, f"-T{_RENDERED[extension]}"], input=source.encode("utf-8"),
                            capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"Graphviz failed to render `{to_file}`: {result.stderr.decode(errors='replace')}")
    _atomic_write(to_file, result.stdout)
    return to_file


def _atomic_write(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".plot_model-")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
