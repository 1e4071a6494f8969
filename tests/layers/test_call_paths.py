"""Layer.__call__ takes a short path for a plain eager tensor (``Layer._call_plain``): same results, same
side effects as the general path, and every case it does not cover still goes the general way."""

import numpy as np
import pytest

import kerasette as keras
from kerasette import layers, ops
from kerasette.layers import layer as layer_module


def _plain_and_general(layer, x, **kwargs):
    """The layer's outputs for ``x`` as a Tensor (the short path) and as a numpy array (the general path)."""
    plain = layer(ops.convert_to_tensor(x), **kwargs)
    general = layer(np.asarray(x), **kwargs)
    return plain, general


@pytest.fixture
def counted(monkeypatch):
    """Counts the calls that the short path served (it returns the sentinel for the others)."""
    served = {"plain": 0, "general": 0}
    original = layer_module.Layer._call_plain

    def spy(self, x, training):
        result = original(self, x, training)
        served["general" if result is layer_module._NEEDS_GENERAL_CALL else "plain"] += 1
        return result

    monkeypatch.setattr(layer_module.Layer, "_call_plain", spy)
    return served


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.Dense(5, activation="relu"), (3, 4)),
    (lambda: layers.Conv2D(4, 3, activation="relu"), (2, 6, 6, 3)),
    (lambda: layers.MaxPooling2D(2), (2, 6, 6, 3)),
    (lambda: layers.Flatten(), (2, 3, 4)),
    (lambda: layers.LayerNormalization(), (3, 7)),
])
def test_plain_path_gives_the_general_result(make, shape, counted):
    keras.utils.set_random_seed(0)
    layer = make()
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    layer(x)  # built by the general path
    plain, general = _plain_and_general(layer, x)
    np.testing.assert_array_equal(plain.numpy(), general.numpy())
    assert counted["plain"] == 1


def test_training_flag_reaches_call_on_the_plain_path(counted):
    bn = layers.BatchNormalization(momentum=0.5)
    x = np.random.default_rng(1).normal(2.0, 3.0, size=(8, 3)).astype("float32")
    bn(x)
    before = bn.moving_mean.numpy().copy()
    bn(ops.convert_to_tensor(x), training=False)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), before)  # inference: moving statistics unchanged
    bn(ops.convert_to_tensor(x), training=True)
    assert np.abs(bn.moving_mean.numpy() - before).max() > 0.1  # training: they move toward the batch mean
    dropout = layers.Dropout(0.5, seed=1)
    ones = ops.ones((4, 100))
    np.testing.assert_array_equal(dropout(ones, training=False).numpy(), np.ones((4, 100)))
    assert (dropout(ones, training=True).numpy() == 0).any()
    assert counted == {"plain": 3, "general": 1}  # the Dropout's first call builds it: the general path


def test_cases_the_plain_path_leaves_to_the_general_one(counted):
    x = ops.convert_to_tensor(np.ones((2, 4), "float32"))
    # An activity regularizer adds its loss.
    regularized = layers.Dense(3, activity_regularizer="l2")
    regularized(x)
    regularized(x)
    assert len(regularized.losses) == 1 and float(regularized.losses[0]) > 0
    # A float64 tensor is cast to the layer's float32.
    dense = layers.Dense(3)
    assert dense(ops.convert_to_tensor(np.ones((2, 4)))).dtype == "float32"
    assert dense(ops.convert_to_tensor(np.ones((2, 4)))).dtype == "float32"
    # A mask on the input is passed on.
    embedded = layers.Embedding(5, 2, mask_zero=True)(ops.convert_to_tensor(np.array([[1, 0]])))
    kept = layers.Dense(2)
    kept(embedded)
    # A layer computing its own mask.
    masking = layers.Masking()
    assert masking(x)._keras_mask is not None
    assert counted["plain"] == 0  # every call above went the general way


def test_plain_path_keeps_the_build_checks():
    dense = layers.Dense(3)
    dense(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="dense"):
        dense(ops.convert_to_tensor(np.ones((2, 5), "float32")))
    conv = layers.Conv2D(2, 3)
    conv(np.ones((1, 5, 5, 1), "float32"))
    with pytest.raises(ValueError):
        conv(ops.convert_to_tensor(np.ones((5, 5, 1), "float32")))


def test_add_loss_losses_are_cleared_by_the_next_plain_call():
    class WithLoss(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.sum(inputs))
            return inputs

    layer = WithLoss()
    x = ops.convert_to_tensor(np.ones((2, 2), "float32"))
    layer(x)
    layer(x)
    assert len(layer.losses) == 1 and float(layer.losses[0]) == 4.0
