"""``audio_dataset_from_directory``: a folder of ``.wav`` files, one subfolder per class, as a ``PyDataset``.

Keras returns a ``tf.data.Dataset`` and decodes with ``tf.audio.decode_wav``; kerasette returns an
``AudioFolderDataset`` (a ``PyDataset`` with ``class_names`` and ``file_paths``) and decodes PCM WAV files
with Python's ``wave`` module: samples as float32 in [-1, 1) (16-bit: ``value / 32768``, as TensorFlow),
shaped ``(samples, channels)``. Files are listed, shuffled and split by ``directory_index``, as Keras does.
"""

from __future__ import annotations

import numbers
import wave
from typing import Any, List, Optional, Sequence

import numpy as np

from kerasette.utils import directory_index
from kerasette.utils.file_dataset import FileDataset

ALLOWED_FORMATS = (".wav",)


def read_wav(path: str, desired_samples: Optional[int] = None) -> tuple:
    """Decode a PCM WAV file: ``(audio, sampling_rate)`` with audio float32 ``(samples, channels)`` in [-1, 1).

    Args:
        path: the file.
        desired_samples: crop or zero-pad to this many samples (None: all of them).

    Returns:
        The audio array and the file's sampling rate.

    Raises:
        ValueError: the file is not a PCM WAV file kerasette can read (8, 16, 24 or 32-bit integer samples).
    """
    try:
        with wave.open(path, "rb") as f:
            channels, width, rate, count = f.getnchannels(), f.getsampwidth(), f.getframerate(), f.getnframes()
            raw = f.readframes(count)
    except (wave.Error, EOFError) as error:
        raise ValueError(f"Could not decode the audio file {path!r} as a PCM WAV file: {error}.") from None
    if width == 1:  # 8-bit WAV samples are unsigned
        audio = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 3:
        bytes_ = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        values = bytes_[:, 0].astype(np.int32) | (bytes_[:, 1].astype(np.int32) << 8) | \
            (bytes_[:, 2].astype(np.int8).astype(np.int32) << 16)
        audio = values.astype(np.float32) / float(1 << 23)
    elif width in (2, 4):
        dtype = np.dtype(f"<i{width}")
        audio = (np.frombuffer(raw, dtype).astype(np.float64) / float(1 << (8 * width - 1))).astype(np.float32)
    else:
        raise ValueError(f"Could not decode the audio file {path!r}: {8 * width}-bit samples are not supported "
                         "(PCM WAV with 8, 16, 24 or 32-bit integer samples is).")
    audio = audio.reshape(-1, channels)
    if desired_samples is not None:
        fitted = np.zeros((desired_samples, channels), np.float32)
        fitted[: min(desired_samples, len(audio))] = audio[:desired_samples]
        audio = fitted
    return audio, rate


