"""`text_dataset_from_directory`: files, labels, splits and texts as Keras 3 gives them; training from a folder."""

import os

import numpy as np
import pytest

import kerasette as ks
from kerasette.utils import PyDataset, text_dataset_from_directory

WORDS = ["good", "bad", "fine", "awful", "great", "dull", "neat", "poor"]


@pytest.fixture(scope="module")
def keras():
    from keras_reference import keras

    return keras


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


@pytest.fixture
def folder(tmp_path):
    """Three classes of reviews (one nested deeper), plus files and folders that are not reviews."""
    root = str(tmp_path / "reviews")
    for number, name in enumerate(["neg", "neutral", "pos"]):
        for i in range(4 + number):
            _write(os.path.join(root, name, f"{name}_{i}.txt"), f"{name} review {i}: {WORDS[(i + number) % 8]} ü")
        _write(os.path.join(root, name, "deeper", f"{name}_nested.txt"), f"nested {name}\r\nsecond line")
        _write(os.path.join(root, name, "cover.png"), "not text")
    _write(os.path.join(root, ".hidden", "skip.txt"), "hidden")
    _write(os.path.join(root, "top_level.txt"), "outside any class")
    return root


def _keras_index(folder, **kwargs):
    from keras.src.utils import dataset_utils

    return dataset_utils.index_directory(folder, "inferred", (".txt",), verbose=False, **kwargs)


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _all(dataset):
    texts, labels = [], []
    for batch_texts, batch_labels in dataset:
        assert batch_texts.dtype == object and batch_texts.ndim == 1
        texts += batch_texts.tolist()
        labels += batch_labels.tolist()
    return texts, labels


@pytest.mark.parametrize("shuffle, seed", [(False, None), (True, 7), (True, 123)])
def test_files_labels_and_texts_match_keras(keras, folder, shuffle, seed, capsys):
    data = text_dataset_from_directory(folder, batch_size=4, shuffle=shuffle, seed=seed)
    paths, labels, class_names = _keras_index(folder, shuffle=shuffle, seed=seed)
    assert isinstance(data, PyDataset) and len(data) == 5
    assert data.file_paths == paths and data.class_names == class_names == ["neg", "neutral", "pos"]
    texts, our_labels = _all(data)
    assert texts == [_read(p) for p in paths] and our_labels == labels.tolist()
    assert capsys.readouterr().out.splitlines()[0] == "Found 18 files belonging to 3 classes."


def test_validation_split_matches_keras(keras, folder, capsys):
    from keras.src.utils import dataset_utils

    training, validation = text_dataset_from_directory(folder, batch_size=5, validation_split=0.4, subset="both",
                                                       seed=3)
    paths, labels, _ = _keras_index(folder, shuffle=True, seed=3)
    for dataset, part in ((training, "training"), (validation, "validation")):
        keras_paths, keras_labels = dataset_utils.get_training_or_validation_split(paths, labels, 0.4, part)
        assert dataset.file_paths == keras_paths and _all(dataset)[1] == keras_labels.tolist()
    assert training.shuffle and not validation.shuffle
    assert "Using 11 files for training." in capsys.readouterr().out
    alone = text_dataset_from_directory(folder, validation_split=0.4, subset="validation", seed=3, verbose=False)
    assert alone.file_paths == validation.file_paths


