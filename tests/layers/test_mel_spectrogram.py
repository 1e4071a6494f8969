"""MelSpectrogram against real Keras 3 (torch backend) on the same waveforms."""

import numpy as np
import pytest
from keras_reference import (
    assert_keras_file_loads_in_kerasette,
    assert_kerasette_file_loads_in_keras,
    keras,
    keras_value,
    quiet,
)

from kerasette import layers

RNG = np.random.default_rng(0)
t = np.arange(4000) / 8000.0
AUDIO = np.stack([np.sin(2 * np.pi * 440 * t), 0.3 * RNG.normal(size=t.size)]).astype("float32")

CASES = [
    {},
    {"fft_length": 512, "sequence_stride": 128, "num_mel_bins": 40, "sampling_rate": 8000},
    {"fft_length": 256, "sequence_length": 200, "sequence_stride": 100, "window": "hamming", "num_mel_bins": 16,
     "sampling_rate": 8000, "min_freq": 100.0, "max_freq": 3000.0, "power_to_db": False, "mag_exp": 1.0},
    {"fft_length": 400, "sequence_stride": 160, "window": None, "num_mel_bins": 32, "sampling_rate": 8000,
     "top_db": 40.0, "ref_power": 0.5, "min_power": 1e-6},
]


@pytest.mark.parametrize("batched", [True, False], ids=["batch", "single"])
@pytest.mark.parametrize("index", range(len(CASES)))
def test_matches_keras(index, batched, backend):
    config = CASES[index]
    audio = AUDIO if batched else AUDIO[0]
    expected = keras_value(("mel", index, batched),
                           lambda: quiet(lambda: keras.layers.MelSpectrogram(**config)(audio)))
    layer = layers.MelSpectrogram(**config)
    got = layer(audio).numpy()
    assert got.shape == expected.shape == layer.compute_output_shape(audio.shape)
    scale = np.abs(expected).max()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * scale)


def test_config_and_files_match_keras(tmp_path):
    config = CASES[1]
    ours = layers.MelSpectrogram(**config, name="mel").get_config()
    theirs = quiet(lambda: keras.layers.MelSpectrogram(**config, name="mel").get_config())
    assert {k: v for k, v in ours.items() if k != "dtype"} == {k: v for k, v in theirs.items() if k != "dtype"}

    def build(K):
        return K.Sequential([K.Input((4000,)), K.layers.MelSpectrogram(**config), K.layers.Flatten(),
                             K.layers.Dense(2)])

    theirs = quiet(lambda: build(keras))
    ours_model = assert_keras_file_loads_in_kerasette(theirs, AUDIO, tmp_path / "theirs.keras", rtol=1e-4, atol=1e-3)
    assert_kerasette_file_loads_in_keras(ours_model, AUDIO, tmp_path / "ours.keras", rtol=1e-4, atol=1e-3)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="`fft_length` must be greater than or equal to `sequence_length`"):
        layers.MelSpectrogram(fft_length=256, sequence_length=512)
    with pytest.raises(ValueError, match="window"):
        layers.MelSpectrogram(window="kaiser")
    with pytest.raises(ValueError, match="max_freq"):
        layers.MelSpectrogram(min_freq=5000.0, max_freq=1000.0)
