"""What users of the recurrent layers check: masks, states, dropout, wrappers, configs and clear errors."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops

X = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
MASK = np.array([[True, True, False, True, False], [False, True, True, True, True]])


def _flat(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


# ----- masks -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda **k: layers.LSTM(4, **k), lambda **k: layers.GRU(4, **k),
                                  lambda **k: layers.SimpleRNN(4, **k)], ids=["lstm", "gru", "simple_rnn"])
def test_masked_steps_carry_the_state_and_repeat_the_output(make, backend):
    layer = make(return_sequences=True, return_state=True)
    out, *states = layer(X, mask=MASK)
    out = out.numpy()
    np.testing.assert_array_equal(out[0, 2], out[0, 1])  # masked step: the previous output again
    np.testing.assert_array_equal(out[0, 4], out[0, 3])
    np.testing.assert_array_equal(out[1, 0], 0.0)  # masked before any computed step: zeros
    np.testing.assert_array_equal(states[0].numpy()[0], out[0, 3])  # the state of the last computed step
    # the same as running only the kept steps
    kept, *kept_states = layer(X[:1, [0, 1, 3]])
    np.testing.assert_allclose(out[0, [0, 1, 3]], kept.numpy()[0], rtol=1e-6, atol=1e-6)
    for got, want in zip(states, kept_states):
        np.testing.assert_allclose(got.numpy()[0], want.numpy()[0], rtol=1e-6, atol=1e-6)
    zeroed = make(return_sequences=True, zero_output_for_mask=True)
    zeroed(X)
    zeroed.set_weights(layer.get_weights())
    np.testing.assert_array_equal(zeroed(X, mask=MASK).numpy()[~MASK], 0.0)


def test_compute_mask_passes_the_mask_on_only_with_sequences():
    mask = ops.convert_to_tensor(MASK)
    assert layers.LSTM(2, return_sequences=True).compute_mask(X, mask) is mask
    assert layers.LSTM(2).compute_mask(X, mask) is None
    assert layers.GRU(2, return_sequences=True, return_state=True).compute_mask(X, mask) == [mask, None]
    assert layers.LSTM(2, return_state=True).compute_mask(X, mask) == [None, None, None]
    assert layers.LSTM(2).supports_masking and layers.Bidirectional(layers.GRU(2)).supports_masking


def test_a_masking_layer_feeds_the_mask_through_a_model(backend):
    x = X.copy()
    x[0, 2:] = 0.0
    inputs = ks.Input((None, 3))
    model = ks.Model(inputs, layers.GRU(4)(layers.Masking(0.0)(inputs)))
    np.testing.assert_allclose(model.predict(x, verbose=0)[0], model.predict(x[:, :2], verbose=0)[0], rtol=1e-6)


# ----- the two implementations -------------------------------------------------------------------------
@pytest.mark.parametrize("name,kwargs", [("LSTM", {"dropout": 0.4, "seed": 3}), ("GRU", {"dropout": 0.4, "seed": 3}),
                                         ("SimpleRNN", {"dropout": 0.4, "seed": 3}),
                                         ("LSTM", {"go_backwards": True, "zero_output_for_mask": True})])
def test_fused_and_step_by_step_implementations_agree(name, kwargs, backend):
    cls = getattr(layers, name)
    extra = {"use_cudnn": False} if name != "SimpleRNN" else {}
    fused, steps = cls(4, return_sequences=True, **kwargs), cls(4, return_sequences=True, **kwargs, **extra)
    if name == "SimpleRNN":
        steps.cell._fused_activations = lambda training: None  # no use_cudnn argument: force the loop
    fused(X)
    steps(X)
    steps.set_weights(fused.get_weights())
    for training in (False, True):
        np.testing.assert_allclose(steps(X, mask=MASK, training=training).numpy(),
                                   fused(X, mask=MASK, training=training).numpy(), rtol=1e-6, atol=1e-6)


def test_use_cudnn_true_requires_the_fused_form():
    with pytest.raises(ValueError, match="use_cudnn=True was specified for layer `gru`"):
        layers.GRU(2, reset_after=False, use_cudnn=True)(X)
    assert layers.LSTM(2, use_cudnn=True)(X).shape == (2, 2)


# ----- dropout ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{"dropout": 0.5}, {"recurrent_dropout": 0.5},
                                    {"implementation": 1, "dropout": 0.5}])
@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_dropout_applies_only_while_training(name, kwargs, backend):
    if name == "SimpleRNN" and "implementation" in kwargs:
        pytest.skip("SimpleRNN has no implementation argument")
    layer = getattr(layers, name)(4, seed=1, **kwargs)
    plain = getattr(layers, name)(4)
    plain(X)
    layer(X)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(X).numpy(), plain(X).numpy(), rtol=1e-6, atol=1e-6)  # inference: no dropout
    assert not np.allclose(layer(X, training=True).numpy(), plain(X).numpy())
    assert layer.cell._dropout_mask is None and layer.cell._recurrent_dropout_mask is None  # drawn per call


def test_a_model_with_recurrent_dropout_trains(backend):
    """The loss without dropout (evaluate) drops: fit's own loss carries the masks' noise from epoch to epoch.

    Over seeds 0-29 this model's evaluated loss fell to 0.13-0.53 of where it started (0.15-0.63 on OpenCL).
    """
    model = ks.Sequential([ks.Input((5, 3)), layers.LSTM(4, dropout=0.2, recurrent_dropout=0.3), layers.Dense(1)])
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="mse")
    y = np.ones((2, 1), "float32")
    before = model.evaluate(X, y, verbose=0)
    model.fit(X, y, epochs=10, verbose=0)
    assert model.evaluate(X, y, verbose=0) < 0.9 * before


# ----- states -------------------------------------------------------------------------------------------
def test_initial_state_and_return_state_chain_an_encoder_into_a_decoder(backend):
    encoder_inputs, decoder_inputs = ks.Input((5, 3)), ks.Input((4, 2))
    _, h, c = layers.LSTM(6, return_state=True)(encoder_inputs)
    decoded = layers.LSTM(6, return_sequences=True)(decoder_inputs, initial_state=[h, c])
    model = ks.Model([encoder_inputs, decoder_inputs], layers.Dense(2)(decoded))
    y = model.predict([X, X[:, :4, :2]], verbose=0)
    assert y.shape == (2, 4, 2)
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()[0].copy()  # the encoder's kernel: trained through the initial states
    model.fit([X, X[:, :4, :2]], np.zeros((2, 4, 2), "float32"), verbose=0)
    assert not np.array_equal(before, model.get_weights()[0])


def test_stateful_layer_continues_from_the_last_batch_and_resets(backend):
    layer = layers.GRU(3, stateful=True)
    model = ks.Sequential([ks.Input(batch_shape=(2, 5, 3)), layer])
    whole = layers.GRU(3)
    whole(np.concatenate([X, X], axis=1))
    whole.set_weights(layer.get_weights())
    model.predict(X, verbose=0)
    np.testing.assert_allclose(model.predict(X, verbose=0), whole(np.concatenate([X, X], axis=1)).numpy(),
                               rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(model.predict(X, verbose=0), whole(X).numpy(), rtol=1e-5, atol=1e-6)
    layer.reset_states([np.ones((2, 3), "float32")])
    np.testing.assert_allclose(layer.states[0].numpy(), 1.0)
    assert layer.weights == layer.trainable_weights  # the states are not weights (not saved), as in Keras
    with pytest.raises(AttributeError, match="must be stateful"):
        layers.GRU(3).reset_states()


def test_stateful_model_trains_with_a_fixed_batch(backend):
    model = ks.Sequential([ks.Input(batch_shape=(2, 5, 3)), layers.LSTM(4, stateful=True), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(np.concatenate([X, X]), np.ones((4, 1), "float32"), batch_size=2, shuffle=False, epochs=2,
                        verbose=0)
    assert np.isfinite(history.history["loss"]).all()


# ----- the cells, wrappers and weights ------------------------------------------------------------------
def test_cells_compute_one_step_and_lay_out_weights_as_keras():
    cell = layers.LSTMCell(4)
    h, (h2, c) = cell(X[:, 0], [np.zeros((2, 4), "float32"), np.zeros((2, 4), "float32")])
    assert h.shape == (2, 4) and h2 is h and c.shape == (2, 4)
    assert [tuple(w.shape) for w in cell.weights] == [(3, 16), (4, 16), (16,)]
    np.testing.assert_array_equal(cell.bias.numpy(), np.repeat([0.0, 1.0, 0.0, 0.0], 4))  # unit_forget_bias
    gru, gru_before = layers.GRU(4), layers.GRU(4, reset_after=False)
    gru(X)
    gru_before(X)
    assert [w.name for w in gru.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert tuple(gru.weights[2].shape) == (2, 12) and tuple(gru_before.weights[2].shape) == (12,)
    simple = layers.SimpleRNN(4)
    simple(X)
    counts = [simple.count_params(), gru.count_params()]
    assert counts == [4 * (3 + 4) + 4, 3 * (4 * (3 + 4) + 2 * 4)]  # Keras's summary() figures


def test_go_backwards_returns_the_reversed_sequence(backend):
    forward, backward = layers.LSTM(3, return_sequences=True), layers.LSTM(3, return_sequences=True, go_backwards=True)
    forward(X)
    backward(X)
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(X).numpy(), forward(X[:, ::-1]).numpy(), rtol=1e-6, atol=1e-6)


def test_bidirectional_sublayers_weights_and_initial_states(backend):
    layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True, name="encoder"))
    states = [np.full((2, 3), v, "float32") for v in (0.1, 0.2, 0.3, 0.4)]
    out = layer(X, initial_state=states)
    assert out.shape == (2, 5, 6)
    assert (layer.forward_layer.name, layer.backward_layer.name) == ("forward_encoder", "backward_encoder")
    assert layer.backward_layer.go_backwards and layer.forward_layer.zero_output_for_mask
    assert [w.path for w in layer.weights][:3] == ["bidirectional/forward_encoder/lstm_cell/kernel",
                                                   "bidirectional/forward_encoder/lstm_cell/recurrent_kernel",
                                                   "bidirectional/forward_encoder/lstm_cell/bias"]
    forward = layer.forward_layer(X, initial_state=states[:2]).numpy()
    backward = layer.backward_layer(X, initial_state=states[2:]).numpy()[:, ::-1]
    np.testing.assert_allclose(out.numpy(), np.concatenate([forward, backward], axis=-1), rtol=1e-6)
    custom = layers.Bidirectional(layers.GRU(2), backward_layer=layers.GRU(2, go_backwards=True, activation="relu"))
    assert custom(X).shape == (2, 4) and custom.backward_layer.activation.__name__ == "relu"
    clone = layers.Bidirectional.from_config(custom.get_config())
    assert clone.backward_layer.activation.__name__ == "relu"


def test_bidirectional_initial_weights_and_keras2_layer_names(backend):
    reference = layers.Bidirectional(layers.SimpleRNN(2))
    reference(X)
    weights = reference.get_weights()
    layer = layers.Bidirectional(layers.SimpleRNN(2), weights=weights)
    layer(X)
    for got, want in zip(layer.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    config = {"name": "bidirectional_9", "merge_mode": "ave", "layer": {
        "class_name": "LSTM", "config": {"name": "lstm", "units": 2, "time_major": False, "implementation": 2}}}
    loaded = layers.Bidirectional.from_config(config)  # a tf.keras 2 config
    assert loaded.forward_layer.name == "forward_lstm" and loaded(X).shape == (2, 2)


def test_time_distributed_applies_the_same_layer_to_every_step(backend):
    dense = layers.Dense(4)
    wrapped = layers.TimeDistributed(dense)
    out = wrapped(X)
    np.testing.assert_allclose(out.numpy()[:, 3], dense(X[:, 3]).numpy(), rtol=1e-6)
    frames = np.random.default_rng(1).normal(size=(2, 3, 6, 6, 2)).astype("float32")
    conv = layers.TimeDistributed(layers.Conv2D(3, 3))
    assert conv(frames).shape == (2, 3, 4, 4, 3) == conv.compute_output_shape((2, 3, 6, 6, 2))
    norm = layers.TimeDistributed(layers.BatchNormalization())
    training = norm(X, training=True).numpy()  # statistics per step, as Keras's loop over steps
    np.testing.assert_allclose(training.mean(axis=0), 0.0, atol=1e-5)


def test_activity_regularizer_adds_a_loss():
    layer = layers.LSTM(2, activity_regularizer="l2")
    layer(X)
    assert len(layer.losses) == 1 and float(layer.losses[0]) > 0


# ----- errors -------------------------------------------------------------------------------------------
def _built(layer, shape):
    layer.build(shape)
    return layer


@pytest.mark.parametrize("call,error,match", [
    (lambda: layers.LSTM(3)(X[:, 0]), ValueError, r"layer 'lstm'.*expected ndim=3, found ndim=2"),
    (lambda: layers.GRU(3)(X, mask=MASK[:, :4]), ValueError,
     r"Invalid `mask` for layer `gru`: expected a boolean tensor of shape \(batch_size, timesteps\) = \(2, 5\)"),
    (lambda: layers.LSTM(3)(X, initial_state=[np.zeros((2, 3), "float32")]), ValueError,
     r"Invalid `initial_state` for layer `lstm`: expected 2 tensor\(s\) of shape\(s\) \[\(2, 3\), \(2, 3\)\]"),
    (lambda: layers.SimpleRNN(3)(X, initial_state=[np.zeros((2, 4), "float32")]), ValueError,
     r"Invalid `initial_state` for layer `simple_rnn`.*Received shape\(s\) \[\(2, 4\)\]"),
    (lambda: ks.Sequential([ks.Input((5, 3)), layers.LSTM(3, stateful=True)]), ValueError,
     r"`stateful=True` in a RNN \(layer `lstm`\), the batch size must be static"),
    (lambda: _built(layers.LSTM(3, stateful=True), (4, 5, 3))(X), ValueError,
     "Expected batch size: 4. Received batch size: 2"),
    (lambda: layers.LSTM(3, unroll=True)(ks.Input((None, 3))), ValueError, "Cannot unroll a RNN"),
    (lambda: layers.LSTM(0), ValueError, r"argument `units` of layer `lstm_cell`.*Received: units=0"),
    (lambda: layers.GRU(3, dropout=1.5), ValueError, r"argument `dropout` of layer `gru_cell`.*float in \[0, 1\)"),
    (lambda: layers.LSTM(3, implementation=3), ValueError, "argument `implementation`"),
    (lambda: layers.LSTM(3, time_major=True), ValueError, "time_major=True"),
    (lambda: layers.GRU(3, use_cudnn="yes"), ValueError, "argument `use_cudnn`"),
    (lambda: layers.RNN(object()), ValueError, "should have a `call` method"),
    (lambda: layers.StackedRNNCells([]), ValueError, "argument `cells`"),
    (lambda: layers.Bidirectional(layers.LSTM(2), merge_mode="max"), ValueError, "argument `merge_mode`"),
    (lambda: layers.Bidirectional("lstm"), ValueError, "Layer` instance"),
    (lambda: layers.Bidirectional(layers.Dense(2)), ValueError, "needs a recurrent layer"),
    (lambda: layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2)), ValueError,
     "different `go_backwards`"),
    (lambda: layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2, go_backwards=True,
                                                                              return_sequences=True)),
     ValueError, 'same value for attribute "return_sequences"'),
    (lambda: layers.TimeDistributed(layers.Dense(2))(X[:, 0]), ValueError, "at least 3 dimensions"),
    (lambda: layers.TimeDistributed(layers.Dense(2))(X, mask=MASK[:1]), ValueError, "incompatible with the input"),
])
def test_bad_input_is_a_clear_error_naming_the_layer(call, error, match):
    with pytest.raises(error, match=match):
        call()
