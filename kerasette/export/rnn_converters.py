"""Recurrent layers as ONNX RNN/GRU/LSTM: SimpleRNN, GRU, LSTM, RNN over their cells, Bidirectional, TimeDistributed.

Keras and ONNX lay the gates out differently: an LSTM kernel's columns are ``i, f, c, o`` in Keras and
``i, o, f, c`` in ONNX, and are reordered here; GRU gates are ``z, r, h`` in both, and ``reset_after=True``
is ONNX's ``linear_before_reset=1``. ``go_backwards`` runs forward over the reversed sequence, so the output
sequence stays in processing order, as Keras returns it.
"""

import numpy as np

from kerasette import activations, layers
from kerasette.export.registry import LayerCall, converter_for, mark_not_exportable, register_converter

_INT64_MIN = -(2 ** 63)
_ONNX_ACTIVATIONS = {activations.tanh: ("Tanh", None, None), activations.sigmoid: ("Sigmoid", None, None),
                     activations.relu: ("Relu", None, None), activations.linear: ("Affine", 1.0, 0.0),
                     activations.hard_sigmoid: ("HardSigmoid", 1.0 / 6.0, 0.5),
                     activations.softsign: ("Softsign", None, None), activations.softplus: ("Softplus", None, None),
                     activations.elu: ("Elu", 1.0, None), activations.leaky_relu: ("LeakyRelu", 0.2, None)}
_LSTM_GATES = (0, 3, 1, 2)  # Keras i, f, c, o -> ONNX i, o, f, c
_CELLS = {layers.SimpleRNNCell: "RNN", layers.GRUCell: "GRU", layers.LSTMCell: "LSTM"}


def _activation_attributes(call, functions):
    names, alphas, betas = [], [], []
    for function in functions:
        entry = _ONNX_ACTIVATIONS.get(function)
        if entry is None:
            name = getattr(function, "__name__", repr(function))
            raise call.error(f"its activation `{name}` has no ONNX recurrent form (tanh, sigmoid, relu, "
                             "hard_sigmoid, linear, softsign, softplus, elu and leaky_relu do)")
        names.append(entry[0])
        if entry[1] is not None:  # consumed in order by the functions that take them
            alphas.append(entry[1])
        if entry[2] is not None:
            betas.append(entry[2])
    return {"activations": names, "activation_alpha": alphas or None, "activation_beta": betas or None}


def _reorder(matrix, units, order):
    return np.concatenate([matrix[..., k * units:(k + 1) * units] for k in order], axis=-1)


def _cell_weights(cell):
    """``(op type, W, R, B, attributes)`` for one built-in cell, in ONNX's layouts (one direction)."""
    weights = {v.name: v.numpy() for v in cell.weights}
    units, op_type = cell.units, _CELLS[type(cell)]
    kernel, recurrent, bias = weights["kernel"], weights["recurrent_kernel"], weights.get("bias")
    gates = kernel.shape[1] // units
    attributes = {}
    if op_type == "LSTM":
        kernel, recurrent = _reorder(kernel, units, _LSTM_GATES), _reorder(recurrent, units, _LSTM_GATES)
        bias = None if bias is None else _reorder(bias, units, _LSTM_GATES)
    if op_type == "GRU":
        attributes["linear_before_reset"] = int(cell.reset_after)
        if bias is not None and cell.reset_after:
            bias = bias.reshape(-1)  # (input bias, recurrent bias)
    if bias is not None and bias.shape[0] == gates * units:
        bias = np.concatenate([bias, np.zeros_like(bias)])
    b = None if bias is None else bias[None]
    return op_type, kernel.T[None], recurrent.T[None], b, attributes


def _run_cell(call, cell, x, initial_states):
    """One ONNX recurrent op over time-major ``x``: ``(sequence (steps, batch, units), [final states])``."""
    b = call.builder
    op_type, w, r, bias, attributes = _cell_weights(cell)
    functions = [cell.activation] if op_type == "RNN" else [cell.recurrent_activation, cell.activation]
    if op_type == "LSTM":
        functions.append(cell.activation)
    inputs = [x, b.constant(w, "W"), b.constant(r, "R"), "" if bias is None else b.constant(bias, "B"), ""]
    inputs += [b.unsqueeze(state, [0]) for state in initial_states]
    while inputs[-1] == "":
        inputs.pop()
    count = 3 if op_type == "LSTM" else 2
    outputs = b.op(op_type, inputs, outputs=count, hidden_size=cell.units,
                   **attributes, **_activation_attributes(call, functions))
    sequence = b.squeeze(outputs[0], [1])
    return sequence, [b.squeeze(state, [0]) for state in outputs[1:]]


