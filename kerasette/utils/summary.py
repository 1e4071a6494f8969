"""``model.summary()``: Keras's table of layers, output shapes and parameter counts."""

import sys

import numpy as np


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


def _rows(model):
    from kerasette.models import Functional, Sequential

    functional = isinstance(model, Functional) and not isinstance(model, Sequential) and model.built
    connections = _connections(model) if functional else {}
    rows = []
    for layer in model.layers:
        try:
            shape = _format_shape(layer.output_shape) if layer._inbound_nodes else "?"
        except (AttributeError, ValueError):
            shape = "?"
        row = [f"{layer.name} ({type(layer).__name__})", shape, f"{layer.count_params():,}"]
        if functional:
            row.append(", ".join(connections.get(layer.name, [])) or "-")
        rows.append((row, layer.trainable))
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


def print_summary(model, line_length=None, print_fn=None, show_trainable=False):
    """Print the summary table with box-drawing characters (ASCII when stdout can't encode them)."""
    print_fn = print_fn or print
    rows = _rows(model)
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if rows and len(rows[0][0]) == 4 else [])
    if show_trainable:
        headers.append("Trainable")
        rows = [(r + ["Y" if t else "N"], t) for r, t in rows]
    widths = [max(len(h), *(len(r[i]) for r, _ in rows)) + 2 if rows else len(h) + 2 for i, h in enumerate(headers)]
    widths = [max(w, 14) for w in widths]
    box = _box_chars()

    def line(left, mid, right, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def cells(values, vertical):
        parts = []
        for i, (value, w) in enumerate(zip(values, widths)):
            parts.append(" " + (value.rjust(w) if headers[i] == "Param #" else value.ljust(w)) + " ")
        return vertical + vertical.join(parts) + vertical

    lines = [f'Model: "{model.name}"', line(*box["top"]), cells(headers, box["hv"]), line(*box["head"])]
    for i, (row, _) in enumerate(rows):
        lines.append(cells(row, box["v"]))
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
