"""Ops and operators on symbolic tensors record graph nodes, as in Keras 3 functional models, and those nodes
save and load in Keras's form (including the NotEqual/Any nodes Keras writes for masks)."""

import os

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops

X = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")


def build(framework):
    inputs = framework.Input((4,))
    hidden = framework.layers.Dense(4)(inputs)
    mixed = framework.ops.relu(inputs + hidden) * 2.0
    joined = framework.ops.concatenate([mixed, inputs], axis=-1)[:, 1:6]
    outputs = 1.0 - framework.ops.sum(joined, axis=-1, keepdims=True)
    return framework.Model(inputs, outputs)


def reference(model, x):
    kernel, bias = model.layers[1].get_weights()
    mixed = np.maximum(x + x @ kernel + bias, 0.0) * 2.0
    return 1.0 - np.concatenate([mixed, x], axis=-1)[:, 1:6].sum(axis=-1, keepdims=True)


def test_ops_and_operators_on_inputs_record_nodes_that_compute_the_same(backend):
    model = build(ks)
    assert model.output_shape == (None, 1)
    assert {type(layer).__name__ for layer in model.layers} == {"InputLayer", "Dense", "OpLayer"}
    np.testing.assert_allclose(model.predict(X, verbose=0), reference(model, X), rtol=1e-5, atol=1e-6)


def test_every_operator_and_index_form():
    x = ks.Input((3, 4))
    y = ks.Input((3, 4))
    outputs = [x - y, 2.0 - x, x / 2.0, 1.0 / (x + 3.0), x ** 2, 2.0 ** x, -x, abs(x), x % 2.0, x // 2.0,
               x[..., 0], x[:, None, 1], x[:, 1:, 1:3], x @ ops.transpose(y, (0, 2, 1)), ops.cast(x > y, "float32")]
    model = ks.Model([x, y], outputs)
    a = np.random.default_rng(1).uniform(0.5, 2.0, size=(2, 3, 4)).astype("float32")
    b = np.random.default_rng(2).uniform(0.5, 2.0, size=(2, 3, 4)).astype("float32")
    expected = [a - b, 2.0 - a, a / 2.0, 1.0 / (a + 3.0), a ** 2, 2.0 ** a, -a, np.abs(a), a % 2.0, a // 2.0,
                a[..., 0], a[:, None, 1], a[:, 1:, 1:3], a @ b.transpose(0, 2, 1), (a > b).astype("float32")]
    for got, want in zip(model.predict([a, b], verbose=0), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_symbolic_shapes_and_dtypes():
    x = ks.Input((5,))
    assert ops.shape(x) == (None, 5)
    assert ops.argmax(x, axis=-1).dtype == "int32" and ops.argmax(x, axis=-1).shape == (None,)
    assert ops.equal(x, 0.0).dtype == "bool"
    assert ops.reshape(x, (-1, 5, 1)).shape == (None, 5, 1)
    assert (x == x) is True  # == keeps Python's meaning on symbolic tensors (graph code compares them)


@pytest.mark.parametrize("how", ["config", ".keras", ".h5"])
def test_op_nodes_save_and_load(how, tmp_path):
    model = build(ks)
    expected = model.predict(X, verbose=0)
    if how == "config":
        loaded = ks.Model.from_config(model.get_config())
        loaded.set_weights(model.get_weights())
    else:
        model.save(tmp_path / f"m{how}")
        loaded = ks.models.load_model(tmp_path / f"m{how}")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), expected, rtol=1e-6)


def test_gradients_flow_through_op_nodes():
    model = build(ks)
    model.compile(optimizer=ks.optimizers.SGD(0.05), loss="mse")
    y = np.zeros((3, 1), "float32")
    history = model.fit(X, y, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


def test_ops_that_take_python_code_are_refused_on_symbolic_tensors():
    x = ks.Input((2,))
    with pytest.raises(ValueError, match="`ops.vectorized_map` cannot be recorded"):
        ops.vectorized_map(lambda row: row, x)
    with pytest.raises(TypeError, match="ops.sum"):
        ops.sum(x, axis=1, nonsense=2)


@pytest.mark.filterwarnings("ignore")  # Keras and torch warn about their own internals
@pytest.mark.parametrize("direction", ["keras->kerasette", "kerasette->keras"])
def test_op_nodes_move_both_ways_with_keras(direction, tmp_path):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    writer, reader = (keras, ks) if direction == "keras->kerasette" else (ks, keras)
    model = build(writer)
    model.save(tmp_path / "m.keras")
    loaded = reader.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(np.asarray(loaded.predict(X, verbose=0)), np.asarray(model.predict(X, verbose=0)),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.filterwarnings("ignore")
def test_a_keras_functional_model_with_a_mask_loads(tmp_path):
    """Keras 3 writes the mask of Embedding(mask_zero=True) in a functional model as NotEqual and Any nodes."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    inputs = keras.Input((5,), dtype="int32")
    outputs = keras.layers.LSTM(2)(keras.layers.Embedding(10, 3, mask_zero=True)(inputs))
    model = keras.Model(inputs, outputs)
    model.save(tmp_path / "m.keras")
    loaded = ks.models.load_model(tmp_path / "m.keras")
    assert {"OpLayer"} <= {type(layer).__name__ for layer in loaded.layers}
    tokens = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]])
    np.testing.assert_allclose(loaded.predict(tokens, verbose=0), np.asarray(model.predict(tokens, verbose=0)),
                               rtol=1e-5, atol=1e-6)
    assert isinstance(loaded.layers[-1], layers.LSTM)
