"""MultiHeadAttention and GroupQueryAttention on every backend: values against a numpy reference (masks, causal,
sliding window, gate, attention axes), shapes, configs, finite-difference gradients, a training step, dropout,
masks carried by tensors, saving. Real-Keras comparisons: tests/saving/test_saving_keras_interop_attention.py."""

import numpy as np
import pytest
from finite_differences import central_difference
from layer_checks import assert_weight_gradients_match_finite_differences

import kerasette as ks
from kerasette import layers, ops

RNG = np.random.default_rng(0)
Q, V, K = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 4, 3)), RNG.normal(size=(2, 4, 5))
Q_MASK = np.array([[1, 1, 0], [1, 1, 1]], bool)
V_MASK = np.array([[1, 1, 0, 1], [0, 1, 1, 1]], bool)
ATTENTION_MASK = RNG.random((2, 3, 4)) < 0.8


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attend(query, key, value, scale, keep):
    """Scaled dot-product attention of projected (B, T, N, H) tensors; ``keep`` (B, T, S) or None."""
    scores = np.einsum("btnh,bsnh->bnts", query * scale, key)
    if keep is not None:
        scores = np.where(keep[:, None], scores, -1e9)
    weights = softmax(scores)
    if keep is not None:
        weights = np.where(keep[:, None], weights, 0.0)
    return np.einsum("bnts,bsnh->btnh", weights, value), weights


def keep_mask(t, s, q_mask=None, v_mask=None, attention_mask=None, causal=False, window=None):
    keep = np.ones((2, t, s), bool)
    if q_mask is not None:
        keep &= q_mask[:, :, None]
    if v_mask is not None:
        keep &= v_mask[:, None, :]
    if attention_mask is not None:
        keep &= attention_mask
    rows, cols = np.arange(t)[:, None], np.arange(s)[None, :]
    if causal:
        keep &= cols <= rows
    if window is not None:
        keep &= np.abs(rows - cols) < window
    return keep


def mha_reference(weights, query, value, key, key_dim, keep, gate=False):
    w = list(weights)
    q = np.einsum("btd,dnh->btnh", query, w.pop(0)) + w.pop(0)
    k = np.einsum("bsd,dnh->bsnh", key, w.pop(0)) + w.pop(0)
    g = 1 / (1 + np.exp(-(np.einsum("btd,dnh->btnh", query, w.pop(0)) + w.pop(0)))) if gate else 1.0
    v = np.einsum("bsd,dnh->bsnh", value, w.pop(0)) + w.pop(0)
    out, scores = attend(q, k, v, 1 / np.sqrt(key_dim), keep)
    return np.einsum("btnh,nhe->bte", out * g, w.pop(0)) + w.pop(0), scores


def gqa_reference(weights, query, value, key, head_dim, repeats, keep):
    wq, bq, wk, bk, wv, bv, wo, bo = weights
    q = np.einsum("btd,dnh->btnh", query, wq) + bq
    k = np.repeat(np.einsum("bsd,dnh->bsnh", key, wk) + bk, repeats, axis=2)
    v = np.repeat(np.einsum("bsd,dnh->bsnh", value, wv) + bv, repeats, axis=2)
    out, scores = attend(q, k, v, 1 / np.sqrt(head_dim), keep)
    return np.einsum("btnh,nhe->bte", out, wo) + bo, scores


def randomized(layer, *inputs, seed=1):
    layer(*inputs)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape) for w in layer.weights])
    return layer


OPTIONS = [
    ({}, {}),
    ({"use_causal_mask": True}, {"causal": True}),
    ({"query_mask": Q_MASK, "value_mask": V_MASK}, {"q_mask": Q_MASK, "v_mask": V_MASK}),
    ({"attention_mask": ATTENTION_MASK, "key_mask": V_MASK, "use_causal_mask": True},
     {"attention_mask": ATTENTION_MASK, "v_mask": V_MASK, "causal": True}),
]


