"""Small models and data shared by the pruning tests."""

import numpy as np

import kerasette as keras
from kerasette import layers


def data(n=64, features=8, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (np.abs(x[:, :classes]).argmax(axis=1)).astype("int32")
    return x, y


def mlp(features=8, classes=3, name="mlp"):
    return keras.Sequential([keras.Input((features,), name="features"), layers.Dense(16, activation="relu", name="h1"),
                             layers.Dropout(0.1, name="drop"), layers.Dense(12, activation="relu", name="h2"),
                             layers.Dense(classes, activation="softmax", name="probs")], name=name)


def two_branches(features=8, classes=3):
    """Input -> (Dense "left", Dense "right" -> Dense "right2") -> Concatenate -> Dense "probs"."""
    inputs = keras.Input((features,), name="features")
    left = layers.Dense(10, activation="relu", name="left")(inputs)
    right = layers.Dense(6, activation="tanh", name="right")(inputs)
    right = layers.Dense(6, activation="relu", name="right2")(right)
    merged = layers.Concatenate(name="merge")([left, right])
    outputs = layers.Dense(classes, activation="softmax", name="probs")(merged)
    return keras.Model(inputs, outputs, name="branches")


def small_cnn(classes=3):
    inputs = keras.Input((8, 8, 1), name="image")
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inputs)
    x = layers.BatchNormalization(name="bn")(x)
    x = layers.MaxPooling2D(name="pool")(x)
    x = layers.Flatten(name="flat")(x)
    outputs = layers.Dense(classes, activation="softmax", name="probs")(x)
    return keras.Model(inputs, outputs, name="cnn")


def compile_for_training(model, optimizer="adam"):
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def expected_sparsity(size, sparsity):
    kept = max(int(np.rint(np.float32(size) * (np.float32(1) - np.float32(sparsity)))), 1)
    return (size - kept) / size
