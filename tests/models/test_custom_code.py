"""Custom layers and models written the Keras way train with gradients from the tape."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops


class Swish(layers.Layer):
    """Only ``call``: no weights, no build."""

    def call(self, inputs):
        return ops.multiply(inputs, ops.sigmoid(inputs))


class ScaledDense(layers.Layer):
    """``build`` and ``call`` only, with a scalar weight."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="w")
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

    def call(self, inputs):
        return ops.multiply(ops.matmul(inputs, self.w), self.scale)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class TwoLayerNet(ks.Model):
    def __init__(self, classes=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.dropout = layers.Dropout(0.1)
        self.head = layers.Dense(classes, activation="softmax")

    def call(self, inputs, training=None):
        return self.head(self.dropout(self.hidden(inputs), training=training))


def blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4.0, size=(3, 4))
    y = rng.integers(0, 3, size=n)
    return (centers[y] + rng.normal(size=(n, 4))).astype("float32"), y


def test_layer_with_only_call_and_scalar_weight_layer_train():
    x, y = blobs()
    model = ks.Sequential([ks.Input(shape=(4,)), ScaledDense(16), Swish(), layers.Dense(3, activation="softmax")])
    assert model.layers[0].scale.shape == ()
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    assert float(model.layers[0].scale.numpy()) != 1.0  # the scalar weight received gradients


def test_custom_layer_gradients_match_finite_differences():
    layer = ScaledDense(3, dtype="float64")
    x = np.random.default_rng(1).normal(size=(4, 5))
    layer(x)
    weights = [layer.w, layer.scale]
    with ops.GradientTape() as tape:
        loss = ops.sum(ops.square(Swish(dtype="float64")(layer(x))))
    grads = tape.gradient(loss, weights)

    def value():
        return float(np.sum(Swish(dtype="float64")(layer(x)).numpy() ** 2))

    eps = 1e-6
    for variable, grad in zip(weights, grads):
        host = variable.numpy()
        numeric = np.zeros_like(host)
        for index in np.ndindex(host.shape):
            for sign in (1, -1):
                shifted = host.copy()
                shifted[index] += sign * eps
                variable.assign(shifted)
                numeric[index] += sign * value() / (2 * eps)
        variable.assign(host)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-6, atol=1e-9)


def test_subclassed_model_trains_evaluates_and_predicts():
    x, y = blobs()
    model = TwoLayerNet()
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=10, batch_size=16, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert model.evaluate(x, y, verbose=0)[1] > 0.9
    assert model.predict(x[:7], verbose=0).shape == (7, 3)
    assert len(model.trainable_weights) == 4


def test_subclassed_model_used_inside_a_functional_model():
    inner = TwoLayerNet()
    inputs = ks.Input(shape=(4,))
    outputs = inner(inputs)
    outer = ks.Model(inputs, outputs)
    assert outer.output_shape == (None, 3)
    assert len(outer.trainable_weights) == 4


def test_registered_custom_layer_round_trips_through_config():
    registered = ks.saving.register_keras_serializable(package="tests")(ScaledDense)
    inputs = ks.Input(shape=(5,))
    model = ks.Model(inputs, registered(2, name="scaled")(inputs))
    clone = ks.models.clone_model(model)
    assert isinstance(clone.get_layer("scaled"), ScaledDense)


def test_unknown_custom_class_error_says_how_to_register():
    config = {"class_name": "NotRegisteredAnywhere", "config": {}}
    with pytest.raises(ValueError, match="NotRegisteredAnywhere.*custom_objects.*register_keras_serializable"):
        layers.registry.deserialize(config)