@pytest.mark.parametrize("options,expected", OPTIONS, ids=["plain", "causal", "masks", "attention_mask"])
def test_multi_head_attention_matches_numpy(options, expected, backend):
    layer = randomized(layers.MultiHeadAttention(2, 3, dtype="float64"), Q, V, K)
    out, scores = layer(Q, V, K, return_attention_scores=True, **options)
    reference = mha_reference(layer.get_weights(), Q, V, K, 3, keep_mask(3, 4, **expected))
    np.testing.assert_allclose(out.numpy(), reference[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scores.numpy(), reference[1], rtol=1e-9, atol=1e-12)


def test_gate_sliding_window_and_self_attention_match_numpy(backend):
    layer = randomized(layers.MultiHeadAttention(2, 3, value_dim=2, use_gate=True, sliding_window=2, dtype="float64"),
                       Q, Q)
    assert [w.path for w in layer.weights][4:6] == ["multi_head_attention/gate/kernel",
                                                     "multi_head_attention/gate/bias"]
    out = layer(Q, Q, use_causal_mask=True)
    expected = mha_reference(layer.get_weights(), Q, Q, Q, 3, keep_mask(3, 3, causal=True, window=2), gate=True)
    np.testing.assert_allclose(out.numpy(), expected[0], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("heads", [(4, 2), (4, 1), (2, 2)], ids=["grouped", "multi_query", "multi_head"])
def test_group_query_attention_matches_numpy(heads, backend):
    layer = randomized(layers.GroupQueryAttention(3, *heads, dtype="float64"), Q, V, K)
    out, scores = layer(Q, V, K, return_attention_scores=True, query_mask=Q_MASK, value_mask=V_MASK,
                        use_causal_mask=True)
    keep = keep_mask(3, 4, q_mask=Q_MASK, v_mask=V_MASK, causal=True)
    reference = gqa_reference(layer.get_weights(), Q, V, K, 3, heads[0] // heads[1], keep)
    np.testing.assert_allclose(out.numpy(), reference[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scores.numpy(), reference[1], rtol=1e-9, atol=1e-12)
    assert scores.numpy()[0, :, 2].max() == 0.0  # a masked query position attends nothing


def test_attention_over_two_axes_is_attention_over_the_flattened_positions(backend):
    """attention_axes=(1, 2) on (B, 2, 3, dim) equals attention over 6 positions of (B, 6, dim), same weights."""
    grid = RNG.normal(size=(2, 2, 3, 4))
    layer = randomized(layers.MultiHeadAttention(2, 3, attention_axes=(1, 2), dtype="float64"), grid, grid)
    out, scores = layer(grid, grid, return_attention_scores=True)
    assert out.shape == (2, 2, 3, 4) and scores.shape == (2, 2, 2, 3, 2, 3)
    flat = grid.reshape(2, 6, 4)
    expected = mha_reference(layer.get_weights(), flat, flat, flat, 3, None)
    np.testing.assert_allclose(out.numpy().reshape(2, 6, 4), expected[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scores.numpy().reshape(2, 2, 6, 6), expected[1], rtol=1e-9, atol=1e-12)


def test_attention_along_one_inner_axis_treats_the_others_as_batch(backend):
    grid = RNG.normal(size=(2, 2, 3, 4))
    layer = randomized(layers.MultiHeadAttention(2, 3, attention_axes=-2, dtype="float64"), grid, grid)
    out, scores = layer(grid, grid, return_attention_scores=True)
    assert layer.attention_axes == (2,) and scores.shape == (2, 2, 2, 3, 3)
    for row in range(2):
        expected = mha_reference(layer.get_weights(), grid[:, row], grid[:, row], grid[:, row], 3, None)
        np.testing.assert_allclose(out.numpy()[:, row], expected[0], rtol=1e-9, atol=1e-12)


def test_shapes_weights_and_symbolic_calls():
    layer = layers.MultiHeadAttention(2, 3, value_dim=5, output_shape=(2, 7), name="mha")
    query, value, key = ks.Input((3, 4)), ks.Input((6, 8)), ks.Input((6, 9))
    out, scores = layer(query, value, key, return_attention_scores=True)
    assert out.shape == (None, 3, 2, 7) and scores.shape == (None, 2, 3, 6)
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("mha/query/kernel", (4, 2, 3)), ("mha/query/bias", (2, 3)), ("mha/key/kernel", (9, 2, 3)),
        ("mha/key/bias", (2, 3)), ("mha/value/kernel", (8, 2, 5)), ("mha/value/bias", (2, 5)),
        ("mha/attention_output/kernel", (2, 5, 2, 7)), ("mha/attention_output/bias", (2, 7))]
    assert layer.compute_output_shape((None, 3, 4), (None, 6, 8)) == (None, 3, 2, 7)
    assert layer.get_build_config() == {"shapes_dict": {"query_shape": [None, 3, 4], "value_shape": [None, 6, 8],
                                                        "key_shape": [None, 6, 9]}}
    gqa = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2, use_bias=False)
    assert gqa.name.startswith("grouped_query_attention") and type(gqa) is layers.GroupQueryAttention
    assert gqa(query, value).shape == (None, 3, 4)
    assert [w.shape for w in gqa.weights] == [(4, 4, 2), (8, 2, 2), (8, 2, 2), (4, 2, 4)]


def test_build_from_config_and_the_call_forms():
    ones = layers.MultiHeadAttention(2, 3, kernel_initializer=lambda shape, dtype=None: ops.ones(shape, dtype))
    ones(Q, V)
    assert all(np.all(w.numpy() == 1.0) for w in ones.weights if w.name == "kernel")  # a plain function works
    layer = layers.MultiHeadAttention(2, 3)
    expected = layer(query=Q, value=V, key=K)
    np.testing.assert_array_equal(layer(inputs=Q, value=V, key=K).numpy(), expected.numpy())
    np.testing.assert_array_equal(layer(Q, V, K, None, None, None, None, False, True).numpy(), expected.numpy())
    for build_config in (layer.get_build_config(), {"input_shape": [[2, 3, 4], [2, 4, 3], [2, 4, 5]]}):
        clone = layers.MultiHeadAttention.from_config(layer.get_config())
        clone.build_from_config(build_config)
        assert [w.shape for w in clone.weights] == [w.shape for w in layer.weights]
    gqa = layers.GroupQueryAttention(2, 2, 1)
    assert gqa.compute_output_shape((None, 3, 4), (None, 5, 4)) == (None, 3, 4)
    gqa.build_from_config({"shapes_dict": {"query_shape": [None, 3, 4], "value_shape": [None, 5, 6]}})
    assert gqa.built and [w.shape for w in gqa.weights][::2] == [(4, 2, 2), (6, 1, 2), (6, 1, 2), (2, 2, 4)]


@pytest.mark.parametrize("make", [
    lambda: layers.MultiHeadAttention(2, 3, value_dim=4, dropout=0.1, use_bias=False, output_shape=5,
                                      attention_axes=1, sliding_window=3, use_gate=True, seed=4,
                                      kernel_initializer="he_normal", kernel_regularizer="l2",
                                      activity_regularizer="l1", bias_constraint="non_neg"),
    lambda: layers.GroupQueryAttention(2, 4, 2, dropout=0.2, sliding_window=2, use_gate=True, seed=1,
                                       bias_initializer="ones", bias_regularizer="l1", kernel_constraint="unit_norm"),
], ids=["mha", "gqa"])
def test_config_round_trip(make, backend):
    layer = make()
    for unbuilt in (True, False):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
        if unbuilt:
            layer(Q.astype("float32"), V.astype("float32"))
    clone(Q.astype("float32"), V.astype("float32"))
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(Q, V).numpy(), layer(Q, V).numpy(), rtol=1e-6)
    assert layers.deserialize(layers.serialize(layer)).get_config() == layer.get_config()


def test_keras_config_keys():
    config = layers.MultiHeadAttention(2, 3).get_config()
    assert {k: config[k] for k in ("value_dim", "output_shape", "attention_axes", "use_gate", "sliding_window")} == {
        "value_dim": 3, "output_shape": None, "attention_axes": None, "use_gate": False, "sliding_window": None}
    assert "flash_attention" not in config  # as Keras: not part of the config
    assert layers.deserialize({"class_name": "GroupedQueryAttention", "config": {
        "head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1}}).num_repeats == 2


@pytest.mark.parametrize("make", [
    lambda: layers.MultiHeadAttention(2, 3, dtype="float64"),
    lambda: layers.MultiHeadAttention(1, 2, value_dim=3, use_gate=True, sliding_window=2, dtype="float64"),
    lambda: layers.GroupQueryAttention(2, 2, 1, dtype="float64"),
], ids=["mha", "mha_gate", "gqa"])
def test_gradients_match_finite_differences(make, backend):
    arrays = [Q[:, :, :3].copy(), V.copy(), V[..., ::-1].copy()]
    layer = randomized(make(), *arrays)
    options = {"query_mask": Q_MASK, "value_mask": V_MASK, "use_causal_mask": True}
    cotangent = RNG.normal(size=(2, 3, 3))

    def objective():
        with ops.stop_recording():
            return float(np.sum(layer(*arrays, **options).numpy() * cotangent))

    tensors = [ops.convert_to_tensor(a) for a in arrays]
    with ops.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        loss = ops.sum(ops.multiply(layer(*tensors, **options), cotangent))
    grads = tape.gradient(loss, tensors + layer.trainable_weights)
    for array, grad in zip(arrays, grads[:3]):
        np.testing.assert_allclose(grad.numpy(), central_difference(lambda _: objective(), array), rtol=1e-4,
                                   atol=1e-7)
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads[3:], objective, rtol=1e-4,
                                                     atol=1e-7)


def encoder(dropout=0.0):
    tokens = ks.Input((5,), dtype="int32", name="tokens")
    x = layers.Embedding(10, 4, mask_zero=True, name="embed")(tokens)
    x = layers.MultiHeadAttention(2, 3, dropout=dropout, seed=1, name="mha")(x, x, use_causal_mask=True)
    x = layers.GroupQueryAttention(2, 2, 1, dropout=dropout, seed=2, name="gqa")(x, x)
    return ks.Model(tokens, layers.GlobalAveragePooling1D(name="pool")(x), name="encoder")


TOKENS = np.array([[3, 1, 4, 0, 0], [5, 9, 2, 6, 0], [1, 1, 2, 3, 5]])


def test_one_training_step_lowers_the_loss(backend):
    model = encoder(dropout=0.1)
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="mse")
    target = RNG.normal(size=(3, 4)).astype("float32")
    before = model.evaluate(TOKENS, target, verbose=0)
    weights = {w.path: w.numpy() for w in model.weights}
    model.fit(TOKENS, target, epochs=1, batch_size=3, verbose=0)
    # every weight moves (the key biases need not: the softmax over the keys cancels them, their gradient is 0)
    moved = {w.path for w in model.weights if not np.array_equal(w.numpy(), weights[w.path])}
    assert set(weights) - moved <= {"mha/key/bias", "gqa/key/bias"}
    assert model.evaluate(TOKENS, target, verbose=0) < before


def test_embedding_masks_reach_the_attention_and_the_output_keeps_the_query_mask():
    embed = layers.Embedding(10, 4, mask_zero=True)
    x = embed(TOKENS)
    layer = layers.MultiHeadAttention(2, 3)
    out, scores = layer(x, x, return_attention_scores=True)
    np.testing.assert_array_equal(out._keras_mask.numpy(), TOKENS != 0)
    np.testing.assert_array_equal(x._keras_mask.numpy(), TOKENS != 0)  # the input keeps its mask
    keep = (TOKENS != 0)[:, None, :, None] & (TOKENS != 0)[:, None, None, :]
    assert np.all(scores.numpy()[~np.broadcast_to(keep, scores.shape)] == 0)
    plain = ops.convert_to_tensor(x.numpy())
    np.testing.assert_allclose(layer(plain, plain, query_mask=TOKENS != 0, value_mask=TOKENS != 0).numpy(),
                               out.numpy(), rtol=1e-6, atol=1e-7)


def test_masked_positions_of_a_model_do_not_change_its_output():
    model = encoder()
    expected = model.predict(TOKENS, verbose=0)
    table = model.get_layer("embed").embeddings
    table.assign(np.concatenate([RNG.normal(size=(1, 4)), table.numpy()[1:]]).astype("float32"))
    np.testing.assert_allclose(model.predict(TOKENS, verbose=0), expected, rtol=1e-6)  # token 0: masked
    table.assign(np.concatenate([table.numpy()[:1], RNG.normal(size=(1, 4)), table.numpy()[2:]]).astype("float32"))
    assert not np.allclose(model.predict(TOKENS, verbose=0), expected, rtol=1e-3)  # token 1: not masked


def test_values_under_the_value_mask_do_not_matter():
    layer = layers.GroupQueryAttention(2, 2, 1)
    expected = layer(Q, V, value_mask=V_MASK).numpy()
    np.testing.assert_allclose(layer(Q, np.where(V_MASK[..., None], V, 9.0), value_mask=V_MASK).numpy(), expected,
                               rtol=1e-6)
    assert not np.allclose(layer(Q, np.where(V_MASK[..., None], 9.0, V), value_mask=V_MASK).numpy(), expected)


def test_dropout_applies_only_while_training():
    layer = layers.MultiHeadAttention(2, 3, dropout=0.5, seed=3)
    q, v = Q.astype("float32"), V.astype("float32")
    np.testing.assert_array_equal(layer(q, v).numpy(), layer(q, v, training=False).numpy())
    assert not np.allclose(layer(q, v, training=True).numpy(), layer(q, v).numpy())
    _, scores = layer(q, v, training=True, return_attention_scores=True)
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-6)  # the scores are returned before dropout


def test_regularizers_constraints_and_trainable():
    layer = layers.MultiHeadAttention(2, 3, kernel_regularizer="l2", activity_regularizer="l1",
                                      kernel_constraint="non_neg")
    layer(Q, V)
    assert len(layer.losses) == 4 + 4  # four kernels, four projection outputs (as Keras)
    assert all(v.constraint is not None for v in layer.weights if v.name == "kernel")
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 8


@pytest.mark.parametrize("filename", ["m.keras", "m.h5", "m.weights.h5"])
def test_save_and_load_predicts_the_same(tmp_path, filename, backend):
    tokens = ks.Input((5,), dtype="int32", name="tokens")
    other = ks.Input((4, 6), name="other")
    x = layers.Embedding(10, 4, mask_zero=True, name="embed")(tokens)
    y = layers.MultiHeadAttention(2, 3, value_dim=2, name="mha")(x, other, key=other, use_causal_mask=True)
    z, scores = layers.GroupQueryAttention(2, 2, 1, use_gate=True, name="gqa")(x, y, return_attention_scores=True)
    model = ks.Model([tokens, other], [z, scores], name="attention")
    for w in model.weights:
        w.assign(w.numpy() + 0.3)
    inputs = [TOKENS, RNG.normal(size=(3, 4, 6)).astype("float32")]
    expected = model.predict(inputs, verbose=0)
    if filename.endswith(".weights.h5"):
        model.save_weights(tmp_path / filename)
        restored = ks.models.clone_model(model)
        restored.load_weights(tmp_path / filename)
    else:
        model.save(tmp_path / filename)
        restored = ks.models.load_model(tmp_path / filename)
    for a, b in zip(restored.predict(inputs, verbose=0), expected):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make,error,match", [
    (lambda: layers.MultiHeadAttention(0, 3), ValueError, "argument `num_heads`"),
    (lambda: layers.MultiHeadAttention(2, "3"), ValueError, "argument `key_dim`"),
    (lambda: layers.MultiHeadAttention(2, 3, value_dim=-1), ValueError, "argument `value_dim`"),
    (lambda: layers.MultiHeadAttention(2, 3, dropout=1.5), ValueError, "argument `dropout`"),
    (lambda: layers.MultiHeadAttention(2, 3, flash_attention=True), ValueError, "argument `flash_attention`"),
    (lambda: layers.MultiHeadAttention(2, 3, sliding_window=0), ValueError, "argument `sliding_window`"),
    (lambda: layers.MultiHeadAttention(2, 3, output_shape="wide"), ValueError, "argument `output_shape`"),
    (lambda: layers.MultiHeadAttention(2, 3, attention_axes="all"), ValueError, "argument `attention_axes`"),
    (lambda: layers.MultiHeadAttention(2, 3, attention_axes=2)(Q, V), ValueError, "argument `attention_axes`"),
    (lambda: layers.MultiHeadAttention(2, 3)(Q), ValueError, "must be called with `query` and `value`"),
    (lambda: layers.MultiHeadAttention(2, 3)(Q, V, Q), ValueError, "`value` and `key`"),
    (lambda: layers.MultiHeadAttention(2, 3)(Q, V, attention_mask=np.ones((2, 3, 5), bool)), ValueError,
     "attention mask of shape"),
    (lambda: layers.MultiHeadAttention(2, 3)(Q, V, value=V), TypeError, "multiple values for argument `value`"),
    (lambda: layers.MultiHeadAttention(2, 3)(*[Q] * 11), TypeError, "at most 10 positional arguments"),
    (lambda: layers.MultiHeadAttention(2, 3).compute_output_shape((2, 3, 4), (2, 5, 6), (2, 4, 6)), ValueError,
     "`value` and `key`"),
    (lambda: layers.GroupQueryAttention(2, 4, 2).compute_output_shape((2, 3, 4), (2, 5, 4), (2, 4, 4)), ValueError,
     "`value` and `key`"),
    (lambda: layers.GroupQueryAttention(2, 4, 3), ValueError, "argument `num_key_value_heads`"),
    (lambda: layers.GroupQueryAttention(2, 4, 2, flash_attention=True), ValueError, "argument `flash_attention`"),
    (lambda: layers.GroupQueryAttention(2, 4, 2)(Q[:, :, :, None], V), ValueError, "of rank 3"),
    (lambda: layers.GroupQueryAttention(2, 4, 2).compute_output_shape((2, 3, 4), (2, 5, 6)), ValueError,
     "last dimension"),
])
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()
