"""Recurrent models against real Keras 3 and tf.keras 2 files.

With the same weights kerasette and Keras predict the same (max abs difference <= 1e-5); .keras,
.h5 and .weights.h5 files written by Keras load in kerasette and the reverse, for LSTM, GRU (both
``reset_after``), SimpleRNN, Bidirectional(LSTM), stacked ``return_sequences`` layers, stacked cells,
an encoder-decoder with ``initial_state`` and masked models. Files in tf.keras 2's layout (written
here with h5py, as tests/saving/fixtures/make_tf_keras2_fixtures.py does) load and predict what the
numpy equations give.
"""

import json
import os

import h5py
import numpy as np
import pytest
import saving_models as sm
from recurrent_equations import gru, lstm, simple_rnn

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")
TOLERANCE = 1e-5
STEPS, FEATURES = 6, 4


def lstm_model(K):
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.LSTM(5), K.layers.Dense(2)], name="lstm_model")


def gru_model(K):
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.GRU(5, return_sequences=True),
                         K.layers.GRU(3, reset_after=False)], name="gru_model")


def simple_rnn_model(K):
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.SimpleRNN(4, activation="relu", return_sequences=True),
                         K.layers.SimpleRNN(3, go_backwards=True)], name="simple_rnn_model")


def bidirectional_model(K):
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.Bidirectional(K.layers.LSTM(4, return_sequences=True)),
                         K.layers.Bidirectional(K.layers.LSTM(3), merge_mode="sum")], name="bidirectional_model")


def stacked_model(K):
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.LSTM(4, return_sequences=True),
                         K.layers.GRU(4, return_sequences=True), K.layers.SimpleRNN(3, return_sequences=True),
                         K.layers.TimeDistributed(K.layers.Dense(2))], name="stacked_model")


def stacked_cells_model(K):
    cells = [K.layers.LSTMCell(4), K.layers.GRUCell(3), K.layers.SimpleRNNCell(2)]
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.RNN(cells, return_sequences=True)],
                        name="stacked_cells_model")


def masked_model(K):
    # Sequential: Keras 3.15 writes a functional Masking's mask as an extra `NotEqual` op node, which
    # kerasette's loader does not know (the saving engineer's part)
    return K.Sequential([K.Input((STEPS, FEATURES)), K.layers.Masking(0.0), K.layers.LSTM(5, return_sequences=True),
                         K.layers.Bidirectional(K.layers.GRU(3, return_sequences=True)),
                         K.layers.GlobalAveragePooling1D(), K.layers.Dense(2)], name="masked_model")


def encoder_decoder_model(K):
    source, target = K.Input((STEPS, FEATURES), name="source"), K.Input((3, 2), name="target")
    _, h, c = K.layers.LSTM(4, return_state=True)(source)
    decoded = K.layers.LSTM(4, return_sequences=True)(target, initial_state=[h, c])
    return K.Model([source, target], K.layers.Dense(2)(decoded), name="encoder_decoder")


MODELS = [lstm_model, gru_model, simple_rnn_model, bidirectional_model, stacked_model, stacked_cells_model,
          masked_model, encoder_decoder_model]
IDS = [m.__name__ for m in MODELS]


def inputs(build, n=4, seed=5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, STEPS, FEATURES)).astype("float32")
    x[0, 4:] = 0.0  # padding at the end (masked by Masking(0.0))
    x[1, :2] = 0.0  # and at the start
    if build is encoder_decoder_model:
        return [x, rng.normal(size=(n, 3, 2)).astype("float32")]
    return x


@pytest.mark.parametrize("build", MODELS, ids=IDS)
def test_same_weights_give_the_same_outputs(build):
    ours, theirs = build(ks), build(keras)
    sm.randomize(theirs, seed=7)
    ours.set_weights(theirs.get_weights())
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    x = inputs(build)
    assert sm.max_abs_diff(sm.predictions(ours, x), sm.predictions(theirs, x)) <= TOLERANCE


