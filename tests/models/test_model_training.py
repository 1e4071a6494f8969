"""compile / fit / evaluate / predict as a Keras user drives them."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import callbacks, layers, ops


def blobs(n=240, features=4, classes=3, seed=0):
    """Well separated Gaussian clusters: any working classifier gets them right."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4.0, size=(classes, features))
    y = rng.integers(0, classes, size=n)
    x = centers[y] + rng.normal(size=(n, features))
    return x.astype("float32"), y


def mlp(features=4, classes=3, **dense_kwargs):
    return ks.Sequential([
        ks.Input(shape=(features,)),
        layers.Dense(16, activation="relu", **dense_kwargs),
        layers.Dense(classes, activation="softmax"),
    ])


def compiled_mlp(**kwargs):
    model = mlp(**kwargs)
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class BatchCounter(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1


def test_fit_learns_and_history_has_keras_keys():
    x, y = blobs()
    model = compiled_mlp()
    history = model.fit(x, y, batch_size=16, epochs=8, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 8
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["val_accuracy"][-1] > 0.9
    assert model.history is history


def test_validation_split_takes_the_last_samples_before_shuffling():
    x, y = blobs()
    model = compiled_mlp()
    history = model.fit(x, y, batch_size=32, epochs=1, validation_split=0.25, verbose=0)
    val_loss, val_acc = model.evaluate(x[180:], y[180:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(val_loss, rel=1e-5)
    assert history.history["val_accuracy"][0] == pytest.approx(val_acc, rel=1e-6)


def test_validation_data_and_evaluate_return_forms():
    x, y = blobs()
    model = compiled_mlp()
    history = model.fit(x, y, epochs=1, validation_data=(x[:50], y[:50]), verbose=0)
    assert "val_loss" in history.history
    as_list = model.evaluate(x, y, verbose=0)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert isinstance(as_list, list) and len(as_list) == 2
    assert as_dict == {"loss": pytest.approx(as_list[0]), "accuracy": pytest.approx(as_list[1])}
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert isinstance(model.evaluate(x, y, verbose=0), float)


def test_predict_matches_calling_the_model_and_batches_agree():
    x, _ = blobs(n=70)
    model = compiled_mlp()
    out = model.predict(x, batch_size=16, verbose=0)
    assert out.shape == (70, 3)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], rtol=1e-5, atol=1e-6)


def test_train_on_batch_and_test_on_batch():
    x, y = blobs(n=64)
    model = compiled_mlp()
    first = model.train_on_batch(x, y)
    for _ in range(30):
        model.train_on_batch(x, y)
    loss, acc = model.test_on_batch(x, y)
    assert loss < first[0]
    assert model.test_on_batch(x, y, return_dict=True)["loss"] == pytest.approx(loss)


def test_steps_per_epoch_and_initial_epoch():
    x, y = blobs(n=100)
    model = compiled_mlp()
    counter = BatchCounter()
    history = model.fit(x, y, batch_size=10, epochs=3, initial_epoch=1, steps_per_epoch=4,
                        callbacks=[counter], verbose=0)
    assert counter.batches == 8
    assert history.epoch == [1, 2]


def test_sample_weight_scales_the_loss():
    x, y = blobs(n=40)
    model = compiled_mlp()
    base = model.evaluate(x, y, verbose=0)[0]
    doubled = model.evaluate(x, y, sample_weight=np.full(40, 2.0), verbose=0)[0]
    assert doubled == pytest.approx(2 * base, rel=1e-5)


def test_zero_class_weights_leave_weights_unchanged():
    x, y = blobs(n=40)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    before = model.get_weights()
    model.fit(x, y, epochs=1, class_weight={0: 0.0, 1: 0.0, 2: 0.0}, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_regularization_penalty_is_added_to_the_loss():
    x, y = blobs(n=40)
    plain = mlp()
    regularized = mlp(kernel_regularizer=ks.regularizers.L2(0.1))
    regularized.set_weights(plain.get_weights())
    for m in (plain, regularized):
        m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    kernel = regularized.layers[0].kernel.numpy()
    expected = plain.evaluate(x, y, verbose=0) + 0.1 * np.sum(kernel.astype(np.float64) ** 2)
    assert regularized.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_frozen_layer_keeps_its_weights():
    x, y = blobs(n=64)
    model = mlp()
    model.layers[0].trainable = False
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    frozen = model.layers[0].get_weights()
    trained = model.layers[1].get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(trained[0], model.layers[1].get_weights()[0])
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2


def test_sequential_without_input_builds_on_first_fit_and_uint8_input_is_cast():
    x, y = blobs(n=50)
    model = ks.Sequential([layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(np.clip(x * 10 + 100, 0, 255).astype("uint8"), y, epochs=1, verbose=0)
    assert model.count_params() == 4 * 8 + 8 + 8 * 3 + 3


def test_functional_model_trains():
    x, y = blobs()
    inputs = ks.Input(shape=(4,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(3, activation="softmax")(hidden)
    model = ks.Model(inputs, outputs)
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


def test_set_random_seed_makes_training_repeat_bit_for_bit():
    x, y = blobs()

    def run():
        ks.utils.set_random_seed(7)
        model = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                               layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, batch_size=16, epochs=2, validation_split=0.1, verbose=0)
        return model.get_weights(), history.history

    (w1, h1), (w2, h2) = run(), run()
    assert h1 == h2
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)


def test_whole_model_gradient_matches_finite_differences():
    rng = np.random.default_rng(3)
    model = ks.Sequential([
        ks.Input(shape=(5, 5, 2)),
        layers.Conv2D(3, 3, padding="same", activation="tanh", dtype="float64"),
        layers.MaxPooling2D(2, dtype="float64"),
        layers.Flatten(dtype="float64"),
        layers.Dense(4, activation="softmax", dtype="float64"),
    ])
    loss_fn = ks.losses.SparseCategoricalCrossentropy()
    x = rng.normal(size=(3, 5, 5, 2))
    y = np.array([0, 3, 1])
    kernel = model.layers[0].kernel
    with ops.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    (grad,) = tape.gradient(loss, [kernel])
    host = kernel.numpy()
    numeric = np.zeros_like(host)
    eps = 1e-6
    for index in np.ndindex(host.shape):
        for sign in (1, -1):
            shifted = host.copy()
            shifted[index] += sign * eps
            kernel.assign(shifted)
            numeric[index] += sign * float(loss_fn(y, model(x)).numpy()) / (2 * eps)
    kernel.assign(host)
    np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-5, atol=1e-8)
