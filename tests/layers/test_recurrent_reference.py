"""SimpleRNN, LSTM and GRU against independent references: the equations written out in numpy, and
onnxruntime's RNN, LSTM and GRU operators (a separate C++ implementation), to 1e-5.

ONNX's layouts differ from Keras's: LSTM gates come in the order i, o, f, c with W = kernel.T and
two biases (input and recurrent); GRU keeps z, r, h and Keras's ``reset_after=True`` is ONNX's
``linear_before_reset=1``. The mapping below is the one a converter would use.
"""

import numpy as np
import pytest
from recurrent_equations import gru, lstm, simple_rnn

from kerasette import layers

BATCH, STEPS, FEATURES, UNITS = 3, 7, 4, 5


CASES = {  # the layer, its equations in numpy (tests/recurrent_equations.py), its number of states
    "simple_rnn": (lambda: layers.SimpleRNN(UNITS, return_sequences=True, return_state=True), simple_rnn, 1),
    "lstm": (lambda: layers.LSTM(UNITS, return_sequences=True, return_state=True), lstm, 2),
    "gru": (lambda: layers.GRU(UNITS, return_sequences=True, return_state=True), gru, 1),
    "gru_reset_before": (lambda: layers.GRU(UNITS, reset_after=False, return_sequences=True, return_state=True),
                         lambda *a: gru(*a, reset_after=False), 1),
}


def _layer_and_data(name, seed=0):
    make, _, n_states = CASES[name]
    rng = np.random.default_rng(seed)
    layer = make()
    layer.build((None, STEPS, FEATURES))
    weights = [rng.normal(scale=0.4, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    x = rng.normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
    states = [rng.normal(size=(BATCH, UNITS)).astype("float32") for _ in range(n_states)]
    return layer, weights, x, states


@pytest.mark.parametrize("name", list(CASES))
def test_forward_matches_the_numpy_equations(name, backend):
    layer, weights, x, states = _layer_and_data(name)
    equations = CASES[name][1]
    sequence, final = equations(*[a.astype("float64") for a in [x] + weights + states])
    outputs = layer(x, initial_state=states)
    np.testing.assert_allclose(outputs[0].numpy(), sequence, rtol=1e-5, atol=1e-5)
    for got, want in zip(outputs[1:], final):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)


# ----- onnxruntime ---------------------------------------------------------------------------------
def _lstm_onnx_order(matrix, units):
    """Keras's gate blocks i, f, c, o (along axis 0) in ONNX's order i, o, f, c."""
    i, f, c, o = (matrix[k * units:(k + 1) * units] for k in range(4))
    return np.concatenate([i, o, f, c])


def _onnx_model(name, weights, states):
    onnx = pytest.importorskip("onnx")
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    kernel, recurrent_kernel, bias = weights
    units = recurrent_kernel.shape[0]
    attributes = {"hidden_size": units}
    if name == "lstm":
        op = "LSTM"
        w, r = _lstm_onnx_order(kernel.T, units), _lstm_onnx_order(recurrent_kernel.T, units)
        b = np.concatenate([_lstm_onnx_order(bias, units), np.zeros(4 * units, "float32")])
    elif name == "gru":
        op, w, r, b = "GRU", kernel.T, recurrent_kernel.T, np.concatenate([bias[0], bias[1]])
        attributes["linear_before_reset"] = 1
    elif name == "gru_reset_before":
        op, w, r, b = "GRU", kernel.T, recurrent_kernel.T, np.concatenate([bias, np.zeros_like(bias)])
    else:
        op, w, r, b = "RNN", kernel.T, recurrent_kernel.T, np.concatenate([bias, np.zeros_like(bias)])
    initializers = [numpy_helper.from_array(np.ascontiguousarray(v[None]).astype("float32"), n)
                    for n, v in (("W", w), ("R", r), ("B", b))]
    initializers += [numpy_helper.from_array(s[None].astype("float32"), n)
                     for n, s in zip(("initial_h", "initial_c"), states)]
    inputs = ["X", "W", "R", "B", "", "initial_h"] + (["initial_c"] if op == "LSTM" else [])
    outputs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node = helper.make_node(op, inputs, outputs, **attributes)
    graph = helper.make_graph(
        [node], "recurrent", [helper.make_tensor_value_info("X", onnx.TensorProto.FLOAT, [STEPS, BATCH, FEATURES])],
        [helper.make_tensor_value_info(o, onnx.TensorProto.FLOAT, None) for o in outputs], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


@pytest.mark.parametrize("name", list(CASES))
def test_forward_matches_onnxruntime(name, backend):
    ort = pytest.importorskip("onnxruntime")
    layer, weights, x, states = _layer_and_data(name, seed=1)
    session = ort.InferenceSession(_onnx_model(name, weights, states), providers=["CPUExecutionProvider"])
    y, *final = session.run(None, {"X": np.ascontiguousarray(x.transpose(1, 0, 2))})
    outputs = layer(x, initial_state=states)
    np.testing.assert_allclose(outputs[0].numpy(), y[:, 0].transpose(1, 0, 2), rtol=1e-5, atol=1e-5)
    for got, want in zip(outputs[1:], final):
        np.testing.assert_allclose(got.numpy(), want[0], rtol=1e-5, atol=1e-5)