@pytest.mark.parametrize("fmt", ["keras", "h5", "weights.h5"])
@pytest.mark.parametrize("build", MODELS, ids=IDS)
def test_keras_written_file_loads_in_kerasette(tmp_path, build, fmt):
    theirs = sm.randomize(build(keras), seed=8)
    path = tmp_path / f"m.{fmt}"
    if fmt == "weights.h5":
        theirs.save_weights(path)
        ours = build(ks)
        ours.load_weights(path)
    else:
        theirs.save(path)
        ours = ks.models.load_model(path)
        assert [type(layer).__name__ for layer in ours.layers] == [type(layer).__name__ for layer in theirs.layers]
    x = inputs(build)
    assert sm.max_abs_diff(sm.predictions(ours, x), sm.predictions(theirs, x)) <= TOLERANCE


@pytest.mark.parametrize("fmt", ["keras", "h5", "weights.h5"])
@pytest.mark.parametrize("build", MODELS, ids=IDS)
def test_kerasette_written_file_loads_in_keras(tmp_path, build, fmt):
    ours = sm.randomize(build(ks), seed=9)
    path = tmp_path / f"m.{fmt}"
    if fmt == "weights.h5":
        ours.save_weights(path)
        theirs = build(keras)
        theirs.load_weights(path)
    else:
        ours.save(path)
        theirs = keras.models.load_model(path)
        reference = build(keras)
        for loaded, fresh in zip(theirs.layers, reference.layers):  # the layers Keras would build itself
            assert type(loaded) is type(fresh)
            assert _without_names(loaded.get_config()) == _without_names(fresh.get_config())
    x = inputs(build)
    assert sm.max_abs_diff(sm.predictions(theirs, x), sm.predictions(ours, x)) <= TOLERANCE


def _without_names(config):
    """A config without layer names (automatic names differ between sessions) and the nested build shapes."""
    if isinstance(config, dict):
        return {k: _without_names(v) for k, v in config.items() if k not in ("name", "build_config")}
    if isinstance(config, (list, tuple)):
        return [_without_names(v) for v in config]
    return config


def test_embedding_mask_through_bidirectional_matches_keras(tmp_path):
    def build(K):  # Sequential: see masked_model
        return K.Sequential([K.Input((5,), dtype="int32"), K.layers.Embedding(10, 4, mask_zero=True),
                             K.layers.Bidirectional(K.layers.LSTM(3, return_sequences=True)),
                             K.layers.GlobalAveragePooling1D()])

    tokens = np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0], [5, 6, 7, 8, 9]], dtype="int32")
    theirs = sm.randomize(build(keras), seed=10)
    theirs.save(tmp_path / "m.keras")
    ours = ks.models.load_model(tmp_path / "m.keras")
    assert sm.max_abs_diff(sm.predictions(ours, tokens), sm.predictions(theirs, tokens)) <= TOLERANCE


# ----- tf.keras 2 files ----------------------------------------------------------------------------------
def _init(class_name):
    return {"module": "keras.initializers", "class_name": class_name,
            "config": {"seed": None} if class_name in ("GlorotUniform", "Orthogonal") else {}, "registered_name": None}


def _rnn_config(class_name, name, units, **extra):
    """A recurrent layer's config as tf.keras 2.15 writes it (time_major, implementation, Orthogonal gain...)."""
    config = {"name": name, "trainable": True, "dtype": "float32", "return_sequences": False, "return_state": False,
              "go_backwards": False, "stateful": False, "unroll": False, "time_major": False, "units": units,
              "activation": "tanh", "use_bias": True, "kernel_initializer": _init("GlorotUniform"),
              "recurrent_initializer": {**_init("Orthogonal"), "config": {"gain": 1.0, "seed": None}},
              "bias_initializer": _init("Zeros"), "kernel_regularizer": None, "recurrent_regularizer": None,
              "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
              "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0}
    if class_name in ("LSTM", "GRU"):
        config.update(recurrent_activation="sigmoid", implementation=2)
    if class_name == "LSTM":
        config["unit_forget_bias"] = True
    config.update(extra)
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}


