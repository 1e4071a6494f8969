"""MultiHeadAttention and GroupQueryAttention in ONNX: masks given as inputs, a transformer block with a
dynamic batch, and what is refused (masks carried by tensors, a causal mask over unknown lengths).

The per-configuration cases (self- and cross-attention, causal mask, ``attention_mask``, scores, attention
axes, gate, sliding window, grouped heads) are in ``onnx_cases.py``.
"""

import numpy as np
import pytest
from onnx_cases import random_weights
from onnx_helpers import max_difference, onnx, run

import kerasette as ks
from kerasette import layers
from kerasette.export import to_onnx


def with_random_weights(model, seed=3):
    random_weights(model, np.random.default_rng(seed))
    return model


def test_query_value_and_key_masks_as_boolean_inputs_match_predict(backend):
    query, value, key = ks.Input((4, 6), name="query"), ks.Input((5, 3), name="value"), ks.Input((5, 2), name="key")
    masks = [ks.Input((4,), dtype="bool", name="query_mask"), ks.Input((5,), dtype="bool", name="value_mask"),
             ks.Input((5,), dtype="bool", name="key_mask")]
    out = layers.MultiHeadAttention(2, 3, name="mha")(query, value, key, query_mask=masks[0], value_mask=masks[1],
                                                      key_mask=masks[2], return_attention_scores=True)
    model = with_random_weights(ks.Model([query, value, key, *masks], list(out)))
    rng = np.random.default_rng(4)
    data = [rng.normal(size=(3, 4, 6)).astype("float32"), rng.normal(size=(3, 5, 3)).astype("float32"),
            rng.normal(size=(3, 5, 2)).astype("float32"), rng.uniform(size=(3, 4)) > 0.3,
            rng.uniform(size=(3, 5)) > 0.3, rng.uniform(size=(3, 5)) > 0.2]
    data[3][0, :] = False  # a sample whose every query position is masked
    proto = to_onnx(model)
    onnx.checker.check_model(proto, full_check=True)
    assert max_difference(proto, model, data) <= 1e-4


def transformer_block():
    tokens = ks.Input((6, 8), name="tokens")
    attended = layers.MultiHeadAttention(2, 4, dropout=0.1, name="mha")(tokens, tokens, use_causal_mask=True)
    x = layers.LayerNormalization()(layers.Add()([tokens, attended]))
    grouped = layers.GroupQueryAttention(4, 4, 2, name="gqa")(x, x)
    x = layers.LayerNormalization()(layers.Add()([x, grouped]))
    x = layers.Dense(8)(layers.Dense(16, activation="gelu")(x))
    return with_random_weights(ks.Model(tokens, layers.GlobalAveragePooling1D()(x)))


@pytest.mark.parametrize("batch", [1, 5])
def test_a_transformer_block_exports_with_a_dynamic_batch(backend, tmp_path, batch):
    model = transformer_block()
    path = tmp_path / "block.onnx"
    model.export(str(path), format="onnx")
    proto = onnx.load(str(path))
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    data = np.random.default_rng(batch).normal(size=(batch, 6, 8)).astype("float32")
    assert max_difference(proto, model, [data]) <= 1e-4


def test_scores_of_a_masked_query_row_are_zero_in_onnx():
    query, mask = ks.Input((3, 4), name="query"), ks.Input((3, 3), name="mask")
    _, scores = layers.MultiHeadAttention(2, 2)(query, query, attention_mask=mask, return_attention_scores=True)
    model = with_random_weights(ks.Model([query, mask], scores))
    data = [np.ones((1, 3, 4), "float32"), np.array([[[1, 0, 0], [0, 0, 0], [1, 1, 1]]], "float32")]
    scores = run(to_onnx(model), data)[0]
    np.testing.assert_array_equal(scores[0, :, 1], 0.0)
    np.testing.assert_allclose(scores[0, :, 0], [[1, 0, 0], [1, 0, 0]], atol=1e-6)
    np.testing.assert_allclose(scores.sum(axis=-1)[0, :, 2], 1.0, atol=1e-6)


def test_a_mask_carried_into_multi_head_attention_is_refused():
    ids = ks.Input((5,), dtype="int32")
    embedded = layers.Embedding(9, 4, mask_zero=True, name="words")(ids)
    model = ks.Model(ids, layers.MultiHeadAttention(2, 2, name="mha")(embedded, embedded))
    with pytest.raises(ValueError, match="layer `mha` \\(MultiHeadAttention\\).*mask that `words` attaches"):
        to_onnx(model)


def test_the_query_mask_passed_on_to_a_layer_that_reads_it_is_refused():
    x, query_mask = ks.Input((4, 3)), ks.Input((4,), dtype="bool")
    attended = layers.MultiHeadAttention(2, 2, name="mha")(x, x, query_mask=query_mask)
    model = ks.Model([x, query_mask], layers.LSTM(2, name="lstm")(attended))
    with pytest.raises(ValueError, match="layer `lstm` \\(LSTM\\).*mask that `mha` attaches"):
        to_onnx(model)


@pytest.mark.parametrize("make", [lambda: layers.MultiHeadAttention(2, 2, name="attn"),
                                  lambda: layers.GroupQueryAttention(2, 2, 1, name="attn")])
def test_a_causal_mask_over_unknown_lengths_is_refused(make):
    x = ks.Input((None, 4))
    model = ks.Model(x, make()(x, x, use_causal_mask=True))
    with pytest.raises(ValueError, match="layer `attn` .*causal or sliding-window mask needs known query and value "
                                         "lengths"):
        to_onnx(model)


def test_unknown_lengths_without_a_causal_mask_export():
    x = ks.Input((None, 4), name="x")
    model = with_random_weights(ks.Model(x, layers.MultiHeadAttention(2, 3)(x, x)))
    proto = to_onnx(model)
    for length in (2, 7):
        data = np.random.default_rng(length).normal(size=(2, length, 4)).astype("float32")
        assert max_difference(proto, model, [data]) <= 1e-4


def test_keyword_call_with_a_constant_attention_mask_matches_predict(backend):
    query, value = ks.Input((4, 6), name="query"), ks.Input((5, 6), name="value")
    mask = np.tril(np.ones((4, 5), bool))[None]  # a numpy array, stored in the graph as a constant
    model = with_random_weights(ks.Model([query, value], layers.GroupQueryAttention(3, 4, 2)(
        query=query, value=value, attention_mask=mask)))
    rng = np.random.default_rng(8)
    data = [rng.normal(size=(2, 4, 6)).astype("float32"), rng.normal(size=(2, 5, 6)).astype("float32")]
    assert max_difference(to_onnx(model), model, data) <= 1e-4


@pytest.mark.parametrize("opset", [13, 18, 21])
def test_attention_over_two_axes_exports_at_each_opset_spelling(opset):
    x = ks.Input((3, 4, 5), name="x")
    attended = layers.MultiHeadAttention(2, 2, attention_axes=(1, 2))(x, x)  # a softmax over two axes: reductions
    model = with_random_weights(ks.Model(x, attended))
    proto = to_onnx(model, opset=opset)
    assert proto.opset_import[0].version == opset
    data = np.random.default_rng(opset).normal(size=(2, 3, 4, 5)).astype("float32")
    assert max_difference(proto, model, [data]) <= 1e-4
