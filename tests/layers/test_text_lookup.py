"""StringLookup and IntegerLookup.

Keras 3's lookup layers need TensorFlow, which is not installed here (``keras.layers.StringLookup``
raises ImportError on the torch backend), so the expected outputs are pinned from Keras 3.15.1's
docstrings (keras/src/layers/preprocessing/string_lookup.py, integer_lookup.py) and, where marked,
derived from its algorithm (index_lookup.py): vocabulary sorted by count then reverse term order,
``log(1 + documents / (1 + document count))`` idf weights with their mean for the OOV slot.
"""

import math

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
INT_VOCAB = [12, 36, 1138, 42]
INT_DATA = np.array([[12, 1138, 42], [42, 1000, 36]])
COUNT_DATA = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
INT_COUNT_DATA = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])


def test_string_lookup_docstring_examples(backend):
    out = layers.StringLookup(vocabulary=VOCAB)(DATA)
    assert out.dtype == "int64"
    np.testing.assert_array_equal(out.numpy(), [[1, 3, 4], [4, 0, 2]])
    adapted = layers.StringLookup()
    adapted.adapt(DATA)
    assert adapted.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    np.testing.assert_array_equal(adapted(DATA).numpy(), [[5, 3, 1], [1, 2, 4]])
    two_oov = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    np.testing.assert_array_equal(two_oov([["a", "c", "d"], ["m", "z", "b"]]).numpy(), [[2, 4, 5], [0, 1, 3]])
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(["a", "b", "c", "d", "z"])
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(5)[[1, 2, 3, 4, 0]])
    multi = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(COUNT_DATA)
    np.testing.assert_array_equal(multi.numpy(), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = layers.StringLookup(vocabulary=VOCAB, output_mode="count")(COUNT_DATA)
    np.testing.assert_array_equal(count.numpy(), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    assert count.dtype == "float32"


def test_string_lookup_tf_idf_docstring_examples(backend):
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(layer(COUNT_DATA).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]],
                               rtol=1e-6)
    layer.set_vocabulary(["[UNK]"] + VOCAB, idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(layer(COUNT_DATA).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]],
                               rtol=1e-6)


def test_string_lookup_invert_docstring_examples():
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)
    assert inverse(np.array([[1, 3, 4], [4, 0, 2]])).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    forward = layers.StringLookup(vocabulary=VOCAB)
    assert inverse(forward(DATA)).tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]


def test_integer_lookup_docstring_examples(backend):
    np.testing.assert_array_equal(layers.IntegerLookup(vocabulary=INT_VOCAB)(INT_DATA).numpy(), [[1, 3, 4], [4, 0, 2]])
    adapted = layers.IntegerLookup()
    adapted.adapt(INT_DATA)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    np.testing.assert_array_equal(adapted(INT_DATA).numpy(), [[5, 2, 1], [1, 3, 4]])
    two_oov = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=2)
    np.testing.assert_array_equal(two_oov(np.array([[12, 1138, 42], [37, 1000, 36]])).numpy(), [[2, 4, 5], [1, 0, 3]])
    oov = np.array([100, 300, 700, 1100, 1700, 2000])
    floormod = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="floormod")
    farmhash = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash")
    np.testing.assert_array_equal(floormod(oov).numpy(), [0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(farmhash(oov).numpy(), [3, 3, 2, 2, 0, 1])
    one_hot = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="one_hot")(np.array([12, 36, 1138, 42, 7]))
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(5)[[1, 2, 3, 4, 0]])
    count = layers.IntegerLookup(vocabulary=INT_VOCAB, output_mode="count")(INT_COUNT_DATA)
    np.testing.assert_array_equal(count.numpy(), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    tf_idf = layers.IntegerLookup(output_mode="tf_idf", vocabulary=[-1] + INT_VOCAB,
                                  idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(tf_idf(INT_COUNT_DATA).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]],
                               rtol=1e-6)
    inverse = layers.IntegerLookup(vocabulary=INT_VOCAB, invert=True)
    np.testing.assert_array_equal(inverse(np.array([[1, 3, 4], [4, 0, 2]])).numpy(), [[12, 1138, 42], [42, -1, 36]])


