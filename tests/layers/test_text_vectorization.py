"""TextVectorization, standalone and as the first step of a model.

Keras 3's TextVectorization needs TensorFlow, which is not installed here, so the expected outputs are
pinned from Keras 3.15.1's docstring and tests (keras/src/layers/preprocessing/text_vectorization.py,
text_vectorization_test.py) or derived from its algorithm (TensorFlow's string ops: ASCII lowercasing,
Keras's punctuation regex, ASCII-whitespace splitting, width-by-width n-grams), as each test says.
"""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers
from kerasette.saving import register_keras_serializable

CORPUS = ["foo bar", "bar baz", "baz bada boom"]
QUERY = [["foo qux bar"], ["qux baz"]]


def test_keras_docstring_adapt_example(backend):
    layer = layers.TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(CORPUS)
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    out = layer(QUERY)
    assert out.dtype == "int64"
    np.testing.assert_array_equal(out.numpy(), [[4, 1, 3, 0], [1, 2, 0, 0]])


def test_keras_docstring_vocabulary_example():
    layer = layers.TextVectorization(max_tokens=5000, output_sequence_length=4,
                                     vocabulary=["earth", "wind", "and", "fire"])
    assert layer.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["earth", "wind", "and", "fire"]
    assert layer.vocabulary_size() == 6


def test_fixed_and_set_vocabulary_match_keras(backend):
    fixed = layers.TextVectorization(output_sequence_length=4, vocabulary=["baz", "bar", "foo"])
    np.testing.assert_array_equal(fixed(QUERY).numpy(), [[4, 1, 3, 0], [1, 2, 0, 0]])
    later = layers.TextVectorization(max_tokens=5000, output_sequence_length=4)
    later.set_vocabulary(["baz", "bar", "foo"])
    np.testing.assert_array_equal(later(QUERY).numpy(), [[4, 1, 3, 0], [1, 2, 0, 0]])


def test_encoded_modes_match_keras(backend):
    vocab = ["foo", "bar", "baz"]
    multi = layers.TextVectorization(output_mode="multi_hot", vocabulary=vocab)([["foo bar"], ["baz foo foo"]])
    np.testing.assert_array_equal(multi.numpy(), [[0, 1, 1, 0], [0, 1, 0, 1]])
    assert multi.dtype == "float32"
    count = layers.TextVectorization(output_mode="count", vocabulary=vocab)(["foo bar", "baz foo foo"])
    np.testing.assert_array_equal(count.numpy(), [[0, 1, 1, 0], [0, 2, 0, 1]])
    tf_idf = layers.TextVectorization(output_mode="tf_idf", vocabulary=vocab, idf_weights=[0.3, 0.5, 0.2])
    np.testing.assert_allclose(tf_idf(["foo bar", "baz foo foo"]).numpy(), [[0, 0.3, 0.5, 0], [0, 0.6, 0, 0.2]],
                               rtol=1e-6)
    padded = layers.TextVectorization(output_mode="multi_hot", vocabulary=["foo", "bar"], max_tokens=8,
                                      pad_to_max_tokens=True)
    assert padded(["foo bar"]).shape == (1, 8)


def test_standardization_matches_keras():
    text = ["Hello, World!. This is just a nice test!"]
    default = layers.TextVectorization(vocabulary=["hello", "world", "this", "is", "nice", "test"])
    np.testing.assert_array_equal(default(text).numpy(), [[2, 3, 4, 5, 1, 1, 6, 7]])
    lower = layers.TextVectorization(standardize="lower", vocabulary=["hello,", "hello", "world", "this", "is",
                                                                      "nice", "test"])
    np.testing.assert_array_equal(lower(text).numpy(), [[2, 1, 5, 6, 1, 1, 7, 1]])


def test_tensorflow_string_semantics():
    layer = layers.TextVectorization()
    # tf.strings.lower without an encoding lowercases ASCII only; the punctuation class is ASCII only;
    # whitespace splitting uses ASCII whitespace (a no-break space stays inside a token).
    layer.adapt(["ÉCOLE école  Don't\tstop\u00a0me (now)… ok"])
    assert sorted(layer.get_vocabulary(include_special_tokens=False)) == sorted(
        ["École", "école", "dont", "stop\u00a0me", "now…", "ok"])
    chars = layers.TextVectorization(split="character", standardize=None)
    chars.adapt(["abcab"])
    assert chars.get_vocabulary() == ["", "[UNK]", "b", "a", "c"]