def _cells_of(call, layer):
    cell = layer.cell
    cells = list(cell.cells) if isinstance(cell, layers.StackedRNNCells) else [cell]
    for inner in cells:
        if type(inner) not in _CELLS:
            raise call.error(f"its cell `{inner.name}` ({type(inner).__name__}) runs Python code per step; only "
                             "SimpleRNNCell, GRUCell and LSTMCell (alone or stacked) are exported")
    return cells


def recurrent_outputs(call, layer, x, initial_state=None):
    """The outputs of recurrent ``layer`` on ``x`` (batch-major), as its ``call`` returns them (a list)."""
    b = call.builder
    if layer.stateful:
        raise call.error("a stateful RNN keeps its state between calls, which an ONNX graph cannot")
    cells = _cells_of(call, layer)
    sequence = b.transpose(x, [1, 0, 2])
    if layer.go_backwards:
        sequence = b.slice(sequence, [-1], [_INT64_MIN], [0], [-1])
    flat_states = list(initial_state or [])
    states = []
    for cell in cells:
        count = 2 if isinstance(cell, layers.LSTMCell) else 1
        given, flat_states = flat_states[:count], flat_states[count:]
        sequence, final = _run_cell(call, cell, sequence, given)
        states += final
    last = states[-2] if isinstance(cells[-1], layers.LSTMCell) else states[-1]
    output = b.transpose(sequence, [1, 0, 2]) if layer.return_sequences else last
    return [output, *states] if layer.return_state else [output]


@register_converter(layers.SimpleRNN, layers.GRU, layers.LSTM, layers.RNN, call_arguments=("initial_state",))
def recurrent(call):
    """SimpleRNN/GRU/LSTM, and RNN over built-in cells (stacked ones run one ONNX op per cell)."""
    outputs = recurrent_outputs(call, call.layer, call.input, _states(call.kwargs.get("initial_state")))
    return outputs if call.layer.return_state else outputs[0]


def _states(value):
    if value is None:
        return None
    return list(value) if isinstance(value, (list, tuple)) else [value]


@register_converter(layers.Bidirectional, call_arguments=("initial_state",))
def bidirectional(call):
    """Bidirectional: the forward and backward layers, the backward sequence flipped back, then merged."""
    b, layer = call.builder, call.layer
    states = _states(call.kwargs.get("initial_state")) or []
    half = len(states) // 2
    forward = recurrent_outputs(call, layer.forward_layer, call.input, states[:half] or None)
    backward = recurrent_outputs(call, layer.backward_layer, call.input, states[half:] or None)
    y, y_rev = forward[0], backward[0]
    if layer.return_sequences:
        y_rev = b.slice(y_rev, [-1], [_INT64_MIN], [1], [-1])
    merges = {"concat": lambda: b.op("Concat", [y, y_rev], axis=-1), "sum": lambda: b.op("Add", [y, y_rev]),
              "mul": lambda: b.op("Mul", [y, y_rev]),
              "ave": lambda: b.op("Div", [b.op("Add", [y, y_rev]), b.scalar(2.0)])}
    merged = [y, y_rev] if layer.merge_mode is None else [merges[layer.merge_mode]()]
    if layer.return_state or layer.merge_mode is None:
        return merged + forward[1:] + backward[1:]
    return merged[0]


@register_converter(layers.TimeDistributed)
def time_distributed(call):
    """TimeDistributed: the inner layer's converter on ``(batch * steps, ...)``, then the steps split back out."""
    b, inner = call.builder, call.layer.layer
    shape = call.input_shape
    if any(size is None for size in shape[2:]):
        raise call.error("the per-step shape must be known")
    merged = b.reshape(call.input, [-1, *shape[2:]])
    converter, _ = converter_for(inner)
    child_shape = (None, *shape[2:])
    child_out = inner.compute_output_shape(child_shape)
    inner_call = LayerCall(b, inner, [merged], [child_shape], call.input_dtypes, [child_out],
                           {v.name: v.numpy() for v in inner.weights}, {})
    y = converter(inner_call)
    leading = b.slice(b.op("Shape", [call.input]), [0], [2], [0])
    return b.op("Reshape", [y, b.op("Concat", [leading, b.int64s(child_out[1:], "step_shape")], axis=0)])


for _cell in (layers.SimpleRNNCell, layers.GRUCell, layers.LSTMCell, layers.StackedRNNCells):
    mark_not_exportable(_cell, "a cell computes one step of a recurrence; wrap it in `RNN` to export it")
for _conv_lstm in (layers.ConvLSTM1D, layers.ConvLSTM2D, layers.ConvLSTM3D):
    mark_not_exportable(_conv_lstm, "its converter is not written yet (ONNX has no convolutional LSTM operator: it "
                                    "needs a Loop over the steps with Conv nodes inside)")
