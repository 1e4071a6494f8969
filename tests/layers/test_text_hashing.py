"""Hashing and HashedCrossing, and the hashes behind them.

Keras 3 runs these layers through TensorFlow, which is not installed here, so the expected bins are
pinned from Keras 3.15.1's own docstrings and tests (keras/src/layers/preprocessing/hashing_test.py,
hashed_crossing_test.py, string_lookup.py, integer_lookup.py). The FarmHash64 fingerprints of longer
inputs were computed with the pyfarmhash package (Google's C++ FarmHash), and the SipHash values are
the published SipHash-2-4 test vectors (key 00..0f).
"""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers
from kerasette.layers.string_hashing import fingerprint64, siphash64

LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]
NAMES = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]


@pytest.mark.parametrize("data,expected", [
    (b"", 0x9AE16A3B2F90404F), (b"a", 0xB3454265B6DF75E3), (b"hello", 0xB48BE5A931380CE8),
    (b"0123456789abcdef", 0x54B961E5DC834067),
    (b"The quick brown fox jumps over the lazy dog", 0xABBE83F33B1B5134),
    (b"x" * 65, 0x447CB9FD96F25F39), (bytes(range(200)), 0x074C7FCC26D66FB3),
    ("café naïve 日本".encode(), 0x9001951FEEB74D75),
])
def test_fingerprint64_matches_farmhash(data, expected):
    # every length branch of farmhashna::Hash64: 0-16, 17-32, 33-64 and the 64-byte loop
    assert fingerprint64(data) == expected


@pytest.mark.parametrize("length,expected", [(0, 0x726FDB47DD0E0E31), (15, 0xA129CA6149BE45E5),
                                             (64, 0xACD2C40B8502CAD8)])
def test_siphash64_matches_reference_vectors(length, expected):
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)  # bytes 00..0f, little-endian words
    assert siphash64(key, bytes(range(length))) == expected