def test_label_modes_and_unbatched_items(keras, folder):
    categorical = text_dataset_from_directory(folder, label_mode="categorical", shuffle=False, verbose=False)
    texts, labels = categorical[0]
    assert labels.dtype == np.float32 and labels.shape == (18, 3) and labels.sum(axis=1).tolist() == [1.0] * 18
    assert labels[:5].argmax(axis=1).tolist() == [0] * 5
    only_texts = text_dataset_from_directory(folder, labels=None, shuffle=False, verbose=False, batch_size=6)
    from keras.src.utils import dataset_utils  # without labels, every .txt below the folder counts, as in Keras

    paths, _, _ = dataset_utils.index_directory(folder, None, (".txt",), shuffle=False, verbose=False)
    assert only_texts.class_names is None and only_texts.file_paths == paths and len(paths) == 20
    assert only_texts[0].tolist() == [_read(p) for p in paths[:6]]
    single = text_dataset_from_directory(folder, batch_size=None, shuffle=False, verbose=False)
    text, label = single[17]
    assert len(single) == 18 and isinstance(text, str) and label.dtype == np.int32 and int(label) == 2
    two = text_dataset_from_directory(folder, class_names=["pos", "neg"], label_mode="binary", shuffle=False,
                                      verbose=False)
    texts, labels = two[0]
    assert labels.shape == (12, 1) and labels.dtype == np.float32 and texts[0].startswith("pos")
    assert labels[:, 0].tolist() == [0.0] * 7 + [1.0] * 5


def test_explicit_labels_follow_sorted_paths(tmp_path):
    root = str(tmp_path / "flat")
    for name in ["b.txt", "a.txt", "c.txt"]:
        _write(os.path.join(root, name), name[0] * 3)
    data = text_dataset_from_directory(root, labels=[1, 0, 1], shuffle=False, verbose=False)
    texts, labels = data[0]
    assert texts.tolist() == ["aaa", "bbb", "ccc"] and labels.tolist() == [1, 0, 1] and data.class_names == ["0", "1"]


def test_max_length_counts_bytes_and_drops_a_cut_character(tmp_path):
    root = str(tmp_path / "short")
    _write(os.path.join(root, "x", "a.txt"), "abcdef")
    _write(os.path.join(root, "x", "b.txt"), "abcdü!")  # ü is two bytes: positions 4 and 5
    texts, _ = text_dataset_from_directory(root, max_length=5, shuffle=False, verbose=False)[0]
    assert texts.tolist() == ["abcde", "abcd"]


def test_shuffle_deals_the_files_anew_every_epoch(folder):
    data = text_dataset_from_directory(folder, batch_size=18, seed=5, verbose=False)
    first = data[0][0].tolist()
    data.on_epoch_end()
    second = data[0][0].tolist()
    assert sorted(first) == sorted(second) and first != second


def test_matches_live_keras_when_grain_is_installed(keras, folder):
    """Whole batches against real Keras (which needs Grain or TensorFlow to build its dataset)."""
    pytest.importorskip("grain")
    from keras_reference import quiet

    for name in os.listdir(folder):  # Grain's text-mode reading would turn "\r\n" into "\n"; TensorFlow does not
        nested = os.path.join(folder, name, "deeper")
        if os.path.isdir(nested):
            _write(os.path.join(nested, f"{name}_nested.txt"), f"nested {name}")
    for label_mode in ("int", "categorical"):
        theirs = quiet(lambda label_mode=label_mode: list(keras.utils.text_dataset_from_directory(
            folder, label_mode=label_mode, batch_size=4, shuffle=False, format="grain", verbose=False)))
        ours = text_dataset_from_directory(folder, label_mode=label_mode, batch_size=4, shuffle=False, verbose=False)
        assert len(ours) == len(theirs)
        for (texts, labels), (keras_texts, keras_labels) in zip(ours, theirs):
            assert texts.tolist() == list(keras_texts)
            np.testing.assert_array_equal(labels, np.asarray(keras_labels))


