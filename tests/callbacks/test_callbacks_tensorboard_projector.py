"""TensorBoard callback, embeddings: TSV tables and the Projector config, parsed with TensorBoard's own proto."""

import numpy as np
import pytest
from google.protobuf import text_format
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

import kerasette as keras
from kerasette.callbacks import LambdaCallback, TensorBoard


def embedding_model():
    tokens = keras.Input((3,), dtype="int32", name="tokens")
    vectors = keras.layers.Embedding(10, 4, name="words")(tokens)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(vectors)
    model = keras.Model(tokens, keras.layers.Dense(1, name="out")(pooled))
    model.compile("sgd", "mse")
    return model


def fit(model, callbacks, epochs=3):
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 10, size=(16, 3)).astype("int32"), rng.normal(size=(16, 1)).astype("float32")
    model.fit(x, y, epochs=epochs, batch_size=8, verbose=0, callbacks=callbacks)


def read_config(log_dir):
    return text_format.Parse((log_dir / "projector_config.pbtxt").read_text(), ProjectorConfig())


def test_tables_every_embeddings_freq_epochs_listed_in_the_projector_config(tmp_path):
    model = embedding_model()
    tables = {}
    keep = LambdaCallback(on_epoch_end=lambda epoch, logs: tables.update({epoch: model.get_layer("words")
                                                                          .embeddings.numpy().copy()}))
    fit(model, [keep, TensorBoard(tmp_path, embeddings_freq=2, embeddings_metadata={"words": "words.tsv"})])
    config = read_config(tmp_path)
    assert [(e.tensor_name, e.tensor_path, e.metadata_path) for e in config.embeddings] == [
        ("words/embeddings (epoch 0)", "embeddings/words-epoch0000.tsv", "words.tsv"),
        ("words/embeddings (epoch 2)", "embeddings/words-epoch0002.tsv", "words.tsv"),
    ]
    for epoch in (0, 2):
        written = np.loadtxt(tmp_path / f"embeddings/words-epoch{epoch:04d}.tsv", delimiter="\t")
        np.testing.assert_allclose(written, tables[epoch], rtol=1e-7)
    assert sorted(p.name for p in (tmp_path / "embeddings").iterdir()) == [
        "words-epoch0000.tsv", "words-epoch0002.tsv"]


def test_one_metadata_file_for_every_table(tmp_path):
    fit(embedding_model(), [TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata="labels.tsv")], epochs=1)
    assert [e.metadata_path for e in read_config(tmp_path).embeddings] == ["labels.tsv"]


def test_no_metadata(tmp_path):
    fit(embedding_model(), [TensorBoard(tmp_path, embeddings_freq=1)], epochs=1)
    assert [e.metadata_path for e in read_config(tmp_path).embeddings] == [""]


def test_metadata_for_a_layer_that_is_not_an_embedding_layer_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names .*\\['out'\\].*\\['words'\\]"):
        fit(embedding_model(), [TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata={"out": "x.tsv"})])


@pytest.mark.parametrize("metadata", [5, ["a.tsv"], {"words": 3}])
def test_metadata_of_another_type_is_refused_at_once(tmp_path, metadata):
    with pytest.raises(TypeError, match="Invalid value for argument `embeddings_metadata`"):
        TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata=metadata)


def test_metadata_without_embeddings_freq_warns_that_it_has_no_effect(tmp_path):
    with pytest.warns(UserWarning, match="`embeddings_metadata` has no effect with `embeddings_freq=0`"):
        TensorBoard(tmp_path, embeddings_metadata="labels.tsv")


def test_a_model_without_embedding_layers_writes_no_projector_files(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((4, 3)), np.zeros((4, 1)), verbose=0, callbacks=[TensorBoard(tmp_path, embeddings_freq=1)])
    assert not (tmp_path / "projector_config.pbtxt").exists() and not (tmp_path / "embeddings").exists()
