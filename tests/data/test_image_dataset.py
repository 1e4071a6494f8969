"""`image_dataset_from_directory`: files, labels, splits and pixels as Keras 3 gives them; training from a folder."""

import os
import warnings

import numpy as np
import pytest

import kerasette as ks

PIL = pytest.importorskip("PIL")
pytest.importorskip("PIL.Image")  # the submodule: `import PIL` alone does not load it


@pytest.fixture(scope="module")
def keras():
    from keras_reference import keras

    return keras


def _write(path, pixels):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    PIL.Image.fromarray(pixels).save(path)


@pytest.fixture
def folder(tmp_path):
    """Three classes of images of mixed sizes, formats and modes, plus files and folders that are not images."""
    rng = np.random.default_rng(0)
    root = str(tmp_path / "pictures")
    for number, name in enumerate(["cat", "dog", "emu"]):
        for i in range(5 + number):
            height, width = [(12, 9), (9, 12), (10, 10)][i % 3]
            pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
            extension = [".png", ".jpg", ".bmp", ".PNG", ".gif"][i % 5]
            _write(os.path.join(root, name, f"{name}_{i}{extension}"), pixels if i % 4 else pixels[:, :, 0])
        _write(os.path.join(root, name, "nested", f"deep_{name}.png"), rng.integers(0, 255, (8, 8, 3), np.uint8))
        with open(os.path.join(root, name, "notes.txt"), "w") as f:
            f.write("not an image")
    _write(os.path.join(root, ".hidden", "skip.png"), np.zeros((4, 4, 3), np.uint8))
    return root


def _index_with_keras(keras, folder, **kwargs):
    from keras.src.utils import dataset_utils

    from kerasette.utils.image_dataset import ALLOWLIST_FORMATS

    return dataset_utils.index_directory(folder, "inferred", ALLOWLIST_FORMATS, verbose=False, **kwargs)


@pytest.mark.parametrize("shuffle, seed", [(False, None), (True, 7), (True, 123)])
def test_files_labels_and_class_names_match_keras(keras, folder, shuffle, seed, capsys):
    data = ks.utils.image_dataset_from_directory(folder, shuffle=shuffle, seed=seed, image_size=(10, 10))
    paths, labels, class_names = _index_with_keras(keras, folder, shuffle=shuffle, seed=seed)
    assert data.file_paths == paths and data.class_names == class_names == ["cat", "dog", "emu"]
    assert np.array_equal(data.labels, labels)
    assert capsys.readouterr().out.splitlines()[0] == "Found 21 files belonging to 3 classes."