def test_adapt_keeps_the_most_frequent_terms_with_reverse_order_ties():
    layer = layers.StringLookup(max_tokens=4)
    layer.adapt(["b", "a", "c", "c", "d", "d", "e"])
    # counts: c 2, d 2, then a, b, e once; ties go to the term that sorts last (Keras's lexsort, reversed)
    assert layer.get_vocabulary() == ["[UNK]", "d", "c", "e"]
    assert layer.vocabulary_size() == 4


def test_adapt_tf_idf_weights_follow_keras_formula():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "a", "b"], ["b", "c", "c"], ["c", "d", "c"]])  # one document per row
    assert layer.get_vocabulary() == ["[UNK]", "c", "b", "a", "d"]
    learned = [math.log(1 + 3 / (1 + n)) for n in (2, 2, 1, 1)]  # document counts of c, b, a, d
    expected = np.array([np.mean(np.float32(learned))] + learned, dtype=np.float32)
    np.testing.assert_allclose(layer.idf_weights, expected, rtol=1e-6)
    np.testing.assert_allclose(layer([["c", "c", "x"]]).numpy(), [expected * [1, 2, 0, 0, 0]], rtol=1e-6)


def test_adapt_from_a_generator_with_steps():
    def batches():
        while True:
            yield np.array([["x"], ["y"]])

    layer = layers.StringLookup()
    layer.adapt(batches(), steps=2)
    assert layer.get_vocabulary() == ["[UNK]", "y", "x"]


def test_mask_token_takes_index_zero_in_int_mode_and_is_dropped_otherwise():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    np.testing.assert_array_equal(layer([["a", "", "z"]]).numpy(), [[2, 0, 1]])
    multi = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    np.testing.assert_array_equal(multi([["a", "", ""]]).numpy(), [[0, 1, 0, 0, 0]])
    inverse = layers.StringLookup(vocabulary=VOCAB, mask_token="", invert=True)
    assert inverse(np.array([[0, 1, 2]])).tolist() == [["", "[UNK]", "a"]]


def test_pad_to_max_tokens_widens_the_output():
    layer = layers.StringLookup(vocabulary=VOCAB, max_tokens=8, pad_to_max_tokens=True, output_mode="multi_hot")
    assert layer(DATA).shape == (2, 8)


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\nd\n")
    np.testing.assert_array_equal(layers.StringLookup(vocabulary=str(path))(DATA).numpy(), [[1, 3, 4], [4, 0, 2]])
    ints = tmp_path / "ints.txt"
    ints.write_text("12\n36\n1138\n42\n")
    np.testing.assert_array_equal(layers.IntegerLookup(vocabulary=str(ints))(INT_DATA).numpy(), [[1, 3, 4], [4, 0, 2]])
    with pytest.raises(ValueError, match="does not exist"):
        layers.StringLookup(vocabulary=str(tmp_path / "missing.txt"))


