"""Layers under ``mixed_float16``: float32 weights, float16 computations and outputs, float32 gradients.

Each test runs on every backend that stores float16 (numpy; OpenCL refuses, tested below) and compares
with the same layer in float32 (or float64 finite differences), which is the oracle.
"""

import warnings

import numpy as np
import pytest
from finite_differences import central_difference
from mixed_helpers import CPU_WARNING, stores_float16

import kerasette as ks
from kerasette import layers, ops
from kerasette.layers import autocast

pytestmark = pytest.mark.filterwarnings(CPU_WARNING)
RNG = np.random.default_rng(7)


def _pair(make, x):
    """The same layer built as mixed_float16 and as float32 (same weights), and both outputs on ``x``."""
    mixed, plain = make("mixed_float16"), make("float32")
    mixed.build(x.shape)
    plain.build(x.shape)
    plain.set_weights(mixed.get_weights())
    return mixed, plain


@pytest.mark.parametrize("make", [
    lambda dtype: layers.Dense(5, activation="relu", dtype=dtype),
    lambda dtype: layers.Conv2D(4, 3, padding="same", activation="relu", dtype=dtype),
], ids=["dense", "conv2d"])
def test_weights_stay_float32_outputs_are_float16(mixed_backend, make):
    x = RNG.normal(size=(2, 6, 6, 3) if "Conv" in repr(make("float32")) else (4, 3)).astype("float32")
    mixed, plain = _pair(make, x)
    out = mixed(x)
    assert out.dtype == "float16"
    assert [w.dtype for w in mixed.weights] == ["float32", "float32"]
    assert all(w.numpy().dtype == np.float32 for w in mixed.weights)
    np.testing.assert_allclose(out.numpy().astype("float32"), plain(x).numpy(), rtol=5e-3, atol=5e-3)


def test_integer_inputs_are_not_cast(mixed_backend):
    layer = layers.Embedding(10, 3, dtype="mixed_float16")
    out = layer(np.array([[1, 2]], "int32"))
    assert out.dtype == "float16" and layer.embeddings.dtype == "float32"


def test_gradients_reach_the_float32_weights(mixed_backend):
    """The tape's gradient of a float16 computation, cast back to float32, against float64 finite differences."""
    x = RNG.normal(size=(6, 4)).astype("float32")
    mixed = layers.Dense(3, activation="tanh", dtype="mixed_float16")
    exact = layers.Dense(3, activation="tanh", dtype="float64")
    mixed.build(x.shape)
    exact.build(x.shape)
    with ops.GradientTape() as tape:
        loss = ops.sum(ops.cast(mixed(x), "float32") ** 2)
    grad_kernel, grad_bias = tape.gradient(loss, [mixed.kernel, mixed.bias])
    assert grad_kernel.dtype == grad_bias.dtype == "float32"

    kernel = mixed.kernel.numpy().astype("float64")
    bias = mixed.bias.numpy().astype("float64")

    def exact_loss(_):
        exact.set_weights([kernel, bias])
        return float(ops.sum(exact(x.astype("float64")) ** 2).numpy())

    scale = np.abs(central_difference(exact_loss, kernel)).max()
    np.testing.assert_allclose(grad_kernel.numpy(), central_difference(exact_loss, kernel), atol=1e-2 * scale)
    np.testing.assert_allclose(grad_bias.numpy(), central_difference(exact_loss, bias), atol=1e-2 * scale)


def test_batch_normalization_keeps_float32_statistics(mixed_backend):
    x = (RNG.normal(size=(16, 5)) * 300 + 1000).astype("float32")  # float16 sums of squares would overflow
    mixed, plain = _pair(lambda dtype: layers.BatchNormalization(dtype=dtype), x)
    out = mixed(x, training=True)
    expected = plain(x.astype("float16").astype("float32"), training=True)  # the same float16-rounded inputs
    assert out.dtype == "float16"
    assert {w.dtype for w in mixed.weights} == {"float32"}
    assert np.isfinite(mixed.moving_variance.numpy()).all()
    np.testing.assert_allclose(mixed.moving_variance.numpy(), plain.moving_variance.numpy(), rtol=1e-5)
    np.testing.assert_allclose(mixed.moving_mean.numpy(), plain.moving_mean.numpy(), rtol=1e-5)
    np.testing.assert_allclose(out.numpy().astype("float32"), expected.numpy(), atol=5e-3)


