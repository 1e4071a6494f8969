"""Locating, downloading and reading IDX datasets, on small fake files (no network)."""

import gzip
import hashlib
import os
import struct

import numpy as np
import pytest

from kerasette.datasets import _files, _idx, fashion_mnist, mnist

FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz")


def idx_bytes(array, type_code=0x08):
    """The IDX encoding of ``array``: 0, 0, type code, ndim, big-endian dims, big-endian data."""
    array = np.asarray(array)
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_gz(path, payload):
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(payload)
    return path


def write_fake_set(folder, n_train=5, n_test=3, label=None, rng=None):
    """A tiny dataset in the real layout; returns the arrays written."""
    rng = rng or np.random.default_rng(0)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = np.full(n, label, np.uint8) if label is not None else rng.integers(0, 10, n, dtype=np.uint8)
        write_gz(folder / f"{prefix}-images-idx3-ubyte.gz", idx_bytes(images))
        write_gz(folder / f"{prefix}-labels-idx1-ubyte.gz", idx_bytes(labels))
        arrays[prefix] = (images, labels)
    return arrays


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Empty search directories and a network that always fails; returns tmp_path."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KERASETTE_DATA", raising=False)
    monkeypatch.setattr(_files, "SYSTEM_DIR", str(tmp_path / "system"))

    def no_network(url, out):
        raise OSError(f"network disabled in tests ({url})")

    monkeypatch.setattr(_files, "_fetch", no_network)
    return tmp_path


@pytest.mark.parametrize("module, name", [(fashion_mnist, "fashion-mnist"), (mnist, "mnist")])
def test_tiny_fake_set_from_kerasette_data(module, name, isolated, monkeypatch):
    written = write_fake_set(isolated / "data" / name)
    monkeypatch.setenv("KERASETTE_DATA", str(isolated / "data"))
    (x_train, y_train), (x_test, y_test) = module.load_data()
    np.testing.assert_array_equal(x_train, written["train"][0])
    np.testing.assert_array_equal(y_train, written["train"][1])
    np.testing.assert_array_equal(x_test, written["t10k"][0])
    np.testing.assert_array_equal(y_test, written["t10k"][1])
    assert x_train.dtype == y_train.dtype == np.uint8
    assert x_train.flags.writeable


def test_search_order_data_then_cache_then_system(isolated, monkeypatch):
    write_fake_set(isolated / "system" / "fashion-mnist", label=1)
    write_fake_set(isolated / "home" / ".kerasette" / "datasets" / "fashion-mnist", label=2)
    write_fake_set(isolated / "data" / "fashion-mnist", label=3)
    monkeypatch.setenv("KERASETTE_DATA", str(isolated / "data"))
    assert fashion_mnist.load_data()[0][1][0] == 3
    monkeypatch.delenv("KERASETTE_DATA")
    assert fashion_mnist.load_data()[0][1][0] == 2
    for name in FILES:
        os.remove(isolated / "home" / ".kerasette" / "datasets" / "fashion-mnist" / name)
    assert fashion_mnist.load_data()[0][1][0] == 1


