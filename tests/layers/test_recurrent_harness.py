"""Every recurrent layer and wrapper through the layer harness, on every backend that loads.

Output shapes against ``compute_output_shape``; config round trips; gradients of the inputs, the
weights and the initial states against float64 finite differences (with masks and ``return_state``
too); one training step; save and load (.keras and .h5). The fused implementation and the
step-by-step one (``use_cudnn=False``) both go through it.
"""

import numpy as np
import pytest
from finite_differences import central_difference
from layer_checks import (
    as_list,
    assert_config_round_trip,
    assert_one_training_epoch_changes_every_weight,
    assert_weight_gradients_match_finite_differences,
)

import kerasette as ks
from kerasette import layers, ops
from kerasette.saving import register_keras_serializable


@register_keras_serializable(package="kerasette_tests")
class MinimalRNNCell(layers.Layer):
    """Keras's documentation example of a custom cell: ``h = x @ W + h_prev @ U``."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[-1], self.units), "glorot_uniform", name="kernel")
        self.recurrent_kernel = self.add_weight((self.units, self.units), "orthogonal", name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.add(ops.matmul(inputs, self.kernel), ops.matmul(states[0], self.recurrent_kernel))
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


# (id, layer factory, whether the case feeds a mask)
CASES = [
    ("simple_rnn", lambda **kw: layers.SimpleRNN(3, **kw), False),
    ("simple_rnn_seq_back_relu", lambda **kw: layers.SimpleRNN(3, return_sequences=True, go_backwards=True,
                                                               activation="relu", **kw), True),
    ("simple_rnn_state_steps", lambda **kw: layers.SimpleRNN(2, return_state=True, use_cudnn=False, **kw), True),
    ("lstm", lambda **kw: layers.LSTM(3, **kw), False),
    ("lstm_seq_state_masked", lambda **kw: layers.LSTM(3, return_sequences=True, return_state=True, **kw), True),
    ("lstm_back_nobias_hard", lambda **kw: layers.LSTM(2, go_backwards=True, use_bias=False,
                                                       recurrent_activation="hard_sigmoid", **kw), True),
    ("lstm_steps_zero_out", lambda **kw: layers.LSTM(2, return_sequences=True, use_cudnn=False,
                                                     zero_output_for_mask=True, **kw), True),
    ("gru", lambda **kw: layers.GRU(3, **kw), False),
    ("gru_seq_state_masked", lambda **kw: layers.GRU(3, return_sequences=True, return_state=True, **kw), True),
    ("gru_reset_before", lambda **kw: layers.GRU(2, reset_after=False, return_sequences=True, **kw), True),
    ("gru_back_nobias", lambda **kw: layers.GRU(2, go_backwards=True, use_bias=False, **kw), False),
    # cells take their own dtype (as in Keras), so the cases pass the RNN's on
    ("rnn_custom_cell", lambda **kw: layers.RNN(MinimalRNNCell(3, dtype=kw.get("dtype")), return_sequences=True,
                                                **kw), True),
    ("rnn_stacked", lambda **kw: layers.RNN([layers.LSTMCell(3, dtype=kw.get("dtype")),
                                             layers.GRUCell(2, dtype=kw.get("dtype"))], return_state=True, **kw), True),
    ("bidirectional_lstm", lambda **kw: layers.Bidirectional(layers.LSTM(2, return_sequences=True, **kw), **kw), True),
    ("bidirectional_gru_sum", lambda **kw: layers.Bidirectional(layers.GRU(2, **kw), merge_mode="sum", **kw), True),
    ("bidirectional_rnn_state_none", lambda **kw: layers.Bidirectional(
        layers.SimpleRNN(2, return_sequences=True, return_state=True, **kw), merge_mode=None, **kw), True),
    ("time_distributed_dense", lambda **kw: layers.TimeDistributed(layers.Dense(3, activation="tanh", **kw), **kw),
     False),
]
IDS = [case[0] for case in CASES]
SHAPE = (4, 2)  # timesteps, features
MASK = np.array([[True, True, False, True], [False, True, True, False]])


def _input(batch=2, seed=0, shape=SHAPE):
    return np.random.default_rng(seed).normal(size=(batch,) + shape)


def _state_count(layer):
    target = layer.forward_layer if isinstance(layer, layers.Bidirectional) else layer
    if not isinstance(target, layers.RNN):
        return 0
    count = sum(len(s) if isinstance(s, list) else 1 for s in target.state_size)
    return 2 * count if isinstance(layer, layers.Bidirectional) else count


@pytest.mark.parametrize("case_id,make,_", CASES, ids=IDS)
def test_output_shapes_match_compute_output_shape(case_id, make, _, backend):
    layer = make()
    symbolic = as_list(layer(ks.Input(shape=SHAPE)))
    eager = as_list(layer(_input(batch=3).astype("float32")))
    assert [s.shape for s in symbolic] == [(None,) + tuple(e.shape[1:]) for e in eager]
    assert all(e.dtype == "float32" and e.shape[0] == 3 for e in eager)


@pytest.mark.parametrize("case_id,make,_", CASES, ids=IDS)
def test_config_round_trip_gives_the_same_layer(case_id, make, _, backend):
    assert_config_round_trip(make(), _input().astype("float32"))


@pytest.mark.parametrize("case_id,make,masked", CASES, ids=IDS)
def test_gradients_match_finite_differences(case_id, make, masked, backend):
    layer = make(dtype="float64")
    x_host = _input(seed=1)
    mask = MASK if masked else None
    layer(x_host)  # build
    rng = np.random.default_rng(2)
    for w in layer.weights:  # away from the initial values (zeros biases, orthogonal kernels)
        w.assign(w.numpy() + rng.normal(scale=0.3, size=w.shape))
    states = [rng.normal(size=(2, size)) for size in _initial_state_sizes(layer)]
    kwargs = {"mask": mask} if mask is not None else {}
    state_tensors = [ops.convert_to_tensor(s) for s in states]
    if states:
        kwargs["initial_state"] = state_tensors
    cotangents = [rng.normal(size=o.shape) for o in as_list(layer(x_host, **kwargs))]

    def objective():
        with ops.stop_recording():
            outs = as_list(layer(x_host, **dict(kwargs, initial_state=[ops.convert_to_tensor(s) for s in states])
                                  if states else kwargs))
            return sum(float(np.sum(o.numpy() * c)) for o, c in zip(outs, cotangents))

    x = ops.convert_to_tensor(x_host)
    with ops.GradientTape() as tape:
        tape.watch(x)
        for s in state_tensors:
            tape.watch(s)
        outs = as_list(layer(x, **kwargs))
        loss = ops.sum(ops.stack([ops.sum(ops.multiply(o, c)) for o, c in zip(outs, cotangents)]))
    grads = tape.gradient(loss, [x] + state_tensors + layer.trainable_weights)
    np.testing.assert_allclose(grads[0].numpy(), central_difference(lambda _: objective(), x_host), rtol=1e-5,
                               atol=1e-7, err_msg="input")
    for k, (host, grad) in enumerate(zip(states, grads[1:1 + len(states)])):
        np.testing.assert_allclose(grad.numpy(), central_difference(lambda _: objective(), host), rtol=1e-5,
                                   atol=1e-7, err_msg=f"initial state {k}")
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads[1 + len(states):], objective,
                                                     rtol=1e-5, atol=1e-7)


def _initial_state_sizes(layer):
    """Sizes of the initial states a case passes (the RNN layers with return_state: exercise that path too)."""
    if isinstance(layer, layers.RNN) and layer.return_state:
        return [s for size in layer.state_size for s in (size if isinstance(size, list) else [size])]
    return []


def _model(make, masked):
    inputs = ks.Input(shape=SHAPE)
    x = layers.Masking(mask_value=0.0)(inputs) if masked else inputs
    outs = [layers.GlobalAveragePooling1D()(o) if len(o.shape) == 3 else o  # honours the mask (Flatten drops it)
            for o in as_list(make()(x))]
    joined = layers.Concatenate()(outs) if len(outs) > 1 else outs[0]  # every output (and state) reaches the loss
    return ks.Model(inputs, layers.Dense(1)(joined))


def _masked_input(batch, seed=0):
    x = _input(batch=batch, seed=seed).astype("float32")
    x[::2, 2] = 0.0  # fully zero steps: masked by Masking(0.0)
    return x


@pytest.mark.parametrize("case_id,make,masked", CASES, ids=IDS)
def test_one_training_step_changes_weights_and_keeps_loss_finite(case_id, make, masked, backend):
    assert_one_training_epoch_changes_every_weight(_model(make, masked), _masked_input(8))


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
@pytest.mark.parametrize("case_id,make,masked", CASES, ids=IDS)
def test_save_and_load_predicts_the_same(case_id, make, masked, filename, tmp_path, backend):
    model = _model(make, masked)
    rng = np.random.default_rng(4)
    for w in model.weights:
        w.assign(w.numpy() + rng.normal(scale=0.3, size=w.shape).astype(w.dtype))
    x = _masked_input(3)
    model.save(tmp_path / filename)
    restored = ks.models.load_model(tmp_path / filename)
    assert [type(layer) for layer in restored.layers] == [type(layer) for layer in model.layers]
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)


def test_state_count_helper_sees_every_case():
    counts = {case_id: _state_count(make()) for case_id, make, _ in CASES}
    assert counts["lstm"] == 2 and counts["rnn_stacked"] == 3 and counts["bidirectional_rnn_state_none"] == 2
