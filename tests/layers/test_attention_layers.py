"""Attention and AdditiveAttention: values against numpy, masks, gradients against finite differences, functional
models (two outputs, call options), configs and saving. Real-Keras comparisons: test_saving_keras_interop_layers."""

import numpy as np
import pytest
from finite_differences import central_difference
from layer_checks import assert_weight_gradients_match_finite_differences

import kerasette as ks
from kerasette import layers, ops

RNG = np.random.default_rng(0)
Q, V, K = (RNG.normal(size=s) for s in [(2, 3, 4), (2, 5, 4), (2, 5, 4)])
Q_MASK = np.array([[1, 1, 0], [1, 0, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def reference(scores, value, q_mask=None, v_mask=None, causal=False):
    keep = np.ones(scores.shape, bool)
    if v_mask is not None:
        keep &= v_mask[:, None, :]
    if causal:
        keep &= np.tril(np.ones(scores.shape[-2:], bool))
    weights = softmax(np.where(keep, scores, scores - 1e9))
    out = weights @ value
    if q_mask is not None:
        out = np.where(q_mask[..., None], out, 0.0)
    return out, weights


@pytest.mark.parametrize("options", [{}, {"mask": [Q_MASK, V_MASK]}, {"use_causal_mask": True},
                                     {"mask": [Q_MASK, V_MASK], "use_causal_mask": True}], ids=str)
def test_dot_attention_matches_numpy(options, backend):
    layer = layers.Attention(use_scale=True, dtype="float64")
    layer([Q, V, K])
    layer.set_weights([np.array(0.7)])
    out, weights = layer([Q, V, K], return_attention_scores=True, **options)
    mask = options.get("mask", [None, None])
    expected = reference(0.7 * Q @ K.transpose(0, 2, 1), V, mask[0], mask[1], options.get("use_causal_mask", False))
    np.testing.assert_allclose(out.numpy(), expected[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights.numpy(), expected[1], rtol=1e-10, atol=1e-12)


def test_concat_and_additive_scores_match_numpy():
    concat = layers.Attention(score_mode="concat", dtype="float64")
    concat([Q, V, K])
    concat.set_weights([np.array(1.5)])
    scores = 1.5 * np.tanh(Q[:, :, None, :] + K[:, None, :, :]).sum(-1)
    np.testing.assert_allclose(concat([Q, V, K]).numpy(), reference(scores, V)[0], rtol=1e-10)
    additive = layers.AdditiveAttention(dtype="float64")
    additive([Q, V, K])
    scale = RNG.normal(size=4)
    additive.set_weights([scale])
    scores = (scale * np.tanh(Q[:, :, None, :] + K[:, None, :, :])).sum(-1)
    np.testing.assert_allclose(additive([Q, V, K]).numpy(), reference(scores, V)[0], rtol=1e-10)
    np.testing.assert_allclose(additive([Q, V]).numpy(), reference(
        (scale * np.tanh(Q[:, :, None, :] + V[:, None, :, :])).sum(-1), V)[0], rtol=1e-10)  # key defaults to value


@pytest.mark.parametrize("make", [lambda: layers.Attention(use_scale=True, dtype="float64"),
                                  lambda: layers.Attention(score_mode="concat", dtype="float64"),
                                  lambda: layers.AdditiveAttention(dtype="float64")],
                         ids=["dot", "concat", "additive"])
def test_gradients_match_finite_differences(make, backend):
    layer = make()
    arrays = [Q.copy(), V.copy(), K.copy()]
    layer(arrays)
    cotangent = RNG.normal(size=(2, 3, 4))

    def objective():
        with ops.stop_recording():
            return float(np.sum(layer(arrays, mask=[Q_MASK, V_MASK]).numpy() * cotangent))

    tensors = [ops.convert_to_tensor(a) for a in arrays]
    with ops.GradientTape() as tape:
        for t in tensors:
            tape.watch(t)
        loss = ops.sum(ops.multiply(layer(tensors, mask=[Q_MASK, V_MASK]), cotangent))
    grads = tape.gradient(loss, tensors + layer.trainable_weights)
    for array, grad in zip(arrays, grads[:3]):
        np.testing.assert_allclose(grad.numpy(), central_difference(lambda _: objective(), array), rtol=1e-4,
                                   atol=1e-7)
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads[3:], objective, rtol=1e-4,
                                                     atol=1e-7)


def test_dropout_applies_only_while_training():
    layer = layers.Attention(dropout=0.5, seed=1)
    inputs = [Q.astype("float32"), V.astype("float32")]
    np.testing.assert_array_equal(layer(inputs).numpy(), layer(inputs, training=False).numpy())
    _, weights = layer(inputs, training=True, return_attention_scores=True)
    assert set(np.round(np.unique(weights.numpy() == 0), 0)) == {False, True}


def functional(K=ks):
    query, value = K.Input((3, 4), name="query"), K.Input((5, 4), name="value")
    attended, scores = K.layers.Attention(use_scale=True, name="att")([query, value], use_causal_mask=True,
                                                                     return_attention_scores=True)
    additive = K.layers.AdditiveAttention(name="add_att")([query, value, value])
    return K.Model([query, value], [attended, scores, additive], name="attention")


def test_functional_model_with_two_outputs_and_call_options():
    model = functional()
    assert [tuple(t.shape) for t in model.outputs] == [(None, 3, 4), (None, 3, 5), (None, 3, 4)]
    out, scores, _ = model.predict([Q, V], verbose=0)
    np.testing.assert_allclose(scores[0], np.tril(scores[0]))  # causal: nothing above the diagonal
    np.testing.assert_allclose(out, scores @ V, rtol=1e-5, atol=1e-6)


def single_output(K=ks):
    query, value = K.Input((3, 4), name="query"), K.Input((5, 4), name="value")
    attended = K.layers.Attention(use_scale=True, name="att")([query, value], use_causal_mask=True)
    additive = K.layers.AdditiveAttention(name="add_att")([query, value, value])
    return K.Model([query, value], K.layers.Concatenate(name="cat")([attended, additive]), name="attention")


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
def test_save_and_load_predicts_the_same(tmp_path, filename):
    model = single_output()
    for w in model.weights:
        w.assign(w.numpy() + 0.3)
    model.save(tmp_path / filename)
    restored = ks.models.load_model(tmp_path / filename)
    np.testing.assert_array_equal(restored.predict([Q, V], verbose=0), model.predict([Q, V], verbose=0))


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
def test_save_and_load_with_the_attention_scores_as_an_output(tmp_path, filename):
    model = functional()
    for w in model.weights:
        w.assign(w.numpy() + 0.3)
    model.save(tmp_path / filename)
    restored = ks.models.load_model(tmp_path / filename)
    for a, b in zip(restored.predict([Q, V], verbose=0), model.predict([Q, V], verbose=0)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("layer", [layers.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=3),
                                   layers.AdditiveAttention(use_scale=False, dropout=0.2)], ids=type)
def test_config_round_trip(layer):
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert "score_mode" not in layers.AdditiveAttention().get_config()


@pytest.mark.parametrize("make,match", [
    (lambda: layers.Attention(score_mode="general"), "argument `score_mode`"),
    (lambda: layers.Attention(dropout=1.5), "argument `rate`"),
    (lambda: layers.Attention()(Q), "must be called on a list"),
    (lambda: layers.Attention()([Q]), "must be called on a list"),
])
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()