def test_validation_split_picks_the_files_keras_picks(keras, folder):
    from keras.src.utils import dataset_utils

    train, val = ks.utils.image_dataset_from_directory(folder, validation_split=0.3, subset="both", seed=5,
                                                       image_size=(10, 10), batch_size=4)
    paths, labels, _ = _index_with_keras(keras, folder, shuffle=True, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras_train = dataset_utils.get_training_or_validation_split(paths, labels, 0.3, "training")
        keras_val = dataset_utils.get_training_or_validation_split(paths, labels, 0.3, "validation")
    assert train.file_paths == keras_train[0] and val.file_paths == keras_val[0]
    assert (len(train), len(val)) == (4, 2)
    only_val = ks.utils.image_dataset_from_directory(folder, validation_split=0.3, subset="validation", seed=5,
                                                     image_size=(10, 10))
    assert only_val.file_paths == val.file_paths


@pytest.mark.parametrize("color_mode, channels", [("rgb", 3), ("grayscale", 1), ("rgba", 4)])
@pytest.mark.parametrize("interpolation, crop, pad", [("bilinear", False, False), ("nearest", False, True),
                                                      ("bicubic", True, False)])
def test_pixels_match_keras_image_loading(keras, folder, color_mode, channels, interpolation, crop, pad):
    from keras.src.utils import image_dataset_utils

    data = ks.utils.image_dataset_from_directory(folder, color_mode=color_mode, image_size=(7, 11), batch_size=5,
                                                 shuffle=False, interpolation=interpolation,
                                                 crop_to_aspect_ratio=crop, pad_to_aspect_ratio=pad, verbose=False)
    images, labels = data[1]
    assert images.shape == (5, 7, 11, channels) and images.dtype == np.float32 and labels.dtype == np.int32
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [np.asarray(keras.ops.convert_to_numpy(image_dataset_utils._load_image_grain(
            path, (7, 11), channels, interpolation, "channels_last", crop, pad))) for path in data.file_paths[5:10]]
    np.testing.assert_allclose(images, np.stack(expected), rtol=1e-5, atol=1e-3)
    assert labels.tolist() == data.labels[5:10].tolist()


def test_label_modes_and_unbatched_items(folder):
    kwargs = dict(image_size=(6, 6), shuffle=False, verbose=False, batch_size=4)
    _, ints = ks.utils.image_dataset_from_directory(folder, **kwargs)[5]
    _, onehot = ks.utils.image_dataset_from_directory(folder, label_mode="categorical", **kwargs)[5]
    assert ints.dtype == np.int32 and onehot.dtype == np.float32 and np.array_equal(onehot.argmax(1), ints)
    images = ks.utils.image_dataset_from_directory(folder, labels=None, **kwargs)[0]
    assert images.shape == (4, 6, 6, 3)
    two = ks.utils.image_dataset_from_directory(folder, label_mode="binary", class_names=["emu", "cat"], **kwargs)
    assert two.class_names == ["emu", "cat"] and len(two.file_paths) == 14
    _, binary = two[0]
    assert binary.shape == (4, 1) and binary.dtype == np.float32 and binary[:, 0].tolist() == [0, 0, 0, 0]
    single = ks.utils.image_dataset_from_directory(folder, image_size=(6, 6), batch_size=None, shuffle=False,
                                                   verbose=False, data_format="channels_first")
    image, label = single[0]
    assert image.shape == (3, 6, 6) and label.shape == () and len(single) == 21
    listed = ks.utils.image_dataset_from_directory(folder, labels=list(range(22)), **kwargs)  # as Keras: the
    assert listed.class_names == [str(i) for i in range(22)]  # whole tree is listed, hidden folders too


def test_bad_folders_and_arguments(folder, tmp_path):
    empty = tmp_path / "empty"
    (empty / "a").mkdir(parents=True)
    (empty / "a" / "readme.txt").write_text("no pictures")
    with pytest.raises(ValueError, match="No images found in directory .*empty. Allowed formats"):
        ks.utils.image_dataset_from_directory(str(empty), verbose=False)
    with pytest.raises(ValueError, match="is not a directory"):
        ks.utils.image_dataset_from_directory(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="must provide a `seed`"):
        ks.utils.image_dataset_from_directory(folder, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="If `subset` is set, `validation_split` must be set"):
        ks.utils.image_dataset_from_directory(folder, subset="training", seed=1)
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        ks.utils.image_dataset_from_directory(folder, class_names=["cat", "cow"])
    with pytest.raises(ValueError, match='label_mode="binary"`, there must be exactly 2'):
        ks.utils.image_dataset_from_directory(folder, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="Invalid `image_size`"):
        ks.utils.image_dataset_from_directory(folder, image_size=(0, 3))
    with pytest.raises(ValueError, match="not supported by kerasette"):
        ks.utils.image_dataset_from_directory(folder, interpolation="gaussian")
    with pytest.raises(TypeError, match="unexpected keyword arguments: \\['colour'\\]"):
        ks.utils.image_dataset_from_directory(folder, colour="rgb")


def test_an_unreadable_image_names_the_file_and_the_batch(backend, folder):
    broken = os.path.join(folder, "dog", "dog_2.bmp")
    with open(broken, "wb") as f:
        f.write(b"BM this is not a bitmap")
    data = ks.utils.image_dataset_from_directory(folder, image_size=(6, 6), batch_size=4, shuffle=False,
                                                 verbose=False)
    position = data.file_paths.index(broken) // 4
    net = ks.Sequential([ks.Input((6, 6, 3)), ks.layers.Flatten(), ks.layers.Dense(3, activation="softmax")])
    net.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="Could not read the image file '.*dog_2.bmp'") as info:
        net.fit(data.map(lambda x, y: (x / 255.0, y)), shuffle=False, verbose=0)
    assert f"__getitem__({position})" in "".join(info.value.__notes__)


def test_training_from_a_folder_matches_the_same_images_in_memory(backend, folder):
    data = ks.utils.image_dataset_from_directory(folder, image_size=(10, 10), batch_size=4, shuffle=False,
                                                 verbose=False, workers=2)
    images = np.concatenate([data[i][0] for i in range(len(data))]) / 255.0
    labels = np.concatenate([data[i][1] for i in range(len(data))])

    def small():
        ks.utils.set_random_seed(0)
        net = ks.Sequential([ks.Input((10, 10, 3)), ks.layers.Conv2D(2, 3), ks.layers.Flatten(),
                             ks.layers.Dense(3, activation="softmax")])
        net.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return net

    in_memory = small()
    in_memory.fit(images, labels, batch_size=4, epochs=2, shuffle=False, verbose=0)
    from_folder = small()
    from_folder.fit(data.map(lambda x, y: (x / 255.0, y)), epochs=2, shuffle=False, verbose=0)
    for got, expected in zip(from_folder.get_weights(), in_memory.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_augmentation_layers_map_over_an_image_folder(backend, folder):
    train, val = ks.utils.image_dataset_from_directory(folder, image_size=(10, 10), batch_size=4, seed=3,
                                                       validation_split=0.25, subset="both", verbose=False)
    augment = ks.Sequential([ks.layers.RandomFlip("horizontal"), ks.layers.RandomRotation(0.1, seed=1)])
    seen = []

    def augmented(x, y):
        out = augment(x / 255.0, training=True)
        seen.append(float(ks.ops.convert_to_numpy(ks.ops.max(ks.ops.abs(out - x / 255.0)))))
        return out, y

    net = ks.Sequential([ks.Input((10, 10, 3)), ks.layers.Flatten(), ks.layers.Dense(3, activation="softmax")])
    net.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = net.fit(train.map(augmented), validation_data=val.map(lambda x, y: (x / 255.0, y)), epochs=2,
                      verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(seen) == 1 + 2 * len(train) and max(seen) > 0.05  # the first batch is checked once more up front
    assert train.class_names == val.class_names == ["cat", "dog", "emu"]