def test_final_float32_softmax_losses_and_metrics_run_in_float32(mixed_backend):
    ks.mixed_precision.set_global_policy("mixed_float16")
    inputs = ks.Input((4,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    logits = layers.Dense(3)(hidden)
    outputs = layers.Activation("softmax", dtype="float32")(logits)
    model = ks.Model(inputs, outputs)
    assert hidden.dtype == logits.dtype == "float16" and outputs.dtype == "float32"
    x = RNG.normal(size=(8, 4)).astype("float32")
    y = RNG.integers(0, 3, size=8)
    assert model(x).dtype == "float32"
    half_head = ks.Model(inputs, logits)
    loss = ks.losses.SparseCategoricalCrossentropy(from_logits=True)(y, half_head(x))
    assert loss.dtype == "float32"  # a float16 prediction is lifted to float32 before the loss
    np.testing.assert_allclose(
        float(loss), float(ks.losses.SparseCategoricalCrossentropy(from_logits=True)(
            y, ops.cast(half_head(x), "float32"))), rtol=1e-6)


def test_a_float32_layer_inside_a_mixed_model_reads_float32_weights(mixed_backend):
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = layers.Dense(2, dtype="float32")

        def call(self, x):
            return self.inner(x)

    block = Block(dtype="mixed_float16")
    out = block(np.ones((1, 3), "float32"))
    assert out.dtype == "float32"  # the inner layer's own policy wins
    assert block.inner.kernel.dtype == "float32"


def test_numpy_warns_once_that_float16_is_slower_on_a_cpu(backend):
    if backend.name != "numpy":
        pytest.skip("the warning is the numpy backend's")
    autocast.reset_warning()
    layer = layers.Dense(2, dtype="mixed_float16")
    with pytest.warns(UserWarning, match="'mixed_float16' computes in float16 on the numpy backend.*slower") as seen:
        layer(np.ones((1, 3), "float32"))
    assert len(seen) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(np.ones((1, 3), "float32"))  # once per process
        layers.Dense(2)(np.ones((1, 3), "float32"))  # float32 layers never warn


def test_a_backend_without_float16_refuses_clearly(backend):
    if stores_float16(backend):
        pytest.skip(f"the {backend.name} backend computes in float16 (tested above)")
    with pytest.raises(ValueError, match="'mixed_float16' is not supported by the active backend 'opencl'.*"
                                         "does not support dtype float16"):
        ks.mixed_precision.set_global_policy("mixed_float16")
    assert ks.mixed_precision.global_policy().name == "float32"
    layer = layers.Dense(2, dtype="mixed_float16")  # a per-layer policy fails when the layer first computes
    with pytest.raises(TypeError, match="does not support dtype float16.*mixed_float16"):
        layer(np.ones((1, 3), "float32"))
    assert not layer.built and not layer.weights  # nothing created, so no wrong result can follow


def _small_cnn(policy):
    ks.mixed_precision.set_global_policy(policy)
    ks.utils.set_random_seed(4)
    model = ks.Sequential([
        ks.Input((8, 8, 1)), layers.Conv2D(6, 3, padding="same", activation="relu"), layers.BatchNormalization(),
        layers.MaxPooling2D(2), layers.Conv2D(8, 3, activation="relu"), layers.AveragePooling2D(2),
        layers.Flatten(), layers.Dropout(0.25), layers.Dense(2), layers.Activation("softmax", dtype="float32"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ks.mixed_precision.set_global_policy("float32")
    return model


def test_a_cnn_with_every_layer_kind_trains_as_in_float32(mixed_backend):
    """Conv2D, BatchNormalization, both poolings, Dropout, Dense and a float32 softmax, through fit."""
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(96, 8, 8, 1)).astype("float32")
    y = (x[:, :, :4].mean(axis=(1, 2, 3)) > x[:, :, 4:].mean(axis=(1, 2, 3))).astype("int64")
    histories = {}
    for policy in ("float32", "mixed_float16"):
        model = _small_cnn(policy)
        histories[policy] = model.fit(x, y, batch_size=16, epochs=20, verbose=0, shuffle=False).history
    plain, mixed = histories["float32"], histories["mixed_float16"]
    assert model.layers[1].moving_variance.dtype == "float32" and model.layers[0].compute_dtype == "float16"
    assert isinstance(model.optimizer, ks.optimizers.LossScaleOptimizer)
    # It learned: over seeds 0-7 this model's last-epoch loss was 0.64-0.88 of its first (dropout changes the path).
    assert mixed["loss"][-1] < 0.9 * mixed["loss"][0]
    np.testing.assert_allclose(mixed["loss"], plain["loss"], rtol=0.03)  # and followed float32's path
    assert abs(mixed["accuracy"][-1] - plain["accuracy"][-1]) <= 2 / 96


def test_metrics_of_float16_outputs_are_computed_in_float32(mixed_backend):
    ks.utils.set_random_seed(1)
    model = ks.Sequential([ks.Input((4,)), layers.Dense(3, dtype="mixed_float16")])  # a float16 output
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = RNG.normal(size=(32, 4)).astype("float32")
    y = (RNG.normal(size=(32, 3)) * 100).astype("float32")  # float16 sums of these would round by ~0.1
    pred = model.predict(x, verbose=0)
    assert pred.dtype == np.float16
    loss, mae = model.evaluate(x, y, batch_size=32, verbose=0)
    exact = pred.astype("float64")
    np.testing.assert_allclose(mae, np.abs(y - exact).mean(), rtol=1e-6)
    np.testing.assert_allclose(loss, ((y - exact) ** 2).mean(), rtol=1e-6)
