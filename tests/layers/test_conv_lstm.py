"""ConvLSTM1D/2D/3D against real Keras 3 (torch backend): same weights, same numbers; gradients; files both ways."""

import numpy as np
import pytest
from finite_differences import central_difference
from keras_reference import (
    assert_keras_file_loads_in_kerasette,
    assert_kerasette_file_loads_in_keras,
    keras,
    keras_value,
    numpy_of,
    quiet,
)
from layer_checks import (
    as_list,
    assert_config_round_trip,
    assert_one_training_epoch_changes_every_weight,
    assert_weight_gradients_match_finite_differences,
)

import kerasette as ks
from kerasette import layers, ops

BATCH, STEPS = 2, 4
CASES = [
    ("ConvLSTM2D", (6, 6, 3), {"filters": 4, "kernel_size": 3, "return_sequences": True, "return_state": True}),
    ("ConvLSTM2D", (7, 7, 2), {"filters": 3, "kernel_size": (3, 2), "padding": "same", "strides": 2,
                               "go_backwards": True, "return_sequences": True}),
    ("ConvLSTM2D", (6, 6, 2), {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "activation": "relu",
                               "recurrent_activation": "hard_sigmoid", "use_bias": False}),
    ("ConvLSTM1D", (8, 3), {"filters": 4, "kernel_size": 3, "return_sequences": True, "return_state": True}),
    ("ConvLSTM3D", (4, 4, 4, 1), {"filters": 2, "kernel_size": 2, "padding": "same", "unit_forget_bias": False}),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]
MASK = np.array([[True, True, False, True], [False, True, True, True]])


def _inputs(index, spatial):
    return np.random.default_rng(index).normal(size=(BATCH, STEPS) + spatial).astype("float32")


def _random_weights(layer, seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=0.3, size=w.shape).astype("float32") for w in layer.weights]


@pytest.mark.parametrize("case", ["plain", "mask", "initial_state"])
@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_forward_matches_keras(index, case, backend):
    name, spatial, config = CASES[index]
    x = _inputs(index, spatial)
    ours = getattr(layers, name)(**config)
    ours.build((None, STEPS) + spatial)
    weights = _random_weights(ours, index)
    ours.set_weights(weights)
    kwargs = {}
    if case == "mask":
        kwargs["mask"] = MASK
    if case == "initial_state":
        state_shape = ours.cell.state_shape(BATCH)
        rng = np.random.default_rng(100 + index)
        kwargs["initial_state"] = [rng.normal(size=state_shape).astype("float32") for _ in range(2)]

    def keras_outputs():
        layer = getattr(keras.layers, name)(**config)
        layer.build((None, STEPS) + spatial)
        layer.set_weights(weights)
        return np.concatenate([numpy_of(o).reshape(BATCH, -1) for o in as_list(quiet(lambda: layer(x, **kwargs)))], 1)

    expected = keras_value(("conv_lstm", index, case), keras_outputs)
    outputs = as_list(ours(x, **kwargs))
    got = np.concatenate([o.numpy().reshape(BATCH, -1) for o in outputs], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    shapes = ours.compute_output_shape((BATCH, STEPS) + spatial)
    assert [tuple(o.shape) for o in outputs] == [tuple(s) for s in (shapes if isinstance(shapes, list) else [shapes])]


def test_config_matches_keras():
    config = {"filters": 3, "kernel_size": (3, 3), "padding": "same", "return_sequences": True, "dropout": 0.1}
    ours = layers.ConvLSTM2D(**config, name="c").get_config()
    theirs = quiet(lambda: keras.layers.ConvLSTM2D(**config, name="c").get_config())
    for key, value in theirs.items():
        if key == "dtype":
            continue
        assert key in ours, key
        if isinstance(value, dict):  # initializers: the same class (Keras 3.15 adds its newer arguments)
            assert ours[key]["class_name"] == value["class_name"], key
        else:
            assert ours[key] == (list(value) if isinstance(value, tuple) else value), key
    assert set(ours) - set(theirs) <= {"zero_output_for_mask"}


def test_gradients_match_finite_differences(backend):
    layer = layers.ConvLSTM2D(2, 2, padding="same", return_sequences=True, dtype="float64")
    x = np.random.default_rng(0).normal(size=(1, 3, 3, 3, 2))
    layer.build(x.shape)
    layer.set_weights(_random_weights(layer, 1))
    cotangent = np.random.default_rng(2).normal(size=(1, 3, 3, 3, 2))

    def objective():
        with ops.stop_recording():
            return float(np.sum(layer(x).numpy() * cotangent))

    tensor = ops.convert_to_tensor(x)
    with ops.GradientTape() as tape:
        tape.watch(tensor)
        loss = ops.sum(ops.multiply(layer(tensor), cotangent))
    grads = tape.gradient(loss, [tensor] + layer.trainable_weights)
    np.testing.assert_allclose(grads[0].numpy(), central_difference(lambda _: objective(), x), rtol=1e-5, atol=1e-8)
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads[1:], objective, rtol=1e-5,
                                                     atol=1e-8)


def test_dropout_trains_step_by_step_and_is_off_at_inference():
    layer = layers.ConvLSTM2D(3, 3, dropout=0.5, recurrent_dropout=0.3, seed=3)
    x = _inputs(0, (5, 5, 2))
    inference = layer(x).numpy()
    np.testing.assert_array_equal(layer(x, training=False).numpy(), inference)
    assert not np.allclose(layer(x, training=True).numpy(), inference)


