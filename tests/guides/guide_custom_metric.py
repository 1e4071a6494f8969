"""Keras guide style: a custom stateful Metric (state from add_variable, updated with assign_add)
compiled next to a built-in one."""
import json

import numpy as np

import kerasette as keras
from kerasette import layers, ops


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(ops.equal(ops.cast(y_true, "int32"), ops.cast(y_pred, "int32")), "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.reshape(ops.cast(sample_weight, "float32"), (-1, 1)))
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


rng = np.random.default_rng(0)
data = rng.normal(size=(150, 4)).astype("float32")
labels = (data[:, :3].argmax(axis=1)).reshape(-1, 1).astype("int64")
model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
init = np.random.default_rng(1)
for variable in model.weights:
    variable.assign(init.normal(0.0, 0.3, size=tuple(variable.shape)).astype("float32"))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss="sparse_categorical_crossentropy",
              metrics=[CategoricalTruePositives(), "sparse_categorical_accuracy"])
history = model.fit(data, labels, batch_size=30, epochs=6, shuffle=False, verbose=0)
print("RESULT " + json.dumps({k: history.history[k] for k in ("loss", "categorical_true_positives",
                                                              "sparse_categorical_accuracy")}))
