"""Keras guide style: a registered custom layer and a custom activation saved in a .keras file and
loaded back, once through the registry and once under custom_object_scope."""
import json
import os
import sys
import tempfile

import numpy as np

import kerasette as keras
from kerasette import layers, ops


@keras.saving.register_keras_serializable(package="Guide")
class ScaledDense(layers.Layer):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="kernel")

    def call(self, inputs):
        return self.scale * ops.matmul(inputs, self.kernel)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "scale": self.scale})
        return config


def shifted_relu(x):
    return ops.relu(x - 0.1)


inputs = keras.Input((3,))
outputs = layers.Dense(2)(layers.Activation(shifted_relu)(ScaledDense(4, scale=2.0)(inputs)))
model = keras.Model(inputs, outputs)
init = np.random.default_rng(1)
for variable in model.weights:
    variable.assign(init.normal(0.0, 0.5, size=tuple(variable.shape)).astype("float32"))
data = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
expected = model.predict(data, verbose=0)
path = os.path.join(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(), "custom.keras")
model.save(path)
with keras.saving.custom_object_scope({"shifted_relu": shifted_relu}):
    loaded = keras.models.load_model(path)
restored = loaded.predict(data, verbose=0)
print("RESULT " + json.dumps({"expected": expected.tolist(), "restored": restored.tolist(),
                              "scale": loaded.layers[1].scale}))
