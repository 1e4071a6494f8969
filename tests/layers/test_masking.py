"""Masks as Keras 3 carries them: set by Embedding(mask_zero=True) and Masking, passed to layers that take
`mask`, propagated by the layers that support masking, and honoured by pooling, losses and metrics."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops

TOKENS = np.array([[1, 2, 0, 0], [3, 0, 0, 0], [4, 5, 6, 7]])


def test_embedding_mask_reaches_a_layer_that_takes_mask(backend):
    seen = {}

    class Probe(layers.Layer):
        supports_masking = True

        def call(self, inputs, mask=None):
            seen["mask"] = None if mask is None else np.asarray(mask)
            return inputs

    inputs = ks.Input((4,), dtype="int32")
    model = ks.Model(inputs, Probe()(layers.Dense(3)(layers.Embedding(10, 2, mask_zero=True)(inputs))))
    out = model(TOKENS)
    np.testing.assert_array_equal(seen["mask"], TOKENS != 0)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), TOKENS != 0)


def test_global_average_pooling_averages_the_kept_steps_only(backend):
    inputs = ks.Input((4,), dtype="int32")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    model = ks.Model(inputs, layers.GlobalAveragePooling1D()(embedded))
    table = model.layers[1].get_weights()[0]
    expected = np.stack([table[row[row != 0]].mean(axis=0) for row in TOKENS])
    np.testing.assert_allclose(np.asarray(model(TOKENS)), expected, rtol=1e-6)


def test_masking_layer_zeroes_and_masks_padding_steps(backend):
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]], "float32")
    out = layers.Masking()(x)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, False, True]])
    np.testing.assert_array_equal(np.asarray(out), x)
    out = layers.Masking(mask_value=3.0)(np.full((1, 2, 2), 3.0, "float32"))
    np.testing.assert_array_equal(np.asarray(out), 0.0)


def test_losses_and_metrics_leave_masked_steps_out(backend):
    y = np.random.default_rng(0).normal(size=(3, 4, 1)).astype("float32")
    inputs = ks.Input((4,), dtype="int32")
    model = ks.Model(inputs, layers.Dense(1)(layers.Embedding(10, 3, mask_zero=True)(inputs)))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    loss, mae = model.evaluate(TOKENS, y, verbose=0)
    errors = (model.predict(TOKENS, verbose=0) - y)[..., 0][TOKENS != 0]
    assert loss == pytest.approx(float(np.mean(errors ** 2)), rel=1e-5)
    assert mae == pytest.approx(float(np.mean(np.abs(errors))), rel=1e-5)


def test_merge_masks():
    a = ops.ones((2, 3, 1))
    b = ops.ones((2, 3, 1))
    a._keras_mask = ops.convert_to_tensor(np.array([[True, True, False], [True, False, False]]))
    b._keras_mask = ops.convert_to_tensor(np.array([[True, False, True], [True, True, False]]))
    np.testing.assert_array_equal(np.asarray(layers.Add()([a, b])._keras_mask),
                                  [[True, False, False], [True, False, False]])
    c = ops.ones((2, 3, 1))  # no mask: counts as all kept
    np.testing.assert_array_equal(np.asarray(layers.Concatenate()([a, c])._keras_mask), [[True] * 3, [True] * 3])


def test_a_layer_without_mask_support_warns_that_the_mask_ends_there():
    embedded = layers.Embedding(10, 2, mask_zero=True)(TOKENS)
    with pytest.warns(UserWarning, match="does not support masking"):
        out = layers.Flatten()(embedded)
    assert out._keras_mask is None


def test_a_layer_that_overrides_compute_mask_supports_masking():
    class KeepFirst(layers.Layer):
        def call(self, inputs):
            return inputs

        def compute_mask(self, inputs, previous_mask=None):
            return ops.not_equal(ops.arange(inputs.shape[1]), -1) if previous_mask is None else previous_mask

    assert KeepFirst().supports_masking and not layers.Flatten().supports_masking
    assert KeepFirst()(np.ones((2, 3), "float32"))._keras_mask is not None


def test_an_explicit_mask_argument_wins():
    seen = {}

    class Probe(layers.Layer):
        supports_masking = True

        def call(self, inputs, mask=None):
            seen["mask"] = np.asarray(mask)
            return inputs

    embedded = layers.Embedding(10, 2, mask_zero=True)(TOKENS)
    Probe()(embedded, mask=np.ones((3, 4), bool))
    assert seen["mask"].all()