@pytest.mark.parametrize("make,match", [
    (lambda: layers.StringLookup(max_tokens=1), "max_tokens"),
    (lambda: layers.StringLookup(num_oov_indices=-1), "num_oov_indices"),
    (lambda: layers.StringLookup(output_mode="nope"), "output_mode"),
    (lambda: layers.StringLookup(pad_to_max_tokens=True), "pad_to_max_tokens"),
    (lambda: layers.StringLookup(invert=True, output_mode="count"), "invert"),
    (lambda: layers.StringLookup(output_mode="count", sparse=True), "sparse"),
    (lambda: layers.StringLookup(vocabulary=VOCAB, idf_weights=[1, 2, 3, 4]), "idf_weights"),
    (lambda: layers.StringLookup(vocabulary=VOCAB, output_mode="tf_idf"), "idf_weights"),
    (lambda: layers.StringLookup(vocabulary=["a", "a"]), "repeated"),
    (lambda: layers.StringLookup(vocabulary=["a", ""], mask_token=""), "mask"),
    (lambda: layers.StringLookup(vocabulary=[]), "empty"),
    (lambda: layers.StringLookup(vocabulary=VOCAB, max_tokens=3), "maximum vocab size"),
    (lambda: layers.IntegerLookup(vocabulary_dtype="int32"), "vocabulary_dtype"),
    (lambda: layers.IntegerLookup(num_oov_indices=2, salt=3), "salt"),
])
def test_invalid_arguments_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_calls_that_cannot_work_raise_clearly():
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)(["a", "zz"])
    with pytest.raises(RuntimeError, match="no vocabulary"):
        layers.StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(TypeError, match="expects strings"):
        layers.StringLookup(vocabulary=VOCAB)(np.array([1, 2]))
    with pytest.raises(TypeError, match="expects integers"):
        layers.IntegerLookup(vocabulary=INT_VOCAB)(np.array([1.5]))
    with pytest.raises(TypeError, match="dtype 'string'"):
        layers.StringLookup(vocabulary=VOCAB)(ks.Input(shape=(2,)))
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.StringLookup(vocabulary=VOCAB).adapt(["a"])
    layer = layers.StringLookup(output_mode="multi_hot")
    layer.adapt(["a", "b"])
    with pytest.raises(RuntimeError, match="vocabulary size cannot be changed"):
        layer.adapt(["a", "b", "c"])


@pytest.mark.parametrize("make", [
    lambda: layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2, mask_token="", name="given"),
    lambda: layers.StringLookup(output_mode="tf_idf", name="learned"),
    lambda: layers.StringLookup(output_mode="count", max_tokens=6, pad_to_max_tokens=True, name="padded"),
])
def test_string_lookup_config_round_trip_keeps_the_vocabulary(make, backend):
    layer = make()
    if layer.vocabulary_size() == layer._token_start_index():
        layer.adapt(COUNT_DATA)
    config = layer.get_config()
    clone = layers.deserialize(layers.serialize(layer))
    assert clone.get_config() == config
    assert clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_allclose(clone(COUNT_DATA).numpy(), layer(COUNT_DATA).numpy())
    if config.get("has_input_vocabulary") is False:  # learned: the rebuilt layer can still adapt
        clone.adapt(DATA)


def test_integer_lookup_config_round_trip():
    layer = layers.IntegerLookup(mask_token=0, num_oov_indices=3, oov_method="farmhash", salt=7)
    layer.adapt(INT_DATA)
    clone = layers.IntegerLookup.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    np.testing.assert_array_equal(clone(np.array([[0, 12, 5, 99]])).numpy(), layer(np.array([[0, 12, 5, 99]])).numpy())
    assert all(isinstance(v, int) for v in layer.get_config()["vocabulary"])


def test_a_config_never_names_a_vocabulary_file():
    config = layers.StringLookup(vocabulary=VOCAB).get_config()
    config["vocabulary"] = "/etc/passwd"
    with pytest.raises(ValueError, match="vocabulary file"):
        layers.StringLookup.from_config(config)


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_lookups_in_a_model_save_and_load(extension, backend, tmp_path):
    words = ks.Input(shape=(3,), dtype="string")
    numbers = ks.Input(shape=(4,), dtype="int64")
    lookup = layers.StringLookup(output_mode="tf_idf")
    lookup.adapt(COUNT_DATA)
    integer = layers.IntegerLookup(output_mode="multi_hot")
    integer.adapt(INT_COUNT_DATA)
    merged = layers.Concatenate()([lookup(words), integer(numbers)])
    model = ks.Model([words, numbers], layers.Dense(2)(merged))
    x = [np.array(DATA), INT_COUNT_DATA]
    expected = model.predict(x, verbose=0)
    path = tmp_path / f"lookups{extension}"
    model.save(path)
    loaded = ks.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6)
    assert loaded.get_layer(lookup.name).get_vocabulary() == lookup.get_vocabulary()
    np.testing.assert_allclose(loaded.get_layer(lookup.name).idf_weights, lookup.idf_weights)
