"""SpectralNormalization against real Keras 3: the same power-method state gives the same kernel and outputs."""

import numpy as np
import pytest
from keras_reference import keras, numpy_of, quiet

import kerasette as ks
from kerasette import layers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(6, 5, 5, 3)).astype("float32")


def _wrapped(K, iterations):
    return K.layers.SpectralNormalization(K.layers.Conv2D(4, 3), power_iterations=iterations)


@pytest.mark.parametrize("iterations", [1, 3])
def test_training_calls_match_keras(iterations, backend):
    ours, theirs = _wrapped(ks, iterations), quiet(lambda: _wrapped(keras, iterations))
    ours.build(X.shape)
    quiet(lambda: theirs.build(X.shape))
    weights = [RNG.normal(size=w.shape).astype("float32") for w in ours.weights]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    assert [w.path.split("/")[-1] for w in ours.weights] == ["kernel", "vector_u", "bias"]
    for _ in range(3):  # the power method's state carries over between calls
        got, expected = ours(X, training=True).numpy(), quiet(lambda: numpy_of(theirs(X, training=True)))
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    for mine, keras_weight in zip(ours.get_weights(), quiet(theirs.get_weights)):
        np.testing.assert_allclose(mine, keras_weight, rtol=1e-4, atol=1e-6)
    before = ours.layer.kernel.numpy().copy()
    ours(X, training=False)
    np.testing.assert_array_equal(ours.layer.kernel.numpy(), before)  # inference leaves the kernel alone


def test_converges_to_a_unit_spectral_norm_and_trains():
    model = ks.Sequential([ks.Input((3,)), layers.SpectralNormalization(layers.Dense(4), power_iterations=5),
                           layers.Dense(1)])
    x, y = RNG.normal(size=(64, 3)).astype("float32"), RNG.normal(size=(64, 1)).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    kernel = model.layers[0].layer.kernel.numpy()
    assert abs(np.linalg.norm(kernel, 2) - 1.0) < 0.05


@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_files_move_both_ways_with_keras(tmp_path, fmt):
    def build(K):
        return K.Sequential([K.Input((5, 5, 3)), _wrapped(K, 2), K.layers.Flatten(), K.layers.Dense(2)])

    theirs = quiet(lambda: build(keras))
    weights = [RNG.normal(size=w.shape).astype("float32") for w in theirs.weights]
    theirs.set_weights(weights)
    quiet(lambda: theirs.save(tmp_path / f"theirs.{fmt}"))
    ours = ks.models.load_model(tmp_path / f"theirs.{fmt}")
    assert ours.layers[0].power_iterations == 2
    np.testing.assert_allclose(ours.predict(X, verbose=0), quiet(lambda: numpy_of(theirs(X))), rtol=1e-5, atol=1e-5)
    ours.save(tmp_path / f"ours.{fmt}")
    loaded = quiet(lambda: keras.models.load_model(tmp_path / f"ours.{fmt}"))
    np.testing.assert_allclose(quiet(lambda: numpy_of(loaded(X))), ours.predict(X, verbose=0), rtol=1e-5, atol=1e-5)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="power_iterations"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.Flatten())(np.ones((2, 3), "float32"))