def test_split_none_and_ngrams_match_keras():
    whole = layers.TextVectorization(split=None, vocabulary=["foo", "bar", "baz"])
    np.testing.assert_array_equal(whole([["foo"], ["bar"], ["unknown"]]).numpy(), [[2], [3], [1]])
    bigrams = layers.TextVectorization(ngrams=2)
    bigrams.adapt(["foo bar baz"])
    assert bigrams.get_vocabulary() == ["", "[UNK]", "foo bar", "foo", "baz", "bar baz", "bar"]
    skip = layers.TextVectorization(ngrams=(1, 3))
    skip.adapt(["foo bar baz"])
    assert skip.get_vocabulary() == ["", "[UNK]", "foo bar baz", "foo", "baz", "bar"]
    # tf.strings.ngrams order: all unigrams, then all bigrams, of each document
    np.testing.assert_array_equal(bigrams(["foo bar baz"]).numpy(), [[3, 6, 4, 2, 5]])


def test_max_tokens_and_sequence_length():
    layer = layers.TextVectorization(max_tokens=5)
    layer.adapt(["a b c d e f g h i j"])
    assert layer.get_vocabulary() == ["", "[UNK]", "j", "i", "h"]
    cut = layers.TextVectorization(vocabulary=["a", "b"], output_sequence_length=2)
    np.testing.assert_array_equal(cut(["a b a b", "b"]).numpy(), [[2, 3], [3, 0]])
    ragged = layers.TextVectorization(vocabulary=["a", "b"])
    np.testing.assert_array_equal(ragged(["a b a", "b", ""]).numpy(), [[2, 3, 2], [3, 0, 0], [0, 0, 0]])


def test_a_single_string_gives_one_sequence():
    layer = layers.TextVectorization(vocabulary=["a", "b"], output_sequence_length=4)
    np.testing.assert_array_equal(layer("b a c").numpy(), [3, 2, 1, 0])
    multi = layers.TextVectorization(vocabulary=["a", "b"], output_mode="multi_hot")
    np.testing.assert_array_equal(multi("b b").numpy(), [0, 0, 1])


def test_bytes_and_numpy_string_inputs():
    layer = layers.TextVectorization(vocabulary=["café", "b"])
    expected = [[2, 3]]
    for data in ([["café b"]], np.array([["café b"]]), np.array(["café b".encode()]), [b"caf\xc3\xa9 b"]):
        np.testing.assert_array_equal(layer(data).numpy(), expected)


def test_adapt_tf_idf_and_generators():
    layer = layers.TextVectorization(output_mode="tf_idf")
    layer.adapt(["a a b", "b c"])
    assert layer.get_vocabulary() == ["[UNK]", "b", "a", "c"]
    weights = np.log(1 + 2 / (1 + np.array([2.0, 1.0, 1.0])))  # document counts of b, a, c
    np.testing.assert_allclose(layer.get_config()["idf_weights"], [np.float32(weights).mean(), *weights], rtol=1e-6)

    def batches():
        yield ["hello world", "foo bar"]
        yield ["baz qux", "hello foo"]
        raise AssertionError("adapt read past `steps`")

    streamed = layers.TextVectorization()
    streamed.adapt(batches(), steps=2)
    assert streamed.get_vocabulary()[2:4] == ["hello", "foo"]


@register_keras_serializable(package="test_text")
def keep_letters(texts):
    return np.char.replace(np.char.lower(texts), "-", " ")


@register_keras_serializable(package="test_text")
def split_commas(texts):
    return [text.split(",") for text in texts]


