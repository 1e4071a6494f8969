"""Issue 12 items 2-4: decompression bombs, HDF5 attribute bombs and absurd sizes in configs.

Each hostile file is loaded in a child process limited to 1 GiB of address space, which reports
how long the load took and its peak resident memory: every one is refused quickly, with little
memory, by an ``InvalidFileError`` naming the file (and the layer, for sizes).
"""

import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving import InvalidFileError, limits

sys.path.insert(0, str(Path(__file__).parent))
from subprocess_probe import probe  # noqa: E402

MiB = 1024**2


def small_model():
    model = ks.Sequential([ks.Input((100,)), ks.layers.Dense(8, name="dense"), ks.layers.Dense(2, name="dense_1")],
                          name="small")
    model.compile("adam", "mse")
    return model


def members_of(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path, entries):
    """A zip written by hand: ``entries`` are ``(name, data, method, size, crc)`` (the data already compressed)."""
    out, central = bytearray(), bytearray()
    for name, data, method, size, crc in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size,
                           len(encoded), 0) + encoded + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data),
                               size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    out += central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central),
                                 len(out), 0)
    Path(path).write_bytes(bytes(out))


def deflated_with_padding(prefix, fill, megabytes):
    """A raw deflate stream of ``prefix`` then ``megabytes`` MiB of ``fill`` (built from one repeated block)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = fill * MiB
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(prefix)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return head + repeated * megabytes + compressor.flush(), len(prefix) + megabytes * MiB, crc


def stored(name, data):
    return (name, data, 0, len(data), zlib.crc32(data))


def check_refused(result, *patterns, max_seconds=5.0, max_rss_mb=400):
    assert result["outcome"] == "error", result
    for pattern in patterns:
        assert pattern in result["message"], result["message"]
    assert result["seconds"] < max_seconds, result
    assert result["rss_mb"] < max_rss_mb, result


# ----- item 2: decompression bombs inside .keras -------------------------------------------------------
def test_config_member_that_inflates_to_250_mb_is_refused_before_inflating(tmp_path):
    source = tmp_path / "m.keras"
    small_model().save(source)
    members = members_of(source)
    config, size, crc = deflated_with_padding(members["config.json"], b" ", 250)
    path = tmp_path / "bomb.keras"
    write_zip(path, [stored("metadata.json", members["metadata.json"]), ("config.json", config, 8, size, crc),
                     stored("model.weights.h5", members["model.weights.h5"])])
    assert path.stat().st_size < 400 * 1024  # the file: 284 KB
    check_refused(probe(path), "bomb.keras", "config.json", "KERASETTE_MAX_CONFIG_BYTES")


def test_weights_member_that_inflates_to_3_9_gb_is_refused_before_inflating(tmp_path):
    source = tmp_path / "m.keras"
    small_model().save(source)
    members = members_of(source)
    weights, size, crc = deflated_with_padding(members["model.weights.h5"], b"\0", 3900)
    path = tmp_path / "bomb.keras"
    write_zip(path, [stored("metadata.json", members["metadata.json"]),
                     stored("config.json", members["config.json"]), ("model.weights.h5", weights, 8, size, crc)])
    assert path.stat().st_size < 5 * MiB  # the file: 4 MB
    check_refused(probe(path), "bomb.keras", "model.weights.h5", "can need")
    build = "model = ks.Sequential([ks.Input((100,)), ks.layers.Dense(8), ks.layers.Dense(2)])"
    check_refused(probe(path, build=build), "bomb.keras", "model.weights.h5")


def test_an_honestly_compressed_keras_file_still_loads(tmp_path):
    source = tmp_path / "m.keras"
    model = small_model()
    model.save(source)
    path = tmp_path / "deflated.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members_of(source).items():
            archive.writestr(name, data)
    loaded = ks.models.load_model(path)
    x = np.ones((2, 100), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_config_limit_is_configurable(tmp_path, monkeypatch):
    source = tmp_path / "m.keras"
    small_model().save(source)
    members = members_of(source)
    members["config.json"] = members["config.json"] + b" " * (9 * MiB)  # valid JSON, padded past 8 MiB
    path = tmp_path / "big-config.keras"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(InvalidFileError, match="KERASETTE_MAX_CONFIG_BYTES"):
        ks.models.load_model(path)
    with limits.override(max_config_bytes="16M"):
        ks.models.load_model(path)
    monkeypatch.setenv("KERASETTE_MAX_CONFIG_BYTES", "10M")
    ks.models.load_model(path)


# ----- item 3: HDF5 attribute bombs ---------------------------------------------------------------------
def descriptor_offset(data, length):
    """Where a variable-length attribute stores ``length``: the 4 bytes followed by a global heap address."""
    pattern, start = struct.pack("<I", length), 0
    while True:
        at = data.find(pattern, start)
        assert at >= 0, "no vlen descriptor found"
        address = struct.unpack("<Q", data[at + 4:at + 12])[0]
        if address + 4 <= len(data) and data[address:address + 4] == b"GCOL":
            return at, address
        start = at + 1


def saved_with_descriptor(tmp_path):
    """A saved .h5 model, its bytes, and where its ``model_config`` length and global heap collection are."""
    path = tmp_path / "bomb.h5"
    small_model().save(path)
    with h5py.File(path, "r") as f:
        length = len(f.attrs["model_config"])
    data = bytearray(path.read_bytes())
    at, heap = descriptor_offset(data, length)
    return path, data, at, heap


def attribute_bomb(tmp_path, declared=0xFFFFFFF0):
    path, data, at, _ = saved_with_descriptor(tmp_path)
    data[at:at + 4] = struct.pack("<I", declared)
    path.write_bytes(bytes(data))
    return path


def test_vlen_attribute_declaring_4_gb_is_refused_before_hdf5_allocates(tmp_path):
    path = attribute_bomb(tmp_path)
    assert path.stat().st_size < 64 * 1024  # the file: 28 KB
    result = probe(path)
    check_refused(result, "bomb.h5", "model_config", "attribute bomb", max_rss_mb=200)
    build = "model = ks.Sequential([ks.Input((100,)), ks.layers.Dense(8), ks.layers.Dense(2)])"
    assert probe(path, build=build)["outcome"] in ("loaded", "error")  # load_weights never reads model_config


def test_zeroed_global_heap_is_refused_instead_of_hanging_hdf5(tmp_path):
    path, data, _, heap = saved_with_descriptor(tmp_path)
    data[heap + 16:heap + 64] = b"\0" * 48  # an object of size 0: HDF5's collection walk would never advance
    path.write_bytes(bytes(data))
    check_refused(probe(path, timeout=30), "bomb.h5", "model_config", "global heap")


def test_attributes_over_the_limit_are_refused_before_they_are_read(tmp_path):
    path = tmp_path / "m.h5"
    small_model().save(path)
    with h5py.File(path, "r+") as f:
        f.attrs["training_config"] = np.bytes_(b"x" * 6000)  # a fixed-length string
        assert f.attrs.get_id("training_config").get_type().is_variable_str() is False
        size = len(f.attrs["model_config"])  # a variable-length one
    with limits.override(max_config_bytes=size + 100):
        with pytest.raises(InvalidFileError, match="training_config.*6000 bytes.*KERASETTE_MAX_CONFIG_BYTES"):
            ks.models.load_model(path)
    with limits.override(max_config_bytes=size - 100):
        with pytest.raises(InvalidFileError, match=f"model_config.*{size} bytes.*KERASETTE_MAX_CONFIG_BYTES"):
            ks.models.load_model(path)


# ----- item 4: sizes in a config -------------------------------------------------------------------------
def with_units(tmp_path, filename, units):
    path = tmp_path / filename
    small_model().save(path)
    if filename.endswith(".h5"):
        with h5py.File(path, "r+") as f:
            config = json.loads(f.attrs["model_config"])
            config["config"]["layers"][1]["config"]["units"] = units
            f.attrs["model_config"] = json.dumps(config).encode()
        return path
    members = members_of(path)
    config = json.loads(members["config.json"])
    config["config"]["layers"][1]["config"]["units"] = units
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("filename", ["m.h5", "m.keras"])
@pytest.mark.parametrize("units", [10**7, 10**12])
def test_absurd_sizes_are_refused_before_allocating_naming_the_layer(tmp_path, filename, units):
    path = with_units(tmp_path, filename, units)
    assert path.stat().st_size < 64 * 1024
    result = probe(path)
    check_refused(result, filename, "layer `dense` (Dense)", "kernel", f"(100, {units})", max_rss_mb=200)


def test_sizes_that_do_not_match_the_weights_are_refused_before_building(tmp_path):
    path = with_units(tmp_path, "m.h5", 10**5)  # 40 MB: within the limit, but the file holds ~800 values
    with pytest.raises(InvalidFileError, match=r"layer `dense`.*file's weights hold only 826 values.*"
                                               r"stores shapes \[\(100, 8\), \(8,\)\] for layer `dense`"):
        ks.models.load_model(path)


def test_model_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    small_model().save(path)
    with limits.override(max_model_bytes=1024):
        with pytest.raises(InvalidFileError, match=r"layer `dense`.*over the limit of 1.0 KiB"):
            ks.models.load_model(path)
    monkeypatch.setenv("KERASETTE_MAX_MODEL_BYTES", "2K")
    with pytest.raises(InvalidFileError, match="KERASETTE_MAX_MODEL_BYTES"):
        ks.models.load_model(path)
    monkeypatch.setenv("KERASETTE_MAX_MODEL_BYTES", "1M")
    ks.models.load_model(path)


def test_limit_values_are_parsed_strictly():
    assert limits.parse_bytes("512M", "x") == 512 * MiB
    assert limits.parse_bytes("2GiB", "x") == 2 * 1024**3
    assert limits.parse_bytes(4096, "x") == 4096
    for bad in ("lots", "-1", "0", "1.5G", True):
        with pytest.raises(ValueError, match="Invalid value for `x`"):
            limits.parse_bytes(bad, "x")
