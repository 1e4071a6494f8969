"""Real Keras 3 (torch backend) both ways: a mixed_float16 model saved by Keras loads in kerasette with its
policies, and kerasette's loads in Keras with its policies and loss-scale state; both predict the same."""

import os

import numpy as np
import pytest

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")  # Keras's own warnings (legacy .h5, torch)
POLICIES = ["mixed_float16"] * 6 + ["float32"]
TOLERANCE = 1e-3  # float16 computations: the same products, summed in another order


def build(K):
    """A convnet made under the global mixed_float16 policy, its softmax in float32 (Keras's advice)."""
    layers = K.layers
    K.mixed_precision.set_global_policy("mixed_float16")
    try:
        return K.Sequential([K.Input((8, 8, 2)), layers.Conv2D(4, 3, padding="same"), layers.BatchNormalization(),
                             layers.Activation("relu"), layers.MaxPooling2D(), layers.Flatten(), layers.Dense(3),
                             layers.Activation("softmax", dtype="float32")], name="mixed_cnn")
    finally:
        K.mixed_precision.set_global_policy("float32")


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 8, 8, 2)).astype("float32"), rng.integers(0, 3, 16)


def trained(K):
    model = build(K)
    assert model.dtype_policy.name == "mixed_float16"
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = data()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert type(model.optimizer).__name__ == "LossScaleOptimizer"
    return model


def scale_state(optimizer):
    return float(np.asarray(optimizer.dynamic_scale.numpy())), int(np.asarray(optimizer.iterations.numpy()))


def saved_and_loaded(source, target, path):
    """A model trained in ``source`` (Keras or kerasette), saved to ``path`` and loaded in ``target``, both
    returned once the loaded one shows the same policies and predicts the same."""
    saved = trained(source)
    saved.save(path)
    loaded = target.models.load_model(path)
    assert [layer.dtype_policy.name for layer in loaded.layers] == POLICIES
    x, _ = data()
    difference = np.asarray(loaded.predict(x, verbose=0)) - np.asarray(saved.predict(x, verbose=0))
    assert np.abs(difference).max() <= TOLERANCE
    return saved, loaded


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_keras_mixed_float16_model_loads_in_kerasette(tmp_path, mixed_backend, fmt):
    path = tmp_path / f"keras_mixed.{fmt}"
    kmodel, model = saved_and_loaded(keras, ks, path)
    assert {w.dtype for w in model.weights} == {"float32"}
    reloaded = keras.models.load_model(path)  # what Keras itself makes of its file: the same optimizer class
    assert type(model.optimizer).__name__ == type(reloaded.optimizer).__name__
    if fmt == "h5":  # the .h5 keeps the wrapped optimizer and its state
        assert type(model.optimizer).__name__ == "LossScaleOptimizer"
        assert scale_state(model.optimizer) == scale_state(kmodel.optimizer) == (2.0**15, 2)


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_kerasette_mixed_float16_model_loads_in_keras(tmp_path, mixed_backend, fmt):
    model, kmodel = saved_and_loaded(ks, keras, tmp_path / f"kerasette_mixed.{fmt}")
    assert kmodel.layers[0].kernel.dtype == "float32" and kmodel.layers[0].compute_dtype == "float16"
    assert type(kmodel.optimizer).__name__ == "LossScaleOptimizer"
    if fmt == "keras":  # Keras reads optimizer state from .keras files (its .h5 loader does not)
        assert scale_state(kmodel.optimizer) == scale_state(model.optimizer) == (2.0**15, 2)
