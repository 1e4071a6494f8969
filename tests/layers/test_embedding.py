"""Embedding: rows of the table, gradients with repeated indices, training, config and index errors."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops

INDICES = np.array([[3, 0, 3], [4, 3, 1]])


def _table(layer, seed=0):
    table = np.random.default_rng(seed).normal(size=(layer.input_dim, layer.output_dim)).astype(layer.dtype)
    layer.set_weights([table])
    return table


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "float32"])
def test_outputs_are_rows_of_the_table(dtype, backend):
    layer = layers.Embedding(5, 4)
    layer(INDICES.astype(dtype))  # builds
    table = _table(layer)
    out = layer(INDICES.astype(dtype))
    assert out.shape == (2, 3, 4) and out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), table[INDICES])
    np.testing.assert_array_equal(layer(np.array(2)).numpy(), table[2])  # any input rank, even 0
    np.testing.assert_array_equal(layer(np.array([[1, 2, 0, 4]])).numpy(), table[None, [1, 2, 0, 4]])  # another length


def test_gradient_matches_finite_differences_with_repeated_indices(backend):
    layer = layers.Embedding(5, 3, dtype="float64")
    layer(INDICES)
    table = _table(layer)
    cotangent = np.random.default_rng(1).normal(size=(2, 3, 3))
    with ops.GradientTape() as tape:
        loss = ops.sum(ops.multiply(layer(INDICES), cotangent))
    (grad,) = tape.gradient(loss, layer.trainable_weights)

    def objective(values):
        layer.set_weights([values])
        return float(np.sum(layer(INDICES).numpy() * cotangent))

    numeric, eps = np.zeros_like(table), 1e-6
    for index in np.ndindex(table.shape):
        up, down = table.copy(), table.copy()
        up[index] += eps
        down[index] -= eps
        numeric[index] = (objective(up) - objective(down)) / (2 * eps)
    np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-7, atol=1e-9)
    # By eye: row 3 is taken three times, rows 2 never.
    np.testing.assert_allclose(grad.numpy()[3], cotangent[0, 0] + cotangent[0, 2] + cotangent[1, 1])
    np.testing.assert_array_equal(grad.numpy()[2], 0.0)


def test_embedding_flatten_dense_trains_with_fit(backend):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 20, size=(256, 6))
    y = (x[:, 0] < 10).astype("int64")  # the class is decided by the first token
    model = ks.Sequential([
        ks.Input(shape=(6,), dtype="int32"),
        layers.Embedding(20, 8),
        layers.Flatten(),
        layers.Dense(2, activation="softmax"),
    ])
    assert model.output_shape == (None, 2)
    model.compile(optimizer=ks.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=10, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9


def test_config_round_trip_keeps_mask_zero():
    layer = layers.Embedding(7, 2, mask_zero=True, embeddings_initializer="he_normal", name="emb")
    config = layer.get_config()
    assert config["mask_zero"] is True and config["input_dim"] == 7 and config["output_dim"] == 2
    assert "input_length" not in config
    clone = layers.Embedding.from_config(config)
    assert clone.get_config() == config
    layer(INDICES)
    clone(INDICES)
    clone.set_weights(layer.get_weights())
    np.testing.assert_array_equal(clone(INDICES).numpy(), layer(INDICES).numpy())
    np.testing.assert_array_equal(clone.compute_mask(ops.convert_to_tensor(INDICES)).numpy(), INDICES != 0)
    assert layers.Embedding(7, 2).compute_mask(INDICES) is None
    assert layers.Embedding(7, 2).get_config()["embeddings_initializer"]["class_name"] == "RandomUniform"


def test_tf_keras_2_config_and_initial_weights():
    layer = layers.Embedding.from_config({"name": "e", "input_dim": 3, "output_dim": 2, "input_length": 5,
                                          "batch_input_shape": [None, 5], "activity_regularizer": None})
    assert layer(np.zeros((1, 5), "int64")).shape == (1, 5, 2)
    table = np.arange(6, dtype="float32").reshape(3, 2)
    np.testing.assert_array_equal(layers.Embedding(3, 2, weights=[table])(np.array([2, 0])).numpy(), table[[2, 0]])


def test_out_of_range_indices_are_clear_errors(backend):
    layer = layers.Embedding(5, 2, name="tokens")
    with pytest.raises(ValueError, match=r"Layer `tokens` received an index outside \[0, input_dim=5\)"):
        layer(np.array([[1, 5]]))
    with pytest.raises(ValueError, match="index outside"):
        layer(np.array([-6]))
    table = _table(layer)
    np.testing.assert_array_equal(layer(np.array([-1])).numpy(), table[[4]])  # negatives count from the end


def test_out_of_range_index_in_fit_raises_before_any_update(backend):
    model = ks.Sequential([ks.Input(shape=(2,)), layers.Embedding(4, 2), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="input_dim=4"):
        model.fit(np.array([[0, 1], [2, 9]]), np.zeros((2, 1)), batch_size=2, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs,argument", [({"input_dim": 0, "output_dim": 2}, "input_dim"),
                                             ({"input_dim": 3, "output_dim": 2.5}, "output_dim")])
def test_argument_errors(kwargs, argument):
    with pytest.raises(ValueError, match=f"argument `{argument}`"):
        layers.Embedding(**kwargs)


def test_registered():
    assert layers.registry.lookup("Embedding") is layers.Embedding
