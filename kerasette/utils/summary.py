"""``model.summary()``: Keras's table of layers, output shapes and parameter counts."""

import re
import sys
import textwrap

import numpy as np

_DEFAULT_POSITIONS = {3: [0.45, 0.80, 1.0], 4: [0.3, 0.56, 0.74, 1.0]}  # Keras 3's, by column count


def _format_shape(shape):
    if isinstance(shape, list):
        return ", ".join(_format_shape(s) for s in shape)
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _size(count, dtype_bytes=4):
    size = float(count * dtype_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024


def _count(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


def _is_graph(model):
    from kerasette.models import Functional, Sequential

    return isinstance(model, Functional) and not isinstance(model, Sequential) and model.built


def layer_index_bounds(layers, layer_range):
    """``[first, last + 1]`` of the layers whose names match ``layer_range`` (regexes, as Keras matches them).

    Args:
        layers: the layers, in order.
        layer_range: None (all layers) or two strings: the first layer is the first one whose name
            matches ``layer_range[0]``, the last the last one matching ``layer_range[1]``.

    Raises:
        ValueError: ``layer_range`` is not two strings, or a pattern matches no layer.
    """
    if layer_range is None:
        return [0, len(layers)]
    if not isinstance(layer_range, (list, tuple)) or len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: layer_range={layer_range!r}")
    if not all(isinstance(p, str) for p in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range!r}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. Received: {layer_range!r}")
    if min(lower) > max(upper):
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]


def _rows(model, connected, expand_nested, layer_range, depth=0):
    """``[(cells, trainable)]``: one row per layer, and with ``expand_nested`` the layers of nested models."""
    connections = _connections(model) if connected else {}
    layers = model.layers
    first, last = layer_index_bounds(layers, layer_range) if depth == 0 else (0, len(layers))
    rows = []
    for layer in layers[first:last]:
        try:
            shape = _format_shape(layer.output_shape) if layer._inbound_nodes else "?"
        except (AttributeError, ValueError):
            shape = "?"
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        row = ["  " * depth + f"{layer.name} ({type(layer).__name__})", shape, params]
        if connected:
            row.append(", ".join(connections.get(layer.name, [])) or "-")
        rows.append((row, layer.trainable))
        if expand_nested and hasattr(layer, "layers") and getattr(layer, "_is_model_class", False):
            nested = _rows(layer, False, True, None, depth + 1)
            rows += [(cells + ([""] if connected else []), trainable) for cells, trainable in nested]
    return rows


def _connections(model):
    """Layer name -> ["input[node][tensor]", ...] over this model's calls of the layer (Keras numbering)."""
    from kerasette.models.graph import tensor_ref

    numbering = model.graph.numbering()
    found = {}
    for node in model.graph.nodes:
        for tensor in node.input_tensors:
            name, index, tensor_index = tensor_ref(tensor, numbering)
            found.setdefault(node.layer.name, []).append(f"{name}[{index}][{tensor_index}]")
    return found


def _fixed_widths(line_length, positions, columns):
    """Column text widths from Keras's ``positions`` (fractions of ``line_length``, or absolute ends)."""
    positions = list(positions or _DEFAULT_POSITIONS.get(columns, [(i + 1) / columns for i in range(columns)]))
    if len(positions) < columns:  # the Trainable column, as Keras adds it
        positions = [p * 0.9 for p in positions] + [1.0] if max(positions) <= 1 else positions + [line_length]
    if len(positions) != columns:
        raise ValueError(f"`positions` needs {columns} entries (one per column). Received: {positions!r}")
    ends = [int(p * line_length) if max(positions) <= 1 else int(p) for p in positions]
    widths, start = [], 0
    for end in ends:
        width = end - start - 3  # a border and a space each side
        if width < 4:
            raise ValueError("Insufficient console width to print summary: increase `line_length` or change "
                             f"`positions` (received line_length={line_length}, positions={positions}).")
        widths.append(width)
        start = end
    widths[-1] -= 1  # the closing border
    return widths


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                  layer_range=None):
    """Print the summary table with box-drawing characters (ASCII when stdout can't encode them).

    Args:
        model: the model; layers not yet called show ``?`` as their output shape.
        line_length: the table's total width; cells that do not fit wrap. By default the columns
            fit their contents.
        positions: where each column ends, as fractions of ``line_length`` (or absolute
            positions); Keras's defaults otherwise. Needs ``line_length``-style wrapping, so it
            implies a fixed width (88 or 108 characters when ``line_length`` is None).
        print_fn: a function taking one line of text (default: ``print``).
        expand_nested: also list the layers inside nested models, indented under them.
        show_trainable: add a column saying whether each layer is trainable.
        layer_range: two name patterns: show only the layers from the first match of the first to
            the last match of the second.
    """
    print_fn = print_fn or print
    connected = _is_graph(model)
    rows = _rows(model, connected, expand_nested, layer_range)
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else [])
    if show_trainable:
        headers.append("Trainable")
        rows = [(r + ["Y" if t else "N"], t) for r, t in rows]
    if line_length is None and positions is None:
        widths = [max(len(h), *(len(r[i]) for r, _ in rows)) + 2 if rows else len(h) + 2 for i, h in enumerate(headers)]
        widths = [max(w, 14) for w in widths]
    else:
        default_length = (108 if connected else 88) + (12 if show_trainable else 0)
        widths = _fixed_widths(line_length or default_length, positions, len(headers))
    box = _box_chars()

    def line(left, mid, right, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def cells(values, vertical):
        wrapped = [textwrap.wrap(value, w) or [""] for value, w in zip(values, widths)]
        out = []
        for k in range(max(len(parts) for parts in wrapped)):
            parts = []
            for i, (chunks, w) in enumerate(zip(wrapped, widths)):
                text = chunks[k] if k < len(chunks) else ""
                parts.append(" " + (text.rjust(w) if headers[i] == "Param #" else text.ljust(w)) + " ")
            out.append(vertical + vertical.join(parts) + vertical)
        return out

    lines = [f'Model: "{model.name}"', line(*box["top"]), *cells(headers, box["hv"]), line(*box["head"])]
    for i, (row, _) in enumerate(rows):
        lines += cells(row, box["v"])
        if i < len(rows) - 1:
            lines.append(line(*box["mid"]))
    lines.append(line(*box["bottom"]))
    trainable, non_trainable = _count(model.trainable_weights), _count(model.non_trainable_weights)
    total = trainable + non_trainable
    lines += [f" Total params: {total:,} ({_size(total)})",
              f" Trainable params: {trainable:,} ({_size(trainable)})",
              f" Non-trainable params: {non_trainable:,} ({_size(non_trainable)})"]
    for text in lines:
        print_fn(text)


def _box_chars():
    fancy = {"top": ("┏", "┳", "┓", "━"), "head": ("┡", "╇", "┩", "━"), "mid": ("├", "┼", "┤", "─"),
             "bottom": ("└", "┴", "┘", "─"), "v": "│", "hv": "┃"}
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "┏━┡╇│┃└┴┘".encode(encoding)
        return fancy
    except (UnicodeEncodeError, LookupError):
        return {"top": ("+", "+", "+", "-"), "head": ("+", "+", "+", "="), "mid": ("+", "+", "+", "-"),
                "bottom": ("+", "+", "+", "-"), "v": "|", "hv": "|"}
