"""Issue 12 item 5: every low-level failure reaches the caller as one error type naming the file and the place."""

import json
import zipfile

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving import InvalidFileError, UnsafeFileError


def small_model():
    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(3, name="dense"), ks.layers.Dense(2, name="dense_1")],
                          name="small")
    model.compile("adam", "mse")
    model.fit(np.ones((4, 4), "float32"), np.ones((4, 2), "float32"), verbose=0)
    return model


def rewrite_zip(path, **replace):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update({name.replace("__", "."): data for name, data in replace.items()})
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            if data is not None:
                archive.writestr(name, data)


def load_error(path, load_weights=False):
    with pytest.raises(InvalidFileError) as info:
        if load_weights:
            small_model().load_weights(path)
        else:
            ks.models.load_model(path)
    assert type(info.value) is InvalidFileError
    return str(info.value)


def test_unsafe_file_error_is_the_same_class():
    assert UnsafeFileError is InvalidFileError and issubclass(InvalidFileError, ValueError)
    assert ks.saving.InvalidFileError is InvalidFileError


def test_config_that_is_not_utf8(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    rewrite_zip(path, config__json=b'{"class_name": "Sequential\xff\xfe"}')
    message = load_error(path)
    assert "m.keras" in message and "config.json" in message and "UTF-8" in message


def test_json_config_missing_keys(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    del config["config"]["layers"]
    rewrite_zip(path, config__json=json.dumps(config).encode())
    message = load_error(path)
    assert "m.keras" in message and "config.json" in message and "`layers`" in message


def test_attribute_of_the_wrong_type(tmp_path):
    path = tmp_path / "m.h5"
    small_model().save(path)
    with h5py.File(path, "r+") as f:
        f.attrs["model_config"] = np.arange(3)
    message = load_error(path)
    assert "m.h5" in message and "/@model_config" in message and "expected one string" in message


def test_names_attribute_with_invalid_utf8(tmp_path):
    path = tmp_path / "w.h5"
    small_model().save_weights(path)
    with h5py.File(path, "r+") as f:
        f.attrs["layer_names"] = np.asarray([b"dense", b"\xff\xfe"])
    message = load_error(path, load_weights=True)
    assert "w.h5" in message and "layer_names" in message and "UTF-8" in message


def test_a_missing_group(tmp_path):
    path = tmp_path / "w.weights.h5"
    small_model().save_weights(path)
    with h5py.File(path, "r+") as f:
        del f["layers/dense_1"]
    message = load_error(path, load_weights=True)
    assert "w.weights.h5" in message and "dense_1" in message


def test_damage_inside_a_keras_member_names_the_file_and_the_member(tmp_path):
    """Flip bytes of the HDF5 member of a .keras file one at a time: errors name the member, never a BytesIO."""
    path = tmp_path / "m.keras"
    small_model().save(path)
    with zipfile.ZipFile(path) as archive:
        weights = archive.read("model.weights.h5")
    outcomes = {"loaded": 0, "error": 0}
    rng = np.random.default_rng(0)
    for position in sorted(rng.choice(len(weights), size=150, replace=False)):
        damaged = bytearray(weights)
        damaged[position] ^= 0xFF
        rewrite_zip(path, model__weights__h5=bytes(damaged))
        try:
            ks.models.load_model(path)
            outcomes["loaded"] += 1
        except InvalidFileError as error:
            message = str(error)
            assert "m.keras" in message and "BytesIO" not in message, message
            outcomes["error"] += 1
    assert outcomes["error"] > 20


@pytest.mark.parametrize("filename", ["m.h5", "w.weights.h5", "m.keras"])
def test_truncated_files_everywhere(tmp_path, filename):
    path = tmp_path / filename
    model = small_model()
    model.save_weights(path) if filename.startswith("w") else model.save(path)
    data = path.read_bytes()
    for cut in range(0, len(data), max(len(data) // 40, 1)):
        path.write_bytes(data[:cut])
        message = load_error(path, load_weights=filename.startswith("w"))
        assert filename in message