@pytest.mark.parametrize("kwargs,data,expected", [
    ({"num_bins": 3}, LETTERS, [[1], [0], [1], [1], [2]]),
    ({"num_bins": 3, "mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]], [[1], [1], [0], [2], [2]]),
    ({"num_bins": 3, "salt": [133, 137]}, LETTERS, [[1], [2], [1], [0], [2]]),
    ({"num_bins": 3, "salt": 133}, LETTERS, [[0], [0], [2], [1], [0]]),
    ({"num_bins": 1}, LETTERS, [[0]] * 5),
    ({"num_bins": 2}, NAMES, [[0], [0], [1], [0], [0]]),
    ({"num_bins": 3, "mask_value": ""}, NAMES, [[1], [1], [2], [1], [1]]),
    ({"num_bins": 3, "mask_value": "omar"}, NAMES, [[0], [1], [2], [1], [1]]),
    ({"num_bins": 2, "salt": [133, 137]}, NAMES, [[0], [1], [0], [1], [0]]),
    ({"num_bins": 2, "salt": [211, 137]}, NAMES, [[1], [0], [1], [0], [1]]),
    ({"num_bins": 3}, np.array([[0], [1], [2], [3], [4]]), [[1], [0], [1], [0], [2]]),
    ({"num_bins": 3, "salt": [133, 137]}, np.array([[0], [1], [2], [3], [4]]), [[1], [1], [2], [0], [1]]),
    ({"num_bins": 2}, [[[1], [2]], [[2], [3]], [[3], [4]]], [[[1], [1]], [[1], [1]], [[1], [1]]]),
])
def test_hashing_bins_match_keras(kwargs, data, expected, backend):
    out = layers.Hashing(**kwargs)(data)
    assert out.dtype == "int64"
    np.testing.assert_array_equal(out.numpy(), expected)


@pytest.mark.parametrize("make", [list, tuple, np.array, ks.ops.convert_to_tensor])
def test_hashing_takes_lists_arrays_and_tensors(make):
    np.testing.assert_array_equal(layers.Hashing(num_bins=3)(make([0, 1, 2, 3, 4])).numpy(), [1, 0, 1, 0, 2])


def test_hashing_floats_are_truncated_to_integers_first():
    np.testing.assert_array_equal(layers.Hashing(num_bins=3)(np.array([0.9, 1.2, 2.0])).numpy(), [1, 0, 1])


def test_hashing_encoded_outputs_match_keras(backend):
    one_hot = layers.Hashing(num_bins=3, output_mode="one_hot")(np.array([[0], [1], [2], [3], [4]]))
    np.testing.assert_array_equal(one_hot.numpy(), [[0, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert one_hot.dtype == "float32"
    multi = layers.Hashing(num_bins=3, output_mode="multi_hot")(np.array([[0, 1, 2, 3, 4]]))
    np.testing.assert_array_equal(multi.numpy(), [[1, 1, 1]])
    count = layers.Hashing(num_bins=3, output_mode="count")
    np.testing.assert_array_equal(count(np.array([0, 1, 2, 3, 4])).numpy(), [2, 2, 1])
    np.testing.assert_array_equal(count(np.array([[0, 1, 2, 3, 4]])).numpy(), [[2, 2, 1]])


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("shape", [(4,), (4, 1), (3, 4)])
def test_hashing_symbolic_shape_matches_the_call(mode, shape):
    layer = layers.Hashing(num_bins=5, output_mode=mode)
    symbolic = layer(ks.Input(shape=shape, dtype="int64"))
    eager = layer(np.arange(2 * int(np.prod(shape))).reshape((2,) + shape))
    assert symbolic.shape == (None,) + tuple(eager.shape[1:])
    assert symbolic.dtype == eager.dtype


def test_hashing_dtype_argument():
    assert layers.Hashing(num_bins=3, dtype="int32")(["a"]).dtype == "int32"
    assert layers.Hashing(num_bins=3, output_mode="one_hot", dtype="float64")([["a"]]).dtype == "float64"


@pytest.mark.parametrize("kwargs,match", [
    ({"num_bins": None}, "num_bins"), ({"num_bins": 0}, "num_bins"), ({"num_bins": -1}, "num_bins"),
    ({"num_bins": 2, "salt": "string"}, "salt"), ({"num_bins": 2, "salt": [1]}, "salt"),
    ({"num_bins": 1, "salt": [133, 137, 177]}, "salt"),
    ({"num_bins": 3, "output_mode": "unsupported_mode"}, "output_mode"),
    ({"num_bins": 3, "output_mode": "int", "dtype": "float32"}, "dtype"),
    ({"num_bins": 3, "output_mode": "multi_hot", "sparse": True}, "sparse"),
])
def test_hashing_invalid_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Hashing(**kwargs)


def test_hashing_config_round_trip():
    layer = layers.Hashing(num_bins=7, mask_value="", salt=[1, 2], output_mode="count", name="hash")
    clone = layers.deserialize(layers.serialize(layer))
    assert clone.get_config() == layer.get_config()
    data = [["a", "b", ""], ["c", "", "c"]]
    np.testing.assert_array_equal(clone(data).numpy(), layer(data).numpy())
    assert layer.get_config()["salt"] == [1, 2] and layers.Hashing(num_bins=2, salt=5).salt == [5, 5]


FEATURES = (np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102]))


def test_hashed_crossing_matches_keras(backend):
    out = layers.HashedCrossing(num_bins=5)(FEATURES)
    assert out.dtype == "int64"
    np.testing.assert_array_equal(out.numpy(), [1, 4, 1, 1, 3])
    one_hot = layers.HashedCrossing(num_bins=5, output_mode="one_hot")(FEATURES)
    np.testing.assert_array_equal(one_hot.numpy(), [[0, 1, 0, 0, 0], [0, 0, 0, 0, 1], [0, 1, 0, 0, 0],
                                                    [0, 1, 0, 0, 0], [0, 0, 0, 1, 0]])
    assert one_hot.dtype == "float32"
    assert int(layers.HashedCrossing(num_bins=10)(("A", 101)).numpy()) == 1
    column = layers.HashedCrossing(num_bins=5)([f[:, None] for f in FEATURES])
    np.testing.assert_array_equal(column.numpy(), [[1], [4], [1], [1], [3]])


def test_hashed_crossing_in_a_model_and_round_trip(backend, tmp_path):
    a, b = ks.Input(shape=(), dtype="string"), ks.Input(shape=(), dtype="int64")
    out = layers.HashedCrossing(num_bins=5, output_mode="one_hot")([a, b])
    assert out.shape == (None, 5)
    model = ks.Model([a, b], out)
    np.testing.assert_array_equal(model.predict(list(FEATURES), verbose=0).argmax(-1), [1, 4, 1, 1, 3])
    path = tmp_path / "crossing.keras"
    model.save(path)
    np.testing.assert_array_equal(ks.models.load_model(path).predict(list(FEATURES), verbose=0).argmax(-1),
                                  [1, 4, 1, 1, 3])


@pytest.mark.parametrize("inputs,match", [
    (np.array(1), "list or tuple"), ([np.array([1])], "at least two"),
    ((np.array([[[1]]]), np.array([[[1]]])), "shape"), ((np.array([1, 2]), np.array([1])), "equal shape"),
    ((np.array([1.0]), np.array([1.0])), "integer or string"),
])
def test_hashed_crossing_bad_inputs_raise(inputs, match):
    with pytest.raises(ValueError, match=match):
        layers.HashedCrossing(num_bins=10)(inputs)


def test_hashed_crossing_arguments_and_symbolic_dtypes():
    with pytest.raises(ValueError, match="output_mode"):
        layers.HashedCrossing(num_bins=3, output_mode="multi_hot")
    with pytest.raises(ValueError, match="num_bins"):
        layers.HashedCrossing(num_bins=0)
    with pytest.raises(TypeError, match="integer or string"):
        layers.HashedCrossing(num_bins=3)([ks.Input(shape=()), ks.Input(shape=())])
    layer = layers.HashedCrossing(num_bins=3, name="cross")
    assert layers.HashedCrossing.from_config(layer.get_config()).get_config() == layer.get_config()


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_hashing_model_saves_and_loads(extension, backend, tmp_path):
    names = np.array(["omar", "stringer", "marlo", "wire", "skywalker"])
    text = ks.Input(shape=(), dtype="string")
    model = ks.Model(text, layers.Hashing(num_bins=100, salt=[3, 4])(text))
    expected = model.predict(names, verbose=0)
    path = tmp_path / f"hashing{extension}"
    model.save(path)
    np.testing.assert_array_equal(ks.models.load_model(path).predict(names, verbose=0), expected)
    assert expected.dtype == np.int64
