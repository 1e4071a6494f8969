"""``plot_model``: a model's layer graph as Graphviz DOT, or PNG/SVG/PDF through the ``dot`` program."""

import os
import shutil
import subprocess
import tempfile
import warnings

from kerasette.utils.summary import _format_shape

_RENDERED = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg"}


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False, show_trainable=False,
                 splines="ortho", **kwargs):
    """DOT source for ``model``: one box per layer, one edge per connection (Keras returns a pydot graph).

    Args:
        model: a built functional or Sequential model.
        show_shapes: show each layer's output shape.
        show_dtype: show each layer's dtype.
        show_layer_names: show each layer's name before its class.
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
        expand_nested: Keras draws the layers of nested models inside a cluster; kerasette draws a
            nested model as one box and warns when this is True and the model has nested models.
        dpi: the resolution recorded in the graph.
        subgraph: write a ``subgraph cluster_<name>`` instead of a ``digraph`` (for embedding).
        show_layer_activations: show the activation of layers that have one.
        show_trainable: show whether each layer is trainable.
        splines: Graphviz's edge style (``"ortho"``, ``"line"``, ``"polyline"``, ``"curved"``, ``"spline"``...).
        **kwargs: Keras's ``layer_range`` is refused, as in Keras 3; anything else is an error.

    Returns:
        The DOT text.

    Raises:
        ValueError: for another ``rankdir``, a model without a graph, ``layer_range`` or an unknown keyword.
    """
    _check_kwargs(kwargs)
    if rankdir not in ("TB", "LR"):
        raise ValueError(f'Invalid value for argument `rankdir`. Expected "TB" or "LR". Received: {rankdir!r}')
    from kerasette.models import Functional

    graph = model.graph if isinstance(model, Functional) else None
    if graph is None:
        raise ValueError(f"Model `{model.name}` has no graph yet: build it (call it on data or give it an Input).")
    if expand_nested and any(isinstance(layer, Functional) for layer in model.layers):
        warnings.warn("model_to_dot(expand_nested=True): kerasette draws each nested model as one box; its layers "
                      "are not expanded.", stacklevel=3)
    header = f'subgraph "cluster_{_escape(model.name)}" {{' if subgraph else f'digraph "{_escape(model.name)}" {{'
    lines = [header, f'  graph [rankdir={rankdir}, dpi={int(dpi)}, splines="{_escape(splines)}"];',
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


def _check_kwargs(kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported (as in Keras 3).")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")


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
               splines="ortho", **kwargs):
    """Write the layer graph to ``to_file``: ``.dot`` as DOT text; ``.png``/``.svg``/``.pdf`` through Graphviz.

    Without the Graphviz ``dot`` program, an image cannot be rendered here: the DOT text is written
    next to the requested file (``model.png`` -> ``model.dot``) and a warning gives the command that
    renders it (``dot -Tpng model.dot -o model.png``). Files are written atomically.

    Args:
        model: a built functional or Sequential model.
        to_file: the output path; its extension picks the format (``.dot``/``.gv`` or none: DOT text;
            ``.png``, ``.svg``, ``.pdf``, ``.jpg``: rendered by Graphviz).
        show_shapes: show each layer's output shape.
        show_dtype: show each layer's dtype.
        show_layer_names: show each layer's name before its class (default True; Keras 3's is False).
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
        expand_nested: as for ``model_to_dot`` (nested models stay one box; True warns).
        dpi: the resolution of rendered images.
        show_layer_activations: show the activation of layers that have one.
        show_trainable: show whether each layer is trainable.
        splines: Graphviz's edge style.
        **kwargs: as for ``model_to_dot`` (``layer_range`` and unknown keywords raise).

    Returns:
        The path written: ``to_file``, or the ``.dot`` file when Graphviz is missing.

    Raises:
        ValueError: for an unsupported extension, or as ``model_to_dot``.
        RuntimeError: when Graphviz fails.
    """
    source = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                          rankdir=rankdir, expand_nested=expand_nested, dpi=dpi,
                          show_layer_activations=show_layer_activations, show_trainable=show_trainable,
                          splines=splines, **kwargs)
    extension = os.path.splitext(to_file)[1].lower()
    if extension in ("", ".dot", ".gv"):
        _atomic_write(to_file, source.encode("utf-8"))
        return to_file
    if extension not in _RENDERED:
        raise ValueError(f"Cannot write `{to_file}`: use .dot, .gv, or one of {sorted(_RENDERED)}.")
    dot = shutil.which("dot")
    if dot is None:
        dot_file = os.path.splitext(to_file)[0] + ".dot"
        _atomic_write(dot_file, source.encode("utf-8"))
        warnings.warn(f"plot_model: the Graphviz `dot` program is not installed, so `{to_file}` was not rendered. "
                      f"The graph is in `{dot_file}`; render it with: dot -T{_RENDERED[extension]} {dot_file} -o "
                      f"{to_file} (install Graphviz: apt-get install graphviz, brew install graphviz or "
                      "conda install graphviz).", stacklevel=2)
        return dot_file
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