def _write_tf_keras2_file(path, layer_specs, weights):
    """A Sequential .h5 in tf.keras 2's layout: bytes attributes, `<layer>/<path>:0` datasets."""
    model_config = {"class_name": "Sequential", "config": {"name": "tfk2_rnn", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, STEPS, FEATURES], "dtype": "float32",
                                                "sparse": False, "ragged": False, "name": "input_1"}}] + layer_specs}}
    with h5py.File(path, "w") as f:
        f.attrs.create("keras_version", np.bytes_(b"2.15.0"))
        f.attrs.create("backend", np.bytes_(b"tensorflow"))
        f.attrs.create("model_config", np.bytes_(json.dumps(model_config).encode()))
        group = f.create_group("model_weights")
        names = [spec["config"]["name"] for spec in layer_specs]
        group.attrs["layer_names"] = np.array([n.encode() for n in names])
        group.attrs["backend"], group.attrs["keras_version"] = b"tensorflow", b"2.15.0"
        for name in names:
            sub = group.create_group(name)
            sub.attrs["weight_names"] = np.array([f"{w}:0".encode() for w, _ in weights[name]])
            for weight_name, value in weights[name]:
                sub.create_dataset(f"{weight_name}:0", data=value)


def test_tf_keras2_file_loads_and_predicts_like_the_equations(tmp_path):
    rng = np.random.default_rng(12)

    def normal(*shape):
        return rng.normal(scale=0.4, size=shape).astype("float32")

    specs = [
        {"class_name": "Bidirectional", "config": {
            "name": "bidirectional", "trainable": True, "dtype": "float32", "merge_mode": "concat",
            "layer": _rnn_config("LSTM", "lstm", 4, return_sequences=True)}},
        _rnn_config("GRU", "gru", 3, return_sequences=True, reset_after=True),
        _rnn_config("GRU", "gru_1", 3, return_sequences=True, reset_after=False),
        _rnn_config("SimpleRNN", "simple_rnn", 2),
        {"class_name": "Dense", "config": {"name": "dense", "trainable": True, "dtype": "float32", "units": 2,
                                           "activation": "linear", "use_bias": True,
                                           "kernel_initializer": _init("GlorotUniform"),
                                           "bias_initializer": _init("Zeros"), "kernel_regularizer": None,
                                           "bias_regularizer": None, "activity_regularizer": None,
                                           "kernel_constraint": None, "bias_constraint": None}},
    ]
    lstm_weights = {d: [normal(FEATURES, 16), normal(4, 16), normal(16)] for d in ("forward", "backward")}
    weights = {
        "bidirectional": [(f"bidirectional/{d}_lstm/lstm_cell/{w}", v)
                          for d in ("forward", "backward")
                          for w, v in zip(("kernel", "recurrent_kernel", "bias"), lstm_weights[d])],
        "gru": list(zip(("gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel", "gru/gru_cell/bias"),
                        [normal(8, 9), normal(3, 9), normal(2, 9)])),
        "gru_1": list(zip(("gru_1/gru_cell/kernel", "gru_1/gru_cell/recurrent_kernel", "gru_1/gru_cell/bias"),
                          [normal(3, 9), normal(3, 9), normal(9)])),
        "simple_rnn": list(zip(("simple_rnn/simple_rnn_cell/kernel", "simple_rnn/simple_rnn_cell/recurrent_kernel",
                                "simple_rnn/simple_rnn_cell/bias"), [normal(3, 2), normal(2, 2), normal(2)])),
        "dense": [("dense/kernel", normal(2, 2)), ("dense/bias", normal(2))],
    }
    _write_tf_keras2_file(tmp_path / "tfk2.h5", specs, weights)
    model = ks.models.load_model(tmp_path / "tfk2.h5")
    assert [type(layer).__name__ for layer in model.layers] == ["Bidirectional", "GRU", "GRU", "SimpleRNN", "Dense"]

    x = inputs(lstm_model).astype("float64")
    forward = lstm(x, *lstm_weights["forward"])[0]
    backward = lstm(x[:, ::-1], *lstm_weights["backward"])[0][:, ::-1]
    h = np.concatenate([forward, backward], axis=-1)
    h = gru(h, *[v for _, v in weights["gru"]])[0]
    h = gru(h, *[v for _, v in weights["gru_1"]], reset_after=False)[0]
    h = simple_rnn(h, *[v for _, v in weights["simple_rnn"]])[1][0]
    expected = h @ weights["dense"][0][1] + weights["dense"][1][1]
    np.testing.assert_allclose(model.predict(x.astype("float32"), verbose=0), expected, atol=TOLERANCE)
