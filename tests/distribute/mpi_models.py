"""The models and data of the distributed-training tests, shared by the MPI scripts and the single-process references.

``train(kind, batch_size, ...)`` trains the MLP or the CNN (with ``BatchNormalization(synchronized=True)``) for
three shuffled epochs on a data set whose size is not a multiple of the global batch, and returns the final weights.
Under ``kerasette.distribute`` (initialized by the calling script) it trains data-parallel; without, in one process.
"""

import numpy as np

import kerasette as keras

# (samples, per-rank batch): 101 = 6 * 16 + 5 (parts 3, 2 on 2 ranks) = 3 * 32 + 5 (2, 1, 1, 1 on 4 ranks);
# 49 = 6 * 8 + 1 and 3 * 16 + 1: the last global batch has one sample, the other ranks hold placeholders.
SIZES = {"mlp": (101, 8), "cnn": (49, 4)}
DIVISIBLE = 96  # a multiple of the MLP's global batch on 1, 2 and 4 ranks


def data(kind):
    rng = np.random.default_rng(7)
    count = SIZES[kind][0]
    if kind == "mlp":
        x = rng.normal(size=(count, 6)).astype("float32")
        y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype("int64") + (x[:, 3] > 1).astype("int64")
    else:
        x = rng.normal(size=(count, 8, 8, 1)).astype("float32")
        y = (x[:, :4].mean(axis=(1, 2, 3)) > 0).astype("int64") + (x[:, 4:].mean(axis=(1, 2, 3)) > 0.1)
    return x, y.astype("int64")


def build(kind):
    if kind == "mlp":
        layers = [keras.Input(shape=(6,)), keras.layers.Dense(16, activation="relu"),
                  keras.layers.Dense(3, activation="softmax")]
    else:
        layers = [keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(4, 3, padding="same", use_bias=False),
                  keras.layers.BatchNormalization(synchronized=True), keras.layers.Activation("relu"),
                  keras.layers.MaxPooling2D(2), keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")]
    return keras.Sequential(layers)


def optimizer(kind, accumulation=None):
    if kind == "mlp":
        return keras.optimizers.Adam(learning_rate=0.01, gradient_accumulation_steps=accumulation)
    return keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, gradient_accumulation_steps=accumulation)


def train(kind, batch_size, wrap=None, callbacks=(), accumulation=None, epochs=3, sizes=None):
    """Final weights (model weights, then optimizer variables) after ``epochs`` shuffled epochs."""
    keras.utils.set_random_seed(1)
    x, y = data(kind)
    if sizes is not None:
        x, y = x[:sizes], y[:sizes]
    model = build(kind)
    opt = optimizer(kind, accumulation)
    model.compile(optimizer=opt if wrap is None else wrap(opt), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0,
                        callbacks=list(callbacks))
    return model.get_weights(), history.history
