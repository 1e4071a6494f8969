"""Keras guide style: a variational autoencoder with a sampling layer on keras.random and its KL
divergence added with add_loss; compiled with the reconstruction loss only."""
import json

import numpy as np

import kerasette as keras
from kerasette import layers, ops


class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=ops.shape(z_mean), seed=self.seed_generator)
        kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1))
        self.add_loss(0.1 * kl)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


inputs = keras.Input(shape=(8,))
hidden = layers.Dense(16, activation="relu")(inputs)
z_mean = layers.Dense(2, name="z_mean")(hidden)
z_log_var = layers.Dense(2, name="z_log_var")(hidden)
z = Sampling()([z_mean, z_log_var])
decoded = layers.Dense(8)(layers.Dense(16, activation="relu")(z))
vae = keras.Model(inputs, decoded)
init = np.random.default_rng(1)
for variable in vae.weights:
    variable.assign(init.normal(0.0, 0.3, size=tuple(variable.shape)).astype("float32"))

rng = np.random.default_rng(0)
codes = rng.normal(size=(256, 2))
data = np.tanh(codes @ rng.normal(size=(2, 8))).astype("float32")
vae.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
history = vae.fit(data, data, batch_size=32, epochs=8, shuffle=False, verbose=0)
vae(data[:4])
print("RESULT " + json.dumps({"loss": history.history["loss"], "added_losses": len(vae.losses)}))