def test_nothing_found_says_where_it_looked_and_what_to_do(isolated, monkeypatch):
    monkeypatch.setenv("KERASETTE_DATA", str(isolated / "data"))
    with pytest.raises(FileNotFoundError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert str(isolated / "data" / "fashion-mnist") in message
    assert str(isolated / "home" / ".kerasette" / "datasets" / "fashion-mnist") in message
    assert str(isolated / "system" / "fashion-mnist") in message
    assert "network disabled in tests" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "$KERASETTE_DATA/fashion-mnist/" in message
    assert not (isolated / "home" / ".kerasette" / "datasets" / "fashion-mnist").exists()


def fake_source(tmp_path, payloads, mirrors=("https://mirror.invalid/a/", "https://mirror.invalid/b/")):
    files = tuple(_files.RemoteFile(name, hashlib.sha256(data).hexdigest()) for name, data in payloads.items())
    return _files.DatasetSource("fake", files, mirrors, "put the files somewhere")


def test_download_is_verified_and_moved_into_the_cache(isolated, monkeypatch):
    payload = {"a.gz": b"first file", "b.gz": b"second file"}
    source = fake_source(isolated, payload)
    calls = []

    def fetch(url, out):
        calls.append(url)
        if "/a/" in url:
            raise OSError("first mirror down")
        out.write(payload[url.rsplit("/", 1)[1]])

    monkeypatch.setattr(_files, "_fetch", fetch)
    paths = _files.locate(source)
    cache = isolated / "home" / ".kerasette" / "datasets" / "fake"
    assert paths == {"a.gz": str(cache / "a.gz"), "b.gz": str(cache / "b.gz")}
    assert (cache / "a.gz").read_bytes() == b"first file"
    assert sorted(os.listdir(cache)) == ["a.gz", "b.gz"]  # no temporary files left
    assert len(calls) == 4  # each file: the first mirror failed, the second worked
    _files.locate(source)
    assert len(calls) == 4  # found in the cache the second time


def test_sha256_mismatch_is_refused(isolated, monkeypatch):
    def fetch_wrong_bytes(url, out):
        out.write(b"not the file you are looking for")

    monkeypatch.setattr(_files, "_fetch", fetch_wrong_bytes)
    with pytest.raises(FileNotFoundError, match="sha256 mismatch") as info:
        fashion_mnist.load_data()
    assert "expected 3aede38d" in str(info.value)
    cache = isolated / "home" / ".kerasette" / "datasets" / "fashion-mnist"
    assert not cache.exists() or os.listdir(cache) == []


def test_download_through_a_file_url(isolated, monkeypatch):
    """The real fetch code, reading from a local file:// mirror instead of the network."""
    monkeypatch.undo()  # restore _fetch, then isolate again without the network stub
    monkeypatch.setenv("HOME", str(isolated / "home"))
    monkeypatch.delenv("KERASETTE_DATA", raising=False)
    mirror = isolated / "mirror"
    mirror.mkdir()
    (mirror / "a.gz").write_bytes(b"payload")
    source = fake_source(isolated, {"a.gz": b"payload"}, mirrors=(mirror.as_uri() + "/",))
    path = _files.locate(source)["a.gz"]
    with open(path, "rb") as f:
        assert f.read() == b"payload"
    monkeypatch.setattr(_files, "MAX_DOWNLOAD_BYTES", 3)
    with open(isolated / "out", "wb") as out, pytest.raises(ValueError, match="larger than 3 bytes"):
        _files._fetch((mirror / "a.gz").as_uri(), out)


def test_content_hash_accepts_a_recompressed_copy(tmp_path):
    data = idx_bytes(np.arange(10, dtype=np.uint8))
    original = write_gz(tmp_path / "original.gz", data)
    remote = _files.RemoteFile("x.gz", _files.sha256_of(original), hashlib.sha256(data).hexdigest())
    with open(tmp_path / "recompressed.gz", "wb") as f:
        f.write(gzip.compress(data, compresslevel=1, mtime=0))
    _files.verify(str(tmp_path / "recompressed.gz"), remote, "test")  # no error
    (tmp_path / "other.gz").write_bytes(gzip.compress(data + b"!"))
    with pytest.raises(ValueError, match="sha256 mismatch"):
        _files.verify(str(tmp_path / "other.gz"), remote, "test")
    (tmp_path / "plain").write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="sha256 mismatch"):
        _files.verify(str(tmp_path / "plain"), remote, "test")