@pytest.mark.parametrize("arguments, error, message", [
    (dict(labels="folders"), ValueError, "`labels` argument should be a list/tuple of integer labels"),
    (dict(labels=[0, 1], class_names=["a"]), ValueError, 'You can only pass `class_names` if `labels="inferred"`'),
    (dict(label_mode="sparse"), ValueError, '`label_mode` argument must be one of "int"'),
    (dict(label_mode="binary"), ValueError, 'When passing `label_mode="binary"`, there must be exactly 2'),
    (dict(batch_size=0), ValueError, "Invalid value for argument `batch_size`"),
    (dict(max_length=-1), ValueError, "Invalid value for argument `max_length`"),
    (dict(format="torch"), ValueError, '`format` should be either "tf" or "grain"'),
    (dict(validation_split=0.2, subset="training"), ValueError, "you must provide a `seed` argument"),
    (dict(validation_split=1.5, subset="training", seed=1), ValueError, "`validation_split` must be between 0 and 1"),
    (dict(class_names=["neg", "happy"]), ValueError, "The `class_names` passed did not match"),
    (dict(labels=[0, 1]), ValueError, "Expected the lengths of `labels` to match the number of files"),
    (dict(shuffle_buffer=8), TypeError, r"unexpected keyword arguments: \['shuffle_buffer'\]"),
])
def test_invalid_arguments_raise(folder, arguments, error, message):
    with pytest.raises(error, match=message):
        text_dataset_from_directory(folder, verbose=False, **arguments)


def test_empty_folders_and_files_that_are_not_utf8(tmp_path):
    os.makedirs(tmp_path / "empty" / "a")
    with pytest.raises(ValueError, match="No text files found in directory .*Allowed format: .txt"):
        text_dataset_from_directory(str(tmp_path / "empty"), verbose=False)
    with pytest.raises(ValueError, match="is not a directory"):
        text_dataset_from_directory(str(tmp_path / "missing"), verbose=False)
    os.makedirs(tmp_path / "latin" / "a")
    (tmp_path / "latin" / "a" / "x.txt").write_bytes("café".encode("latin-1"))
    data = text_dataset_from_directory(str(tmp_path / "latin"), verbose=False)
    with pytest.raises(ValueError, match="Could not read the text file .*x.txt' as UTF-8"):
        data[0]


def test_grain_format_warns_and_still_returns_a_py_dataset(folder):
    with pytest.warns(UserWarning, match="returns a PyDataset"):
        data = text_dataset_from_directory(folder, format="grain", verbose=False)
    assert isinstance(data, PyDataset)


def test_text_vectorization_and_fit_from_a_folder(tmp_path, backend):
    """A user's workflow: adapt TextVectorization on the texts, then train a classifier on the batches."""
    rng = np.random.default_rng(0)
    root = str(tmp_path / "sentiment")
    for label, words in (("neg", ["bad", "awful", "dull", "poor"]), ("pos", ["good", "great", "fine", "neat"])):
        for i in range(24):
            _write(os.path.join(root, label, f"{i}.txt"), " ".join(rng.choice(words, 5)) + " movie plot")
    data = text_dataset_from_directory(root, batch_size=8, seed=0, verbose=False)
    vectorize = ks.layers.TextVectorization(output_mode="multi_hot")
    vectorize.adapt(np.concatenate([texts for texts, _ in data]))
    assert vectorize.vocabulary_size() == 11  # eight words, "movie", "plot" and the OOV token
    vectorized = data.map(lambda texts, labels: (vectorize(texts), labels))
    model = ks.Sequential([ks.Input((11,)), ks.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=ks.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(vectorized, epochs=8, verbose=0)
    assert history.history["accuracy"][-1] == 1.0


def test_a_model_with_text_input_fits_on_the_batches_directly(tmp_path, backend):
    """The other Keras pattern: TextVectorization inside the model, the string batches fed as they are."""
    root = str(tmp_path / "short_reviews")
    for i in range(6):
        _write(os.path.join(root, "neg", f"{i}.txt"), f"bad awful movie {i}")
        _write(os.path.join(root, "pos", f"{i}.txt"), f"good great movie {i}")
    data = text_dataset_from_directory(root, batch_size=4, seed=1, verbose=False)
    vectorize = ks.layers.TextVectorization(output_mode="multi_hot")
    vectorize.adapt(np.concatenate([texts for texts, _ in data]))
    model = ks.Sequential([ks.Input(shape=(), dtype="string"), vectorize, ks.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=ks.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    assert model.fit(data, epochs=6, verbose=0).history["accuracy"][-1] == 1.0
    good, bad = model.predict(np.array(["good movie", "awful"]), verbose=0)[:, 0]
    assert good > 0.5 > bad
