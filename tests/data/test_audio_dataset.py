"""audio_dataset_from_directory: WAV decoding (8/16/24/32-bit), labels, padding, splits, and training on it."""

import os
import wave

import numpy as np
import pytest

import kerasette as ks
from kerasette.utils.audio_dataset import read_wav


def _write(path, samples, width=2, rate=8000):
    """``samples`` (frames, channels) integers of ``width`` bytes as a PCM WAV file."""
    samples = np.asarray(samples)
    if width == 1:
        raw = (samples + 128).astype(np.uint8).tobytes()
    elif width == 3:
        values = samples.astype(np.int32).reshape(-1)
        raw = np.stack([values & 0xFF, (values >> 8) & 0xFF, (values >> 16) & 0xFF], 1).astype(np.uint8).tobytes()
    else:
        raw = samples.astype(f"<i{width}").tobytes()
    with wave.open(str(path), "wb") as f:
        f.setnchannels(samples.shape[1] if samples.ndim == 2 else 1)
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(raw)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_pcm_samples_decode_to_floats_in_minus_one_one(tmp_path, width):
    full = 1 << (8 * width - 1)
    samples = np.array([[-full, 0], [full // 2, -full // 4], [full - 1, 1]])
    _write(tmp_path / "a.wav", samples, width)
    audio, rate = read_wav(str(tmp_path / "a.wav"))
    assert rate == 8000 and audio.dtype == np.float32 and audio.shape == (3, 2)
    np.testing.assert_allclose(audio, samples / full, atol=1e-7)
    padded, _ = read_wav(str(tmp_path / "a.wav"), desired_samples=5)
    np.testing.assert_array_equal(padded[3:], 0.0)
    np.testing.assert_array_equal(read_wav(str(tmp_path / "a.wav"), desired_samples=2)[0], audio[:2])


def _folder(root, counts=(("cat", 3), ("dog", 5)), rate=8000):
    rng = np.random.default_rng(0)
    for k, (label, count) in enumerate(counts):
        os.makedirs(root / label)
        for i in range(count):
            length = 400 + 100 * i
            tone = np.sin(np.arange(length) * (0.05 if k == 0 else 0.4)) * 12000
            _write(root / label / f"{i}.wav", (tone + rng.normal(0, 500, length)).astype(int)[:, None], rate=rate)


def test_labels_padding_and_splits(tmp_path):
    _folder(tmp_path)
    data = ks.utils.audio_dataset_from_directory(tmp_path, batch_size=4, shuffle=False, verbose=False)
    assert data.class_names == ["cat", "dog"] and len(data) == 2
    audio, labels = data[0]
    assert audio.shape == (4, 600, 1) and labels.tolist() == [0, 0, 0, 1]  # padded to the batch's longest clip
    np.testing.assert_array_equal(audio[0, 400:], 0.0)
    fixed = ks.utils.audio_dataset_from_directory(tmp_path, batch_size=8, output_sequence_length=500,
                                                  label_mode="categorical", shuffle=False, verbose=False)
    audio, labels = fixed[0]
    assert audio.shape == (8, 500, 1) and labels.shape == (8, 2)
    train, val = ks.utils.audio_dataset_from_directory(tmp_path, validation_split=0.25, subset="both", seed=1,
                                                       verbose=False)
    assert len(train.file_paths) == 6 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)


def test_a_model_trains_on_the_audio(tmp_path):
    _folder(tmp_path, counts=(("low", 12), ("high", 12)))
    data = ks.utils.audio_dataset_from_directory(tmp_path, batch_size=8, output_sequence_length=400, seed=0,
                                                 verbose=False)
    model = ks.Sequential([ks.Input((400, 1)), ks.layers.Conv1D(8, 9, strides=4, activation="relu"),
                           ks.layers.GlobalMaxPooling1D(), ks.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(data, epochs=15, verbose=0)
    assert history.history["accuracy"][-1] >= 0.9


def test_bad_arguments_and_files_raise(tmp_path):
    _folder(tmp_path, rate=8000)
    with pytest.raises(ValueError, match="no ragged tensors"):
        ks.utils.audio_dataset_from_directory(tmp_path, ragged=True, verbose=False)
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        ks.utils.audio_dataset_from_directory(tmp_path, ragged=True, output_sequence_length=4, verbose=False)
    with pytest.raises(ValueError, match="should be higher than 0"):
        ks.utils.audio_dataset_from_directory(tmp_path, sampling_rate=0, verbose=False)
    data = ks.utils.audio_dataset_from_directory(tmp_path, sampling_rate=16000, verbose=False)
    with pytest.raises(ValueError, match="sampling rate of 8000 Hz, not the sampling_rate=16000"):
        data[0]
    (tmp_path / "cat" / "broken.wav").write_bytes(b"RIFF1234WAVEjunk")
    with pytest.raises(ValueError, match="as a PCM WAV file"):
        read_wav(str(tmp_path / "cat" / "broken.wav"))
    os.makedirs(tmp_path / "empty" / "class")
    with pytest.raises(ValueError, match="No audio files found"):
        ks.utils.audio_dataset_from_directory(tmp_path / "empty", verbose=False)
