"""Reading event files back with TensorBoard's own reader, and small models to train for them."""

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import kerasette as keras

EVERYTHING = {"scalars": 0, "histograms": 0, "images": 0, "tensors": 0, "compressedHistograms": 0}


def read_run(path):
    """An `EventAccumulator` over one run directory, loaded with every event kept."""
    accumulator = EventAccumulator(str(path), size_guidance=EVERYTHING)
    accumulator.Reload()
    return accumulator


def scalars(accumulator, tag):
    """`[(step, value), ...]` of one scalar tag."""
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]


def classifier_data(samples=48, features=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, features)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int32")
    return x, y


def small_classifier(optimizer="adam"):
    """Input(4) -> Dense(8, relu) "hidden" -> Dense(2, softmax) "probs", compiled with accuracy."""
    inputs = keras.Input((4,), name="features")
    hidden = keras.layers.Dense(8, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.Dense(2, activation="softmax", name="probs")(hidden)
    model = keras.Model(inputs, outputs, name="classifier")
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
