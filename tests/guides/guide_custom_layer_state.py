"""Keras guide style: custom layers with add_weight state, a non-trainable accumulator updated with
assign_add, trained inside a Sequential model."""
import json

import numpy as np

import kerasette as keras
from kerasette import layers, ops


class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class ComputeSum(layers.Layer):
    def __init__(self, input_dim, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


summer = ComputeSum(2)
x = ops.ones((2, 2))
summer(x)
summer(x)
totals = [float(v) for v in ops.convert_to_numpy(summer.total)]

rng = np.random.default_rng(0)
data = rng.normal(size=(128, 4)).astype("float32")
target = (data @ rng.normal(size=(4, 1)) + 0.5).astype("float32")
model = keras.Sequential([keras.Input((4,)), Linear(8), layers.Activation("tanh"), Linear(1)])
init = np.random.default_rng(1)
for variable in model.weights:
    variable.assign(init.normal(0.0, 0.3, size=tuple(variable.shape)).astype("float32"))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
history = model.fit(data, target, batch_size=32, epochs=5, shuffle=False, verbose=0)
print("RESULT " + json.dumps({"totals": totals, "trainable": len(summer.trainable_weights),
                              "non_trainable": len(summer.non_trainable_weights),
                              "loss": history.history["loss"]}))