# ----- IDX validation --------------------------------------------------------------
def test_read_idx_round_trip_for_every_type(tmp_path):
    for code, dtype in ((0x08, np.uint8), (0x09, np.int8), (0x0B, np.int16), (0x0C, np.int32),
                        (0x0D, np.float32), (0x0E, np.float64)):
        array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
        path = write_gz(tmp_path / f"t{code}.gz", idx_bytes(array, code))
        got = _idx.read_idx(path)
        assert got.dtype == dtype and got.dtype.isnative
        np.testing.assert_array_equal(got, array)
    plain = tmp_path / "plain-idx"
    plain.write_bytes(idx_bytes(np.arange(3, dtype=np.uint8)))
    np.testing.assert_array_equal(_idx.read_idx(plain), [0, 1, 2])


@pytest.mark.parametrize(
    "payload, message",
    [
        (idx_bytes(np.zeros((4, 28, 28), np.uint8))[:-10], "truncated: shape \\(4, 28, 28\\) needs 3136 bytes"),
        (idx_bytes(np.zeros((4, 28, 28), np.uint8)) + b"\0", "data beyond"),
        (b"\x08\x03\x00\x00" + bytes(100), "bad magic number 0x08030000"),
        (b"\x00\x00\x07\x01" + bytes(100), "bad magic number"),
        (b"\x00\x00", "ends inside the magic number"),
        (b"\x00\x00\x08\x03\x00\x00\x00\x04", "ends inside the dimension sizes"),
        (idx_bytes(np.zeros((4, 28), np.uint8)), "has 2 dimensions; expected 3"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", 2**31, 2**31, 2), "more than this reader accepts"),
    ],
    ids=["short-data", "trailing-data", "magic", "type-code", "short-magic", "short-dims", "ndim", "size-bomb"],
)
def test_corrupt_files_name_the_file(payload, message, tmp_path):
    path = write_gz(tmp_path / "train-images-idx3-ubyte.gz", payload)
    with pytest.raises(ValueError, match=message) as info:
        _idx.read_idx(path, ndim=3)
    assert str(path) in str(info.value)


def test_broken_gzip_streams_name_the_file(tmp_path):
    good = gzip.compress(idx_bytes(np.zeros((50, 28, 28), np.uint8)))
    cut = tmp_path / "cut.gz"
    cut.write_bytes(good[: len(good) // 2])
    not_gzip = tmp_path / "not.gz"
    not_gzip.write_bytes(b"this is not gzip data at all")
    for path in (cut, not_gzip):
        with pytest.raises(ValueError, match="could not be decompressed") as info:
            _idx.read_idx(path)
        assert str(path) in str(info.value)


def test_truncated_file_in_a_dataset_names_it(isolated, monkeypatch):
    folder = isolated / "data" / "mnist"
    write_fake_set(folder)
    broken = folder / "t10k-images-idx3-ubyte.gz"
    write_gz(broken, idx_bytes(np.zeros((3, 28, 28), np.uint8))[:-1])
    monkeypatch.setenv("KERASETTE_DATA", str(isolated / "data"))
    with pytest.raises(ValueError, match="truncated") as info:
        mnist.load_data()
    assert str(broken) in str(info.value)


def test_image_and_label_counts_must_agree(isolated, monkeypatch):
    folder = isolated / "data" / "mnist"
    write_fake_set(folder)
    write_gz(folder / "train-labels-idx1-ubyte.gz", idx_bytes(np.zeros(4, np.uint8)))
    monkeypatch.setenv("KERASETTE_DATA", str(isolated / "data"))
    with pytest.raises(ValueError, match="has 5 images but .*train-labels-idx1-ubyte.gz has 4 labels"):
        mnist.load_data()


def test_non_byte_images_are_refused(isolated, monkeypatch):
    folder = isolated / "data" / "mnist"
    write_fake_set(folder)
    write_gz(folder / "t10k-images-idx3-ubyte.gz", idx_bytes(np.zeros((3, 28, 28), np.float32), 0x0D))
    monkeypatch.setenv("KERASETTE_DATA", str(isolated / "data"))
    with pytest.raises(ValueError, match="float32 values; expected unsigned bytes"):
        mnist.load_data()
