"""Hostile and broken files: each is refused with a clear error, runs nothing, and loads nothing."""

import base64
import json
import marshal
import struct
import sys
import zipfile

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving import UnsafeFileError

KERNEL = "dense/kernel:0"


def small_model():
    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(3, name="dense"), ks.layers.Dense(2, name="dense_1")],
                          name="small")
    model.layers[0].set_weights([np.full((4, 3), 0.5, "float32"), np.zeros(3, "float32")])
    return model


def saved_h5(tmp_path, name="m.h5"):
    path = tmp_path / name
    small_model().save(path)
    return path


def weights_of(model):
    return [w.copy() for w in model.get_weights()]


def assert_unchanged(model, before):
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def replace_kernel(path, make):
    """Swap the first Dense kernel dataset of a saved .h5 for what ``make(group, name)`` creates."""
    with h5py.File(path, "r+") as f:
        group = f["model_weights/dense"]
        del group[KERNEL]
        make(group, KERNEL)


def check_refused(path, *patterns):
    """load_model and load_weights both refuse the file, and load_weights changes nothing."""
    with pytest.raises(UnsafeFileError) as info:
        ks.models.load_model(path)
    message = str(info.value)
    for pattern in patterns:
        assert pattern in message, message
    target = small_model()
    before = weights_of(target)
    with pytest.raises(UnsafeFileError):
        target.load_weights(path)
    assert_unchanged(target, before)
    return message


def test_soft_link(tmp_path):
    path = saved_h5(tmp_path)
    replace_kernel(path, lambda g, n: g.__setitem__(n, h5py.SoftLink("/model_weights/dense_1/dense_1/kernel:0")))
    check_refused(path, "soft link", "dense/kernel:0")


def test_external_link(tmp_path):
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as f:
        f["data"] = np.arange(12, dtype="float32").reshape(4, 3)
    path = saved_h5(tmp_path)
    replace_kernel(path, lambda g, n: g.__setitem__(n, h5py.ExternalLink(str(secret), "/data")))
    check_refused(path, "external link", "secret.h5")


def test_external_storage_dataset(tmp_path):
    raw = tmp_path / "raw.bin"
    raw.write_bytes(np.arange(12, dtype="float32").tobytes())
    path = saved_h5(tmp_path)
    replace_kernel(path, lambda g, n: g.create_dataset(n, shape=(4, 3), dtype="float32",
                                                       external=[(str(raw), 0, 48)]))
    check_refused(path, "external file", "raw.bin")


def test_virtual_dataset(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["data"] = np.ones((4, 3), "float32")
    path = saved_h5(tmp_path)

    def make(group, name):
        layout = h5py.VirtualLayout(shape=(4, 3), dtype="float32")
        layout[:] = h5py.VirtualSource(str(other), "data", shape=(4, 3))
        group.create_virtual_dataset(name, layout)

    replace_kernel(path, make)
    check_refused(path, "virtual dataset")


def test_shape_bomb(tmp_path):
    path = saved_h5(tmp_path)
    replace_kernel(path, lambda g, n: g.create_dataset(n, shape=(2**31, 4), dtype="float32", chunks=(1024, 4)))
    check_refused(path, "shape bomb", "(2147483648, 4)")


def test_dataset_with_the_wrong_shape_is_refused_before_its_data_is_read(tmp_path, monkeypatch):
    path = saved_h5(tmp_path)
    replace_kernel(path, lambda g, n: g.create_dataset(n, data=np.ones((5, 3), "float32")))
    reads = []
    original = h5py.Dataset.__getitem__

    def spy(self, key):
        reads.append(self.name)
        return original(self, key)

    monkeypatch.setattr(h5py.Dataset, "__getitem__", spy)
    target = small_model()
    before = weights_of(target)
    with pytest.raises(ValueError, match=r"Shape mismatch.*\(5, 3\).*expects \(4, 3\)"):
        target.load_weights(path)
    assert_unchanged(target, before)
    with pytest.raises(ValueError, match="Shape mismatch"):
        ks.models.load_model(path)
    assert not any(name.endswith("dense/kernel:0") and "dense_1" not in name for name in reads), reads


def model_file_with_config(tmp_path, config, name="evil.h5"):
    path = saved_h5(tmp_path, name)
    with h5py.File(path, "r+") as f:
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
    return path


def sequential_config(*layer_specs):
    input_layer = {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "in"}}
    return {"class_name": "Sequential", "config": {"name": "evil", "layers": [input_layer, *layer_specs]}}