class AudioFolderDataset(FileDataset):
    """Batches of audio read from WAV files, with their labels (what ``audio_dataset_from_directory`` returns).

    Each batch is ``(audio, labels)`` (or ``audio`` alone without labels): audio float32
    ``(batch, samples, channels)``, zero-padded to the longest clip of the batch unless
    ``output_sequence_length`` fixes the length; labels int32 (``"int"``), float32 one-hot
    (``"categorical"``) or float32 ``(batch, 1)`` (``"binary"``).

    Args:
        file_paths: the WAV files.
        labels: an int label per file, or None.
        class_names: the class names (index = label), or None.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        batch_size: clips per batch (None: one clip per item, without a batch axis).
        sampling_rate: the sampling rate every file must have, or None.
        output_sequence_length: crop or pad every clip to this many samples (None: keep their lengths).
        shuffle: deal the files in a new order every epoch.
        seed: the shuffling seed.
        **kwargs: ``workers``, ``use_multiprocessing``, ``max_queue_size`` (see ``PyDataset``).
    """

    def __init__(self, file_paths: List[str], labels: Any, class_names: Optional[List[str]],
                 label_mode: Optional[str], batch_size: Optional[int] = 32, sampling_rate: Optional[int] = None,
                 output_sequence_length: Optional[int] = None, shuffle: bool = False, seed: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(file_paths, labels, class_names, label_mode, batch_size=batch_size, shuffle=shuffle,
                         seed=seed, **kwargs)
        self.sampling_rate, self.output_sequence_length = sampling_rate, output_sequence_length

    def _load(self, row):
        path = self.file_paths[row]
        audio, rate = read_wav(path, self.output_sequence_length)
        if self.sampling_rate is not None and rate != self.sampling_rate:
            raise ValueError(f"The audio file {path!r} has a sampling rate of {rate} Hz, not the sampling_rate="
                             f"{self.sampling_rate} asked for. kerasette does not resample (Keras does it with "
                             "tensorflow-io): resample the files beforehand, or pass sampling_rate=None.")
        return audio

    def _collate(self, clips, rows):
        """The clips zero-padded to the longest of the batch: ``(batch, samples, channels)``."""
        channels = {clip.shape[1] for clip in clips}
        if len(channels) > 1:
            raise ValueError(f"The audio files of one batch have different channel counts {sorted(channels)}: "
                             f"{[self.file_paths[r] for r in rows]}.")
        audio = np.zeros((len(clips), max(len(c) for c in clips), channels.pop()), np.float32)
        for i, clip in enumerate(clips):
            audio[i, : len(clip)] = clip
        return audio


def _positive_int(name, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1):
        raise ValueError(f"Invalid value for argument `{name}`. Expected a positive int or None. "
                         f"Received: {name}={value!r}")


def audio_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: Optional[str] = "int",
                                 class_names: Optional[Sequence[str]] = None, batch_size: Optional[int] = 32,
                                 sampling_rate: Optional[int] = None, output_sequence_length: Optional[int] = None,
                                 ragged: bool = False, shuffle: bool = True, seed: Optional[int] = None,
                                 validation_split: Optional[float] = None, subset: Optional[str] = None,
                                 follow_links: bool = False, verbose: bool = True, **kwargs: Any) -> Any:
    """A dataset of audio batches from a folder of class subfolders, as ``keras.utils.audio_dataset_from_directory``.

    ``directory/class_a/*.wav``, ``directory/class_b/*.wav``... give labels 0, 1... in the sorted order
    of the subfolders. Only ``.wav`` files (PCM) are read.

    Args:
        directory: the folder.
        labels: ``"inferred"`` (from the subfolders), None, or a list of int labels (one per file, in the
            sorted order of the paths).
        label_mode: ``"int"``, ``"categorical"`` (one-hot), ``"binary"`` (two classes, float (N, 1)) or None.
        class_names: the classes (subfolder names) to use, in this order.
        batch_size: clips per batch (None: single clips).
        sampling_rate: the sampling rate (Hz) the clips must have. Keras resamples with tensorflow-io;
            kerasette does not resample and raises, naming the file, when one has another rate.
        output_sequence_length: crop or zero-pad every clip to this many samples; None pads each batch to
            its longest clip.
        ragged: Keras's ragged batches; kerasette has no ragged tensors, so True raises.
        shuffle: shuffle the files (and deal them anew every epoch); False keeps alphanumeric order.
        seed: the shuffling seed (required with ``validation_split`` and ``shuffle``).
        validation_split: the fraction of files held out for validation.
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a pair) with ``validation_split``.
        follow_links: descend into symlinked subfolders.
        verbose: print the number of files and classes found.
        **kwargs: kerasette's ``workers``, ``use_multiprocessing`` and ``max_queue_size`` for the returned
            ``PyDataset``.

    Returns:
        An ``AudioFolderDataset`` (a ``PyDataset``), or a list ``[training, validation]`` for ``subset="both"``.

    Raises:
        ValueError: invalid arguments, or no ``.wav`` file in the folder (or in a subset).

    Example:
        >>> import os, tempfile, wave
        >>> import numpy as np
        >>> root = tempfile.mkdtemp()
        >>> for name, length in [("dog", 3), ("cat", 5)]:
        ...     os.makedirs(os.path.join(root, name))
        ...     with wave.open(os.path.join(root, name, "clip.wav"), "wb") as f:
        ...         f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000)
        ...         f.writeframes(np.full(length, 16384, "<i2").tobytes())
        >>> data = audio_dataset_from_directory(root, shuffle=False, verbose=False)
        >>> audio, labels = data[0]
        >>> data.class_names, audio.shape, labels.tolist(), audio[1, :, 0].tolist()
        (['cat', 'dog'], (2, 5, 1), [0, 1], [0.5, 0.5, 0.5, 0.0, 0.0])
        >>> import shutil; shutil.rmtree(root)
    """
    directory_index.check_common_arguments("audio_dataset_from_directory", kwargs, labels, class_names, label_mode,
                                           "audio")
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if ragged:
        raise ValueError("ragged=True: kerasette has no ragged tensors. Leave ragged=False (each batch is "
                         "zero-padded to its longest clip) or pass `output_sequence_length`.")
    if sampling_rate is not None:
        if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, numbers.Integral):
            raise ValueError(f"`sampling_rate` should have an integer value. Received: sampling_rate={sampling_rate}")
        if sampling_rate <= 0:
            raise ValueError(f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}")
    _positive_int("batch_size", batch_size)
    _positive_int("output_sequence_length", output_sequence_length)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    directory_index.check_validation_split(validation_split, subset, shuffle, seed)
    def make(paths, part_labels, names, part_shuffle, part_seed):
        return AudioFolderDataset(paths, part_labels, names, label_mode, batch_size=batch_size,
                                  sampling_rate=sampling_rate, output_sequence_length=output_sequence_length,
                                  shuffle=part_shuffle, seed=part_seed, **kwargs)

    return directory_index.make_subsets(make, directory, labels, ALLOWED_FORMATS, class_names, label_mode, shuffle,
                                        seed, follow_links, verbose, validation_split, subset,
                                        "No {which}audio files found in directory {directory}. Allowed format(s): "
                                        f"{ALLOWED_FORMATS}")
