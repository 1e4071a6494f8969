"""Keras guide style: a model that overrides compute_loss (an extra penalty on its predictions) and
keeps its own loss tracker in `metrics`."""
import json

import numpy as np

import kerasette as keras
from kerasette import layers, ops


class PenalizedModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="tanh")
        self.out = layers.Dense(1)
        self.penalty_tracker = keras.metrics.Mean(name="penalty")

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)
        penalty = 0.1 * ops.mean(ops.square(y_pred))
        self.penalty_tracker.update_state(penalty)
        return loss + penalty


rng = np.random.default_rng(0)
data = rng.normal(size=(128, 5)).astype("float32")
target = np.sin(data[:, :1] * 2.0).astype("float32")
model = PenalizedModel()
model(data[:1])
init = np.random.default_rng(1)
for variable in model.weights:
    variable.assign(init.normal(0.0, 0.3, size=tuple(variable.shape)).astype("float32"))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
history = model.fit(data, target, batch_size=32, epochs=6, shuffle=False, verbose=0)
print("RESULT " + json.dumps({"loss": history.history["loss"], "mae": history.history["mae"],
                              "penalty": history.history["penalty"]}))