def sentinel_code(sentinel):
    code = compile(f"open({str(sentinel)!r}, 'w').write('ran')", "<payload>", "exec")
    return base64.b64encode(marshal.dumps(code)).decode("ascii")


def test_lambda_layer_keras2_marshal_form(tmp_path):
    sentinel = tmp_path / "ran.txt"
    spec = {"class_name": "Lambda", "config": {"name": "lam", "trainable": True, "dtype": "float32",
                                                "function": [sentinel_code(sentinel), None, None],
                                                "function_type": "lambda", "module": "__main__",
                                                "output_shape": None, "arguments": {}}}
    path = model_file_with_config(tmp_path, sequential_config(spec))
    with pytest.raises(UnsafeFileError, match="never runs code from files") as info:
        ks.models.load_model(path, safe_mode=False)
    assert "Lambda" in str(info.value) and not sentinel.exists()


def keras_zip_with_config(tmp_path, mutate, name="evil.keras"):
    path = tmp_path / name
    small_model().save(path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    config = json.loads(members["config.json"])
    mutate(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as z:
        for member, data in members.items():
            z.writestr(member, data)
    return path


def test_keras3_lambda_config(tmp_path):
    sentinel = tmp_path / "ran.txt"
    payload = {"class_name": "__lambda__", "config": {"value": [sentinel_code(sentinel), None, None]}}

    def as_layer(config):
        config["config"]["layers"].insert(1, {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                                              "config": {"name": "lam", "function": payload}})

    def as_activation(config):
        config["config"]["layers"][1]["config"]["activation"] = payload

    for mutate in (as_layer, as_activation):
        path = keras_zip_with_config(tmp_path, mutate)
        with pytest.raises(UnsafeFileError, match="never runs code from files"):
            ks.models.load_model(path)
    assert not sentinel.exists()


def test_unregistered_class_name_says_how_to_register(tmp_path):
    spec = {"class_name": "MyFancyLayer", "config": {"name": "fancy", "units": 3}}
    path = model_file_with_config(tmp_path, sequential_config(spec))
    with pytest.raises(ValueError, match=r"Unknown layer class 'MyFancyLayer'.*register_keras_serializable.*"
                                         r"custom_objects"):
        ks.models.load_model(path)


def test_modules_named_in_a_file_are_never_imported(tmp_path, monkeypatch):
    sentinel = tmp_path / "imported.txt"
    (tmp_path / "evil_module_for_test.py").write_text(f"open({str(sentinel)!r}, 'w').write('imported')\n"
                                                      "class Boom:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cases = [
        lambda c: c["config"]["layers"].insert(1, {"module": "evil_module_for_test", "class_name": "Boom",
                                                   "config": {"name": "boom"}, "registered_name": None}),
        lambda c: c["config"]["layers"].insert(1, {"module": "os", "class_name": "system",
                                                   "config": {"command": "echo pwned"}, "registered_name": None}),
        lambda c: c["config"]["layers"][1]["config"].__setitem__(
            "activation", {"module": "builtins", "class_name": "function", "config": "eval",
                           "registered_name": "eval"}),
        lambda c: c.__setitem__("module", "os"),
    ]
    messages = []
    for i, mutate in enumerate(cases):
        path = keras_zip_with_config(tmp_path, mutate, f"evil{i}.keras")
        with pytest.raises(UnsafeFileError, match="never imports modules") as info:
            ks.models.load_model(path)
        messages.append(str(info.value))
    assert "'evil_module_for_test'" in messages[0] and "'os'" in messages[1] and "'builtins'" in messages[2]
    assert not sentinel.exists() and "evil_module_for_test" not in sys.modules


def test_truncated_file(tmp_path):
    path = saved_h5(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    check_refused(path, "truncated", str(path))


def test_git_lfs_pointer(tmp_path):
    path = tmp_path / "model.h5"
    path.write_text("version https://git-lfs.github.com/spec/v1\n"
                    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
    check_refused(path, "Git LFS pointer", "git lfs pull", "model.h5")
    keras_path = tmp_path / "model.keras"
    keras_path.write_bytes(path.read_bytes())
    with pytest.raises(UnsafeFileError, match="Git LFS pointer"):
        ks.models.load_model(keras_path)


def test_html_page(tmp_path):
    path = tmp_path / "model.h5"
    path.write_text("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>")
    check_refused(path, "HTML", "model.h5")


def test_empty_file(tmp_path):
    path = tmp_path / "model.h5"
    path.write_bytes(b"")
    check_refused(path, "empty", "model.h5")


def _patch_central_directory(path, member, compress_size=None, file_size=None):
    data = bytearray(path.read_bytes())
    start = 0
    while True:
        start = data.index(b"PK\x01\x02", start)
        name_length = struct.unpack("<H", data[start + 28:start + 30])[0]
        if data[start + 46:start + 46 + name_length].decode() == member:
            break
        start += 4
    if compress_size is not None:
        data[start + 20:start + 24] = struct.pack("<I", compress_size)
    if file_size is not None:
        data[start + 24:start + 28] = struct.pack("<I", file_size)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("lie", ["bigger", "smaller", "past_the_end"])
def test_zip_member_sizes_that_lie(tmp_path, lie):
    path = tmp_path / "m.keras"
    small_model().save(path)
    with zipfile.ZipFile(path) as z:
        size = z.getinfo("config.json").file_size
    if lie == "bigger":
        _patch_central_directory(path, "config.json", file_size=size * 1000)
    elif lie == "smaller":
        _patch_central_directory(path, "config.json", compress_size=size - 10, file_size=size - 10)
    else:
        _patch_central_directory(path, "model.weights.h5", compress_size=10**9, file_size=10**9)
    with pytest.raises(UnsafeFileError, match="Refusing member|Cannot read member") as info:
        ks.models.load_model(path)
    assert "m.keras" in str(info.value)


def test_zip_with_duplicate_member_names(tmp_path):
    path = tmp_path / "m.keras"
    small_model().save(path)
    with zipfile.ZipFile(path, "a") as z, pytest.warns(UserWarning, match="Duplicate name"):
        z.writestr("config.json", b"{}")
    with pytest.raises(UnsafeFileError, match="2 members named 'config.json'"):
        ks.models.load_model(path)


def test_hdf5_file_named_keras_and_zip_named_h5_still_load(tmp_path):
    model = small_model()
    model.save(tmp_path / "a.h5")
    model.save(tmp_path / "b.keras")
    (tmp_path / "a.h5").rename(tmp_path / "a.keras")
    (tmp_path / "b.keras").rename(tmp_path / "b.h5")
    x = np.ones((2, 4), "float32")
    for name in ("a.keras", "b.h5"):
        np.testing.assert_array_equal(ks.models.load_model(tmp_path / name).predict(x, verbose=0),
                                      model.predict(x, verbose=0))


def test_weights_only_file_given_to_load_model(tmp_path):
    model = small_model()
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="weights only.*load_weights"):
        ks.models.load_model(tmp_path / "w.h5")
    with pytest.raises(FileNotFoundError, match="missing.h5"):
        ks.models.load_model(tmp_path / "missing.h5")


def test_links_inside_keras3_weights_files_and_keras_zips(tmp_path):
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as f:
        f["data"] = np.arange(12, dtype="float32").reshape(4, 3)
    model = small_model()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "r+") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(secret), "/data")
    target = small_model()
    before = weights_of(target)
    with pytest.raises(UnsafeFileError, match="external link"):
        target.load_weights(tmp_path / "w.weights.h5")
    assert_unchanged(target, before)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["model.weights.h5"] = (tmp_path / "w.weights.h5").read_bytes()
    with zipfile.ZipFile(path, "w") as z:
        for member, data in members.items():
            z.writestr(member, data)
    with pytest.raises(UnsafeFileError, match="external link"):
        ks.models.load_model(path)


def test_absurdly_nested_config(tmp_path):
    deep = {"class_name": "Dense", "config": {"name": "d", "units": 2}}
    for _ in range(300):
        deep = {"class_name": "Wrapper", "config": {"layer": deep}}
    path = model_file_with_config(tmp_path, sequential_config(deep))
    with pytest.raises(UnsafeFileError, match="nested more than 200 levels"):
        ks.models.load_model(path)