def test_callable_standardize_and_split_round_trip():
    layer = layers.TextVectorization(standardize=keep_letters, vocabulary=["foo", "bar"])
    np.testing.assert_array_equal(layer(["FOO-bar"]).numpy(), [[2, 3]])
    commas = layers.TextVectorization(split=split_commas, standardize=None, vocabulary=["a b", "c"])
    np.testing.assert_array_equal(commas(["a b,c,d"]).numpy(), [[2, 3, 1]])
    for original in (layer, commas):
        config = ks.saving.serialize_keras_object(original)
        clone = ks.saving.deserialize_keras_object(config)
        assert clone._standardize is original._standardize and clone._split is original._split


@pytest.mark.parametrize("kwargs,match", [
    ({"standardize": "upper"}, "standardize"), ({"split": "comma"}, "split"), ({"ngrams": "invalid"}, "ngrams"),
    ({"ngrams": 0}, "ngrams"), ({"output_mode": "binary_tree"}, "output_mode"),
    ({"output_mode": "multi_hot", "output_sequence_length": 5}, "output_sequence_length"),
    ({"output_sequence_length": 0}, "output_sequence_length"),
    ({"sparse": True, "output_mode": "count"}, "sparse"), ({"ragged": True}, "ragged"),
    ({"output_mode": "one_hot"}, "one_hot"), ({"max_tokens": 1}, "max_tokens"),
    ({"vocabulary": ["a", "b"], "output_mode": "tf_idf"}, "idf_weights"),
])
def test_invalid_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.TextVectorization(**kwargs)


def test_bad_inputs_raise():
    layer = layers.TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        layer([["a", "b"]])
    with pytest.raises(TypeError, match="expects strings"):
        layer(np.array([[1.0]]))
    with pytest.raises(TypeError, match="dtype='string'"):
        layer(ks.Input(shape=(1,)))
    with pytest.raises(RuntimeError, match="text_vectorization.*no vocabulary"):
        layers.TextVectorization(output_mode="count")(["a"])
    with pytest.raises(ValueError, match="Cannot adapt"):
        layer.adapt(["a b"])


@pytest.mark.parametrize("make", [
    lambda: layers.TextVectorization(output_sequence_length=5, vocabulary=["one", "two"]),
    lambda: layers.TextVectorization(ngrams=(1, 2), max_tokens=20, split="whitespace"),
    lambda: layers.TextVectorization(output_mode="tf_idf", max_tokens=10, pad_to_max_tokens=True),
])
def test_config_round_trip_keeps_the_vocabulary(make, backend):
    layer = make()
    if layer.vocabulary_size() <= 2:
        layer.adapt(CORPUS)
    config = layer.get_config()
    clone = layers.deserialize(layers.serialize(layer))
    assert clone.get_config() == config
    np.testing.assert_allclose(clone(CORPUS).numpy(), layer(CORPUS).numpy())


def test_keras_assets_round_trip(tmp_path):
    layer = layers.TextVectorization(output_mode="tf_idf")
    layer.adapt(CORPUS)
    layer.save_assets(str(tmp_path))
    assert (tmp_path / "vocabulary.txt").read_text().split("\n") == layer.get_vocabulary()
    fresh = layers.TextVectorization(output_mode="tf_idf")
    fresh._lookup_layer.idf_weights = layer._lookup_layer.idf_weights  # load_own_variables runs first in Keras
    fresh.load_assets(str(tmp_path))
    np.testing.assert_allclose(fresh(CORPUS).numpy(), layer(CORPUS).numpy())


def _classifier(vectorize):
    text = ks.Input(shape=(1,), dtype="string")
    x = vectorize(text)
    x = layers.Embedding(vectorize.vocabulary_size(), 4)(x)
    x = layers.GlobalAveragePooling1D()(x)
    return ks.Model(text, layers.Dense(1, activation="sigmoid")(x))


def test_symbolic_output_shape_and_dtype():
    text = ks.Input(shape=(1,), dtype="string")
    assert layers.TextVectorization(output_sequence_length=7)(text).shape == (None, 7)
    assert layers.TextVectorization(output_sequence_length=7)(text).dtype == "int64"
    multi = layers.TextVectorization(output_mode="multi_hot", vocabulary=["a", "b"])(text)
    assert (multi.shape, multi.dtype) == ((None, 3), "float32")