def test_stateful_carries_the_states_over():
    layer = layers.ConvLSTM2D(2, 3, stateful=True)
    model = ks.Sequential([ks.Input((STEPS, 5, 5, 1), batch_size=BATCH), layer])
    x = _inputs(1, (5, 5, 1))
    first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
    assert not np.allclose(first, second)
    layer.reset_state()
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-6)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        layers.ConvLSTM2D(2, 3)(np.ones((2, 4, 5, 5), "float32"))
    layer = layers.ConvLSTM2D(2, 3)
    with pytest.raises(ValueError, match=r"expected \[h, c\], each of shape \(2, 3, 3, 2\)"):
        layer(_inputs(0, (5, 5, 1)), initial_state=[np.zeros((2, 5, 5, 2), "float32")] * 2)
    with pytest.raises(ValueError, match="strides > 1 cannot be combined with dilation_rate > 1"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="data_format"):
        layers.ConvLSTM2D(2, 3, data_format="channels_first")


def _model(K):
    return K.Sequential([K.Input((STEPS, 6, 6, 2)), K.layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True),
                         K.layers.ConvLSTM2D(2, 3), K.layers.Flatten(), K.layers.Dense(2)])


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_files_move_both_ways_with_keras(tmp_path, fmt):
    x = _inputs(4, (6, 6, 2))
    theirs = quiet(lambda: _model(keras))
    theirs.set_weights(_random_weights(theirs, 5))
    ours = assert_keras_file_loads_in_kerasette(theirs, x, tmp_path / f"theirs.{fmt}", rtol=1e-5, atol=1e-5)
    assert [type(layer).__name__ for layer in ours.layers] == ["ConvLSTM2D", "ConvLSTM2D", "Flatten", "Dense"]

    mine = _model(ks)
    mine.set_weights(_random_weights(mine, 6))
    assert_kerasette_file_loads_in_keras(mine, x, tmp_path / f"ours.{fmt}", rtol=1e-5, atol=1e-5)


# ----- the layer harness, as tests/layers/test_recurrent_harness.py runs it for the other recurrent layers
HARNESS = [
    ("seq_state", lambda **kw: layers.ConvLSTM2D(2, 2, padding="same", return_sequences=True, return_state=True, **kw)),
    ("back_valid", lambda **kw: layers.ConvLSTM2D(2, (2, 3), go_backwards=True, **kw)),
    ("conv1d", lambda **kw: layers.ConvLSTM1D(2, 2, return_sequences=True, **kw)),
]
H_IDS = [case[0] for case in HARNESS]


@pytest.mark.parametrize("case_id,make", HARNESS, ids=H_IDS)
def test_harness_config_round_trip(case_id, make, backend):
    layer = make()
    spatial = (3,) if isinstance(layer, layers.ConvLSTM1D) else (3, 3)
    assert_config_round_trip(layer, _inputs(0, spatial + (2,)))


@pytest.mark.parametrize("case_id,make", HARNESS, ids=H_IDS)
def test_harness_gradients_with_mask_and_initial_state(case_id, make, backend):
    layer = make(dtype="float64")
    spatial = (3,) if isinstance(layer, layers.ConvLSTM1D) else (3, 3)
    x_host = np.random.default_rng(1).normal(size=(2, STEPS) + spatial + (2,))
    layer(x_host)
    rng = np.random.default_rng(2)
    for w in layer.weights:
        w.assign(w.numpy() + rng.normal(scale=0.3, size=w.shape))
    states = [rng.normal(size=layer.cell.state_shape(2)) for _ in range(2)] if layer.return_state else []
    kwargs = {"mask": MASK}
    cotangents = [rng.normal(size=o.shape) for o in as_list(layer(x_host, mask=MASK, initial_state=states or None))]

    def objective():
        with ops.stop_recording():
            outs = as_list(layer(x_host, initial_state=[ops.convert_to_tensor(s) for s in states] or None, **kwargs))
            return sum(float(np.sum(o.numpy() * c)) for o, c in zip(outs, cotangents))

    x = ops.convert_to_tensor(x_host)
    state_tensors = [ops.convert_to_tensor(s) for s in states]
    with ops.GradientTape() as tape:
        tape.watch(x)
        for s in state_tensors:
            tape.watch(s)
        outs = as_list(layer(x, initial_state=state_tensors or None, **kwargs))
        loss = ops.sum(ops.stack([ops.sum(ops.multiply(o, c)) for o, c in zip(outs, cotangents)]))
    grads = tape.gradient(loss, [x] + state_tensors + layer.trainable_weights)
    np.testing.assert_allclose(grads[0].numpy(), central_difference(lambda _: objective(), x_host), rtol=1e-5,
                               atol=1e-7)
    for host, grad in zip(states, grads[1:1 + len(states)]):
        np.testing.assert_allclose(grad.numpy(), central_difference(lambda _: objective(), host), rtol=1e-5,
                                   atol=1e-7)
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads[1 + len(states):], objective,
                                                     rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
@pytest.mark.parametrize("case_id,make", HARNESS, ids=H_IDS)
def test_harness_training_step_and_save_load(case_id, make, filename, tmp_path, backend):
    layer = make()
    spatial = (3,) if isinstance(layer, layers.ConvLSTM1D) else (3, 3)
    inputs = ks.Input((STEPS,) + spatial + (2,))
    outs = [layers.Flatten()(o) for o in as_list(layer(inputs))]
    joined = layers.Concatenate()(outs) if len(outs) > 1 else outs[0]
    model = ks.Model(inputs, layers.Dense(1)(joined))
    x = np.random.default_rng(3).normal(size=(8, STEPS) + spatial + (2,)).astype("float32")
    assert_one_training_epoch_changes_every_weight(model, x)
    model.save(tmp_path / filename)
    restored = ks.models.load_model(tmp_path / filename)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
