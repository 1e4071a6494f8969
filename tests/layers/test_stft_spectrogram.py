"""STFTSpectrogram and the STFT initializer against real Keras 3 (torch backend)."""

import numpy as np
import pytest
from keras_reference import (
    assert_keras_file_loads_in_kerasette,
    assert_kerasette_file_loads_in_keras,
    keras,
    keras_value,
    numpy_of,
    quiet,
)
from layer_checks import assert_weight_gradients_match_finite_differences

from kerasette import initializers, layers, ops

RNG = np.random.default_rng(0)
SIGNAL = RNG.normal(size=(2, 600, 2)).astype("float32")

CASES = [
    {"frame_length": 64, "frame_step": 32},
    {"mode": "magnitude", "frame_length": 50, "fft_length": 64, "padding": "same", "window": "hamming"},
    {"mode": "psd", "frame_length": 64, "periodic": True, "scaling": "spectrum"},
    {"mode": "real", "frame_length": 32, "frame_step": 16, "window": None, "expand_dims": True},
    {"mode": "imag", "frame_length": 32, "scaling": None},
    {"mode": "angle", "frame_length": 32, "frame_step": 8},
    {"mode": "stft", "frame_length": 64, "frame_step": 64, "expand_dims": True},
]


@pytest.mark.parametrize("index", range(len(CASES)))
def test_matches_keras(index, backend):
    config = CASES[index]
    expected = keras_value(("stft_spectrogram", index),
                           lambda: quiet(lambda: keras.layers.STFTSpectrogram(**config)(SIGNAL)))
    layer = layers.STFTSpectrogram(**config)
    got = layer(SIGNAL).numpy()
    assert got.shape == expected.shape == layer.compute_output_shape(SIGNAL.shape)
    if config.get("mode") == "angle":  # near-zero bins: compare the unit vectors, not the wrapped angles
        got, expected = np.stack([np.cos(got), np.sin(got)]), np.stack([np.cos(expected), np.sin(expected)])
        np.testing.assert_allclose(got, expected, atol=2e-3)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


@pytest.mark.parametrize("config", [{"side": "real"}, {"side": "imag", "window": "hamming", "periodic": True},
                                    {"side": "real", "scaling": "spectrum"}, {"side": "imag", "window": None}])
def test_initializer_matches_keras(config):
    shape = (40, 1, 33)
    expected = quiet(lambda: numpy_of(keras.initializers.STFT(**config)(shape)))
    np.testing.assert_allclose(initializers.STFT(**config)(shape).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert initializers.get({"class_name": "STFT", "config": config}).get_config()["side"] == config["side"]


def test_kernels_train_with_finite_difference_gradients(backend):
    layer = layers.STFTSpectrogram(mode="magnitude", frame_length=8, frame_step=4, dtype="float64")
    x = RNG.normal(size=(1, 24, 1))
    layer(x)
    cotangent = RNG.normal(size=layer.compute_output_shape(x.shape))

    def objective():
        with ops.stop_recording():
            return float(np.sum(layer(x).numpy() * cotangent))

    with ops.GradientTape() as tape:
        loss = ops.sum(ops.multiply(layer(x), cotangent))
    grads = tape.gradient(loss, layer.trainable_weights)
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads, objective, rtol=1e-5, atol=1e-8)


def test_files_move_both_ways_with_keras(tmp_path):
    def build(K):
        return K.Sequential([K.Input((600, 2)), K.layers.STFTSpectrogram(frame_length=64, frame_step=32),
                             K.layers.Flatten(), K.layers.Dense(3)])

    theirs = quiet(lambda: build(keras))
    ours = assert_keras_file_loads_in_kerasette(theirs, SIGNAL, tmp_path / "theirs.keras", rtol=1e-4, atol=1e-4)
    assert_kerasette_file_loads_in_keras(ours, SIGNAL, tmp_path / "ours.keras", rtol=1e-4, atol=1e-4)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer"):
        layers.STFTSpectrogram(frame_length=16, frame_step=32)
    with pytest.raises(ValueError, match="Output mode is invalid"):
        layers.STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="kerasette's STFT has the windows"):
        layers.STFTSpectrogram(window="kaiser")
    with pytest.warns(UserWarning, match="power of two"):
        layers.STFTSpectrogram(frame_length=16, fft_length=20)
    with pytest.raises(TypeError, match="Invalid input type"):
        layers.STFTSpectrogram(frame_length=16)(np.ones((1, 32, 1), "int32"))
