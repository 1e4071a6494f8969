"""ReversibleEmbedding against real Keras 3: the same tables give the same vectors, logits and files."""

import numpy as np
import pytest
from keras_reference import keras, numpy_of, quiet

import kerasette as ks
from kerasette import layers

RNG = np.random.default_rng(0)
TOKENS = np.array([[1, 5, 0, 3], [7, 2, 9, 0]], dtype="int32")


def _model(K, **config):
    tokens = K.Input((4,), dtype="int32")
    embedding = K.layers.ReversibleEmbedding(10, 6, name="tied", **config)
    hidden = K.layers.Dense(6, activation="tanh")(embedding(tokens))
    return K.Model(tokens, embedding(hidden, reverse=True))


@pytest.mark.parametrize("config", [{}, {"tie_weights": False}, {"logit_soft_cap": 2.0, "mask_zero": True}],
                         ids=["tied", "untied", "soft_cap"])
def test_matches_keras_and_files_move_both_ways(config, tmp_path, backend):
    ours, theirs = _model(ks, **config), quiet(lambda: _model(keras, **config))
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    weights = [RNG.normal(size=w.shape).astype("float32") for w in theirs.weights]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    expected = quiet(lambda: numpy_of(theirs(TOKENS)))
    np.testing.assert_allclose(ours.predict(TOKENS, verbose=0), expected, rtol=1e-5, atol=1e-5)
    quiet(lambda: theirs.save(tmp_path / "theirs.keras"))
    loaded = ks.models.load_model(tmp_path / "theirs.keras")
    np.testing.assert_allclose(loaded.predict(TOKENS, verbose=0), expected, rtol=1e-5, atol=1e-5)
    ours.save(tmp_path / "ours.keras")
    back = quiet(lambda: keras.models.load_model(tmp_path / "ours.keras"))
    np.testing.assert_allclose(quiet(lambda: numpy_of(back(TOKENS))), expected, rtol=1e-5, atol=1e-5)


def test_forward_mask_and_gradients_reach_the_tied_table():
    embedding = layers.ReversibleEmbedding(10, 4, mask_zero=True)
    vectors = embedding(TOKENS)
    assert vectors._keras_mask.numpy().tolist() == (TOKENS != 0).tolist()
    assert embedding(vectors, reverse=True)._keras_mask is None
    with ks.ops.GradientTape() as tape:
        loss = ks.ops.sum(ks.ops.square(embedding(embedding(TOKENS), reverse=True)))
    (grad,) = tape.gradient(loss, embedding.trainable_weights)
    table = embedding.embeddings.numpy()
    vectors = table[TOKENS]
    logits = vectors @ table.T
    # d/dW sum((W[t] W^T)^2): through the lookup and through the transposed table
    expected = np.zeros_like(table)
    np.add.at(expected, TOKENS, 2 * logits @ table)
    expected += 2 * np.einsum("bsv,bsd->vd", logits, vectors)
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-4, atol=1e-5)


def test_quantize_is_refused_and_bad_arguments_raise():
    model = ks.Sequential([ks.Input((4,), dtype="int32"), layers.ReversibleEmbedding(10, 4), layers.Dense(2)])
    with pytest.warns(UserWarning, match="ReversibleEmbedding"):
        model.quantize("int8")
    assert model.layers[0].quantization_mode is None and model.layers[1].quantization_mode == "int8"
    with pytest.raises(ValueError, match="logit_soft_cap"):
        layers.ReversibleEmbedding(10, 4, logit_soft_cap=-1.0)