@pytest.mark.parametrize("extension", [".keras", ".h5"])
def test_model_fits_predicts_saves_and_loads_from_strings(extension, backend, tmp_path):
    texts = np.array([["a good film"], ["bad plot"], ["good good acting"], ["a bad bad film"]])
    labels = np.array([1, 0, 1, 0])
    vectorize = layers.TextVectorization(output_sequence_length=5)
    vectorize.adapt(texts)
    model = _classifier(vectorize)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(texts, labels, epochs=2, batch_size=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    before = [w.copy() for w in model.get_weights()]
    model.fit(texts, labels, epochs=1, verbose=0)
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))  # it trained
    expected = model.predict(texts, verbose=0)
    np.testing.assert_allclose(model(texts).numpy(), expected, rtol=1e-5, atol=1e-6)
    path = tmp_path / f"text{extension}"
    model.save(path)
    loaded = ks.models.load_model(path)
    assert loaded.layers[1].get_vocabulary() == vectorize.get_vocabulary()
    np.testing.assert_allclose(loaded.predict(texts, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert loaded.evaluate(texts, labels, verbose=0)[0] == pytest.approx(model.evaluate(texts, labels, verbose=0)[0])


def test_sequential_with_a_string_input_and_clear_errors():
    vectorize = layers.TextVectorization(vocabulary=["a", "b"], output_mode="count")
    model = ks.Sequential([ks.Input(shape=(), dtype="string"), vectorize, layers.Dense(2)])
    assert model.predict(np.array(["a b b", "c"]), verbose=0).shape == (2, 2)
    no_input = ks.Sequential([layers.TextVectorization(vocabulary=["a"], output_mode="count"), layers.Dense(1)])
    no_input.compile(optimizer="adam", loss="mse")
    no_input.fit(np.array([["a a"], ["b"]]), np.array([1.0, 0.0]), verbose=0)  # the data makes a string input
    assert no_input.inputs[0].dtype == "string"
    numeric = ks.Sequential([ks.Input(shape=(3,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="holds strings"):
        numeric.predict(np.array([["a", "b", "c"]]), verbose=0)
    with pytest.raises(ValueError, match="takes strings"):
        model.predict(np.zeros((2,)), verbose=0)


def _keras_layout(path, out_path, layer_key):
    """Rewrite a kerasette `.keras` file the way Keras 3 stores a learned vocabulary: not in the layer config
    but in `assets/layers/<key>/vocabulary.txt` (keras/src/saving/saving_lib.py, IndexLookup.save_assets)."""
    import json
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    config = json.loads(members["config.json"])
    vocabulary = None
    for entry in config["config"]["layers"]:
        if entry["class_name"] == "TextVectorization":
            vocabulary = entry["config"]["vocabulary"]
            entry["config"].update(vocabulary=None, idf_weights=None)
            entry["config"].pop("has_input_vocabulary")
    members["config.json"] = json.dumps(config).encode()
    text = "\n".join(vocabulary).encode()
    members[f"assets/layers/{layer_key}/vocabulary.txt"] = text
    members[f"assets/layers/{layer_key}/_lookup_layer/vocabulary.txt"] = text
    with zipfile.ZipFile(out_path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


@pytest.mark.parametrize("mode", ["int", "tf_idf"])
def test_a_keras_file_with_the_vocabulary_in_its_assets_loads(mode, tmp_path):
    texts = np.array([["a good film"], ["bad plot"], ["good good acting"]])
    vectorize = layers.TextVectorization(output_mode=mode, **({"output_sequence_length": 4} if mode == "int" else {}))
    vectorize.adapt(texts)
    model = ks.Sequential([ks.Input(shape=(1,), dtype="string"), vectorize])
    model.save(tmp_path / "ours.keras")
    _keras_layout(tmp_path / "ours.keras", tmp_path / "keras.keras", "text_vectorization")
    loaded = ks.models.load_model(tmp_path / "keras.keras")
    assert loaded.layers[0].get_vocabulary() == vectorize.get_vocabulary()
    np.testing.assert_allclose(loaded.predict(texts, verbose=0), model.predict(texts, verbose=0), rtol=1e-6)
