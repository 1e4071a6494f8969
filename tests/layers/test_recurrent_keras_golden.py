"""Recurrent layers against real Keras 3 (torch backend): same weights, same inputs, same numbers (1e-5).

Keras's outputs are computed once per case (tests/keras_reference.py caches them), so the numpy
and OpenCL runs compare against the same values. Masks include a sample whose first steps are
masked and initial states are nonzero, where Keras's rule (the output of a masked step repeats the
previous output, zeros before the first computed step) differs from repeating the state.
"""

import numpy as np
import pytest
from keras_reference import keras, keras_value, numpy_of

import kerasette as ks
from kerasette import layers

BATCH, STEPS, FEATURES, UNITS = 3, 6, 4, 5
X = np.random.default_rng(0).normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
MASK = np.ones((BATCH, STEPS), bool)
MASK[0, :2] = False
MASK[1, 3:] = False
MASK[2, [1, 4]] = False

CASES = [
    ("LSTM", {"return_sequences": True, "return_state": True}),
    ("LSTM", {"go_backwards": True, "return_sequences": True, "activation": "relu",
              "recurrent_activation": "hard_sigmoid"}),
    ("LSTM", {"zero_output_for_mask": True, "unit_forget_bias": False, "use_bias": False}),
    ("GRU", {"return_sequences": True, "return_state": True}),
    ("GRU", {"reset_after": False, "return_sequences": True, "return_state": True}),
    ("GRU", {"go_backwards": True, "return_sequences": True, "zero_output_for_mask": True}),
    ("SimpleRNN", {"return_sequences": True, "return_state": True}),
    ("SimpleRNN", {"go_backwards": True, "activation": "sigmoid"}),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]


def _weights(layer, seed):
    """Seeded random weights shaped as kerasette's ``layer`` (or model) holds them; Keras must take the same list."""
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.weights]


def _flat(value):
    """Outputs as a flat list (Keras nests the states of stacked cells: ``output, [h1, c1], h2``)."""
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flat(item)]
    return [value]


def _state_count(name):
    return 2 if name == "LSTM" else 1


