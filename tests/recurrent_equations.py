"""SimpleRNN, LSTM and GRU written out in numpy from Keras's equations and weight layouts (batch-major).

The independent reference the recurrent tests compare kerasette against (with the weights as Keras
stores them: kernel (input_dim, gates * units), recurrent_kernel (units, gates * units), gate blocks
LSTM i, f, c, o and GRU z, r, h).
"""

import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def simple_rnn(x, kernel, recurrent_kernel, bias, h=None, activation=np.tanh):
    """(outputs (batch, steps, units), [h])."""
    h = np.zeros((x.shape[0], kernel.shape[1])) if h is None else h
    outputs = []
    for t in range(x.shape[1]):
        h = activation(x[:, t] @ kernel + bias + h @ recurrent_kernel)
        outputs.append(h)
    return np.stack(outputs, axis=1), [h]


def lstm(x, kernel, recurrent_kernel, bias, h=None, c=None):
    """(outputs, [h, c]) with sigmoid gates and tanh activations."""
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units)) if h is None else h
    c = np.zeros((x.shape[0], units)) if c is None else c
    outputs = []
    for t in range(x.shape[1]):
        i, f, g, o = np.split(x[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), [h, c]


def gru(x, kernel, recurrent_kernel, bias, h=None, reset_after=True):
    """(outputs, [h]); ``bias`` is (2, 3 * units) with ``reset_after``, else (3 * units,)."""
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units)) if h is None else h
    input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, np.zeros_like(bias))
    outputs = []
    for t in range(x.shape[1]):
        x_z, x_r, x_h = np.split(x[:, t] @ kernel + input_bias, 3, axis=1)
        r_all = h @ recurrent_kernel + recurrent_bias
        z = sigmoid(x_z + r_all[:, :units])
        r = sigmoid(x_r + r_all[:, units:2 * units])
        if reset_after:
            hh = np.tanh(x_h + r * r_all[:, 2 * units:])
        else:
            hh = np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * units:])
        h = z * h + (1 - z) * hh
        outputs.append(h)
    return np.stack(outputs, axis=1), [h]
