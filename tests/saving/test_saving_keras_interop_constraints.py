"""Weight constraints with real Keras 3: files written by Keras with constraints load in kerasette (constraints
included) and the other way, and training with constraints follows Keras step for step."""

import os

import numpy as np
import pytest
import saving_models as sm

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")
TOLERANCE = 1e-5


def constrained(K):
    """Every family of constrained weight: kernels, biases, depthwise/pointwise kernels, gamma/beta, embeddings."""
    C, L = K.constraints, K.layers
    image = K.Input((6, 6, 2), name="image")
    x = L.Conv2D(4, 3, activation="relu", kernel_constraint=C.UnitNorm(axis=[0, 1, 2]), bias_constraint=C.NonNeg(),
                 name="conv")(image)  # the ReLU keeps the bias gradient from vanishing under BatchNormalization
    x = L.BatchNormalization(gamma_constraint=C.MinMaxNorm(0.5, 2.0, rate=0.5), beta_constraint=C.MaxNorm(1.0),
                             name="bn")(x)
    x = L.SeparableConv2D(3, 2, depthwise_constraint=C.MaxNorm(1.5, axis=[0, 1]),
                          pointwise_constraint=C.NonNeg(), name="sep")(x)
    x = L.GlobalAveragePooling2D(name="gap")(x)
    x = L.LayerNormalization(gamma_constraint=C.NonNeg(), name="ln")(x)
    tokens = K.Input((4,), dtype="int32", name="tokens")
    e = L.Flatten(name="flat")(L.Embedding(10, 2, embeddings_constraint=C.UnitNorm(axis=1), name="emb")(tokens))
    joined = L.Concatenate(name="cat")([x, e])
    out = L.Dense(2, kernel_constraint=C.MaxNorm(1.5, axis=0), bias_constraint=C.NonNeg(), name="head")(joined)
    return K.Model([image, tokens], out, name="constrained")


def data(n=8):
    rng = np.random.default_rng(3)
    return [rng.normal(size=(n, 6, 6, 2)).astype("float32"), rng.integers(0, 10, size=(n, 4)).astype("int32")]


def constraint_configs(model):
    """``{layer: {argument: (class name, config)}}`` of every constraint argument set in the model."""
    out = {}
    for layer in model.layers:
        found = {}
        for key, value in vars(layer).items():
            if key.endswith("_constraint") and value is not None:
                found[key] = (type(value).__name__, value.get_config())
        if found:
            out[layer.name] = found
    return out


EXPECTED = {
    "conv": {"kernel_constraint": ("UnitNorm", {"axis": [0, 1, 2]}), "bias_constraint": ("NonNeg", {})},
    "bn": {"gamma_constraint": ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0, "rate": 0.5, "axis": 0}),
           "beta_constraint": ("MaxNorm", {"max_value": 1.0, "axis": 0})},
    "sep": {"depthwise_constraint": ("MaxNorm", {"max_value": 1.5, "axis": [0, 1]}),
            "pointwise_constraint": ("NonNeg", {})},
    "ln": {"gamma_constraint": ("NonNeg", {})},
    "emb": {"embeddings_constraint": ("UnitNorm", {"axis": 1})},
    "head": {"kernel_constraint": ("MaxNorm", {"max_value": 1.5, "axis": 0}), "bias_constraint": ("NonNeg", {})},
}


def test_both_libraries_build_the_same_constraints():
    assert constraint_configs(constrained(ks)) == EXPECTED == constraint_configs(constrained(keras))


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_keras_written_file_with_constraints_loads_in_kerasette(tmp_path, fmt):
    theirs = sm.randomize(constrained(keras), seed=4)
    theirs.save(tmp_path / f"m.{fmt}")
    ours = ks.models.load_model(tmp_path / f"m.{fmt}")
    assert constraint_configs(ours) == EXPECTED
    assert isinstance(ours.get_layer("head").kernel.constraint, ks.constraints.MaxNorm)
    assert sm.max_abs_diff(sm.predictions(ours, data()), sm.predictions(theirs, data())) <= TOLERANCE


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_kerasette_written_file_with_constraints_loads_in_keras(tmp_path, fmt):
    ours = sm.randomize(constrained(ks), seed=5)
    ours.save(tmp_path / f"m.{fmt}")
    theirs = keras.models.load_model(tmp_path / f"m.{fmt}")
    assert constraint_configs(theirs) == EXPECTED
    assert sm.max_abs_diff(sm.predictions(theirs, data()), sm.predictions(ours, data())) <= TOLERANCE


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_training_with_constraints_follows_keras(optimizer):
    ours, theirs = constrained(ks), constrained(keras)
    sm.randomize(theirs, seed=6)
    ours.set_weights(theirs.get_weights())
    targets = np.random.default_rng(7).normal(size=(8, 2)).astype("float32") * 3.0
    for model, library in ((ours, ks), (theirs, keras)):
        model.compile(getattr(library.optimizers, optimizer)(learning_rate=0.1), loss="mse")
        model.fit(data(), targets, epochs=2, batch_size=4, shuffle=False, verbose=0)
    for a, b, w in zip(ours.get_weights(), theirs.get_weights(), theirs.weights):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=w.path)
    kernel = ours.get_layer("head").kernel.numpy()
    assert np.sqrt((kernel ** 2).sum(axis=0)).max() <= 1.5 + 1e-5