@pytest.mark.parametrize("masked", [False, True], ids=["nomask", "mask"])
@pytest.mark.parametrize("with_state", [False, True], ids=["zero_state", "initial_state"])
@pytest.mark.parametrize("use_cudnn", ["auto", False], ids=["fused", "steps"])
@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_forward_matches_keras(index, use_cudnn, with_state, masked, backend):
    name, config = CASES[index]
    rng = np.random.default_rng(index)
    states = [rng.normal(size=(BATCH, UNITS)).astype("float32") for _ in range(_state_count(name))]
    kwargs = {"mask": MASK if masked else None, "initial_state": states if with_state else None}
    extra = {"use_cudnn": use_cudnn} if name != "SimpleRNN" else {}
    ours = getattr(layers, name)(UNITS, **config, **extra)
    ours.build((None, STEPS, FEATURES))
    weights = _weights(ours, index)
    ours.set_weights(weights)

    def keras_outputs():
        layer = getattr(keras.layers, name)(UNITS, **config)
        layer.build((None, STEPS, FEATURES))
        layer.set_weights(weights)
        return [numpy_of(o) for o in _flat(layer(X, **kwargs))]

    expected = keras_value(("forward", index, with_state, masked), lambda: np.concatenate(
        [o.reshape(BATCH, -1) for o in keras_outputs()], axis=1))
    got = np.concatenate([o.numpy().reshape(BATCH, -1) for o in _flat(ours(X, **kwargs))], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("masked", [False, True], ids=["nomask", "mask"])
def test_bidirectional_matches_keras(merge_mode, masked, backend):
    def make(module):
        inner = module.LSTM(UNITS, return_sequences=True, return_state=True)
        layer = module.Bidirectional(inner, merge_mode=merge_mode)
        layer.build((None, STEPS, FEATURES))
        return layer

    mask = MASK if masked else None
    ours = make(layers)
    weights = _weights(ours, 7)
    ours.set_weights(weights)

    def keras_outputs():
        reference = make(keras.layers)
        reference.set_weights(weights)
        return np.concatenate([numpy_of(o).reshape(BATCH, -1) for o in _flat(reference(X, mask=mask))], axis=1)

    expected = keras_value(("bidirectional", merge_mode, masked), keras_outputs)
    got = np.concatenate([o.numpy().reshape(BATCH, -1) for o in _flat(ours(X, mask=mask))], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_stacked_cells_and_time_distributed_match_keras(backend):
    def make(module):
        rnn = module.RNN([module.LSTMCell(4), module.SimpleRNNCell(3), module.GRUCell(2)], return_sequences=True,
                         return_state=True)
        dist = module.TimeDistributed(module.Dense(3, activation="tanh"))
        return rnn, dist

    ours = make(layers)
    ours[0].build((None, STEPS, FEATURES))
    ours[1].build((None, STEPS, 2))
    weights = [_weights(layer, 11 + k) for k, layer in enumerate(ours)]
    for layer, w in zip(ours, weights):
        layer.set_weights(w)

    def keras_outputs():
        reference = make(keras.layers)
        reference[0].build((None, STEPS, FEATURES))
        reference[1].build((None, STEPS, 2))
        for layer, w in zip(reference, weights):
            layer.set_weights(w)
        outs = _flat(reference[0](X, mask=MASK))
        outs = [numpy_of(o) for o in outs] + [numpy_of(reference[1](outs[0]))]
        return np.concatenate([o.reshape(BATCH, -1) for o in outs], axis=1)

    expected = keras_value("stacked_time_distributed", keras_outputs)
    outs = _flat(ours[0](X, mask=MASK))
    outs = [o.numpy() for o in outs] + [ours[1](outs[0]).numpy()]
    got = np.concatenate([o.reshape(BATCH, -1) for o in outs], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_stateful_layers_carry_states_like_keras(name, backend):
    def run(module, weights=None):
        model = module.Sequential([module.Input(batch_shape=(BATCH, 3, FEATURES)),
                                   getattr(module.layers, name)(UNITS, stateful=True, return_sequences=True)])
        if weights is not None:
            model.set_weights(weights)
        first = model.predict(X[:, :3], verbose=0)
        second = model.predict(X[:, 3:], verbose=0)
        model.layers[0].reset_states()
        third = model.predict(X[:, :3], verbose=0)
        return model, [np.asarray(first), np.asarray(second), np.asarray(third)]

    weights = _weights(run(ks)[0], 21)
    expected = keras_value(("stateful", name), lambda: np.stack(run(keras, weights)[1]))
    _, got = run(ks, weights)
    np.testing.assert_allclose(np.stack(got), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(got[0], got[2])  # reset_states starts over


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_one_sgd_step_matches_keras(name, backend):
    """Gradients through time end to end: the same weights after one SGD step on the same batch."""
    y = np.random.default_rng(5).normal(size=(BATCH, 2)).astype("float32")

    def build(module):
        inputs = module.Input((STEPS, FEATURES))
        hidden = getattr(module.layers, name)(UNITS, return_sequences=True)(module.layers.Masking(0.0)(inputs))
        outputs = module.layers.Dense(2)(getattr(module.layers, name)(UNITS)(hidden))
        return module.Model(inputs, outputs)

    x = X.copy()
    x[0, :2] = 0.0  # masked steps
    initial = _weights(build(ks), 31)

    def keras_step():
        reference = build(keras)
        reference.set_weights(initial)
        reference.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
        reference.train_on_batch(x, y)
        return np.concatenate([w.ravel() for w in reference.get_weights()])

    expected = keras_value(("sgd", name), keras_step)
    ours = build(ks)
    ours.set_weights(initial)
    ours.compile(optimizer=ks.optimizers.SGD(0.5), loss="mse")
    ours.train_on_batch(x, y)
    np.testing.assert_allclose(np.concatenate([w.ravel() for w in ours.get_weights()]), expected, rtol=1e-5,
                               atol=1e-5)
