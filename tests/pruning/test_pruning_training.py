"""Training pruned models: the callback, target sparsity, zeros that stay zero, strip_pruning, model kinds."""

import numpy as np
import pruning_models as pm
import pytest

import kerasette as keras
from kerasette import layers, ops, pruning


def kernels(model):
    return {w.path: w for w in model.weights if w.name == "kernel"}


@pytest.mark.parametrize("sparsity", [0.5, 0.8])
def test_fit_reaches_the_target_sparsity(backend, sparsity):
    x, y = pm.data()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        pm.mlp(), pruning_schedule=pruning.ConstantSparsity(sparsity, begin_step=0, frequency=1)))
    pruned.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    sizes = {"h1/kernel": 8 * 16, "h2/kernel": 16 * 12, "probs/kernel": 12 * 3}
    assert pruning.get_sparsity(pruned) == pytest.approx(
        {path: pm.expected_sparsity(size, sparsity) for path, size in sizes.items()})
    for path, kernel in kernels(pruned).items():  # the zeros are in the weights themselves
        assert np.mean(kernel.numpy() == 0) == pytest.approx(pm.expected_sparsity(sizes[path], sparsity))


def test_pruned_weights_stay_zero_after_every_training_step(backend):
    x, y = pm.data()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        pm.mlp(), pruning_schedule=pruning.PolynomialDecay(0.3, 0.9, begin_step=1, end_step=10, frequency=3)))
    wrappers = [layer for layer in pruned.layers if layer.pruning_vars]
    seen = []

    def check(batch, logs):
        zeros = {}
        for wrapper in wrappers:
            for weight, mask, _ in wrapper.pruning_vars:
                value, mask_value = weight.numpy(), mask.numpy()
                assert np.all(value[mask_value == 0] == 0), (wrapper.name, batch)
                zeros[weight.path] = value == 0
        if seen:  # with masked gradients a pruned weight never comes back, even under Adam's momentum
            for path, now in zeros.items():
                assert np.all(now[seen[-1][path]]), path
        seen.append(zeros)

    pruned.fit(x, y, batch_size=8, epochs=2, verbose=0,
               callbacks=[pruning.UpdatePruningStep(), keras.callbacks.LambdaCallback(on_train_batch_end=check)])
    assert len(seen) == 16
    assert int(wrappers[0].pruning_step.numpy()) == 16
    assert pruning.get_sparsity(pruned)["h2/kernel"] == pytest.approx(pm.expected_sparsity(192, 0.9))


def test_training_without_the_callback_raises_tf_mot_error(backend):
    x, y = pm.data()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(pm.mlp()))
    with pytest.raises(RuntimeError, match="Prune\\(\\) wrapper requires the UpdatePruningStep callback"):
        pruned.fit(x, y, epochs=1, verbose=0)
    assert pruned.evaluate(x, y, verbose=0)[0] > 0  # inference is fine


def test_step_counting_follows_tf_mot(backend):
    """The first batch is step 1; masks change on begin_step + k * frequency only."""
    x, y = pm.data(n=40)
    schedule = pruning.ConstantSparsity(0.5, begin_step=3, frequency=100)
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(pm.mlp(), pruning_schedule=schedule))
    wrapper = pruned.layers[0]
    callback = pruning.UpdatePruningStep()
    pruned.fit(x[:16], y[:16], batch_size=8, epochs=1, verbose=0, callbacks=[callback])
    assert int(wrapper.pruning_step.numpy()) == 2 and pruning.get_sparsity(pruned)["h1/kernel"] == 0.0
    pruned.fit(x[:8], y[:8], batch_size=8, epochs=1, verbose=0, callbacks=[callback])  # step 3: prunes
    assert int(wrapper.pruning_step.numpy()) == 3 and pruning.get_sparsity(pruned)["h1/kernel"] == 0.5
    default = pm.compile_for_training(pruning.prune_low_magnitude(pm.mlp()))  # ConstantSparsity(0.5, 0): step 100
    default.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    assert pruning.get_sparsity(default)["h1/kernel"] == 0.0


def test_strip_pruning_returns_the_plain_model_with_the_same_outputs(backend):
    x, y = pm.data()
    original = pm.mlp()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        original, pruning_schedule=pruning.ConstantSparsity(0.6, 0, frequency=1)))
    pruned.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    stripped = pruning.strip_pruning(pruned)
    assert isinstance(stripped, keras.Sequential) and stripped.name == "mlp"
    assert [type(layer).__name__ for layer in stripped.layers] == ["Dense", "Dropout", "Dense", "Dense"]
    assert [layer.name for layer in stripped.layers] == [layer.name for layer in original.layers]
    assert stripped.input_shape == (None, 8)
    np.testing.assert_allclose(stripped.predict(x, verbose=0), pruned.predict(x, verbose=0), rtol=1e-6, atol=1e-7)
    assert pruning.get_sparsity(stripped) == pruning.get_sparsity(pruned)
    assert not stripped.compiled if hasattr(stripped, "compiled") else True


def test_strip_pruning_writes_the_masks_into_the_weights():
    wrapper = pruning.prune_low_magnitude(layers.Dense(4, name="d"))
    model = keras.Sequential([keras.Input((3,)), wrapper])
    mask = np.array([[1, 0, 0, 1]] * 3, "float32")
    wrapper.pruning_vars[0][1].assign(mask)  # a mask the weights do not reflect yet
    stripped = pruning.strip_pruning(model)
    np.testing.assert_array_equal(stripped.layers[0].kernel.numpy() == 0, mask == 0)
    with pytest.raises(ValueError, match="keras.Model"):
        pruning.strip_pruning(wrapper)


def test_pruning_one_layer_of_a_sequential_model(backend):
    x, y = pm.data()
    model = pm.compile_for_training(keras.Sequential([
        keras.Input((8,)),
        pruning.prune_low_magnitude(layers.Dense(16, activation="relu", name="pruned"),
                                    pruning_schedule=pruning.ConstantSparsity(0.75, 0, frequency=1)),
        layers.Dense(3, activation="softmax", name="dense_out"),
    ]))
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    assert pruning.get_sparsity(model) == {"pruned/kernel": 0.75, "dense_out/kernel": 0.0}
    assert [type(layer).__name__ for layer in pruning.strip_pruning(model).layers] == ["Dense", "Dense"]


def test_functional_model_with_two_branches(backend):
    x, y = pm.data()
    original = pm.two_branches()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        original, pruning_schedule=pruning.ConstantSparsity(0.5, 0, frequency=2)))
    names = [layer.name for layer in original.layers]  # Keras's order: the deeper branch first
    assert [layer.name for layer in pruned.layers] == names[:1] + ["prune_low_magnitude_" + n for n in names[1:]]
    pruned.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    sparsity = pruning.get_sparsity(pruned)
    assert sparsity == {"left/kernel": 0.5, "right/kernel": 0.5, "right2/kernel": 0.5, "probs/kernel": 0.5}
    stripped = pruning.strip_pruning(pruned)
    assert [layer.name for layer in stripped.layers] == names
    np.testing.assert_allclose(stripped.predict(x, verbose=0), pruned.predict(x, verbose=0), rtol=1e-6, atol=1e-7)


def test_shared_and_nested_layers():
    inputs = keras.Input((4,), name="a")
    shared = layers.Dense(4, name="shared")
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(4, name="inner_dense")], name="inner")
    outputs = inner(shared(shared(inputs)))
    pruned = pruning.prune_low_magnitude(keras.Model(inputs, outputs, name="outer"))
    names = [layer.name for layer in pruned.layers]
    assert names == ["a", "prune_low_magnitude_shared", "inner"]
    assert [layer.name for layer in pruned.layers[2].layers] == ["prune_low_magnitude_inner_dense"]
    x = np.ones((2, 4), "float32")
    stripped = pruning.strip_pruning(pruned)
    assert [layer.name for layer in stripped.layers[2].layers] == ["inner_dense"]
    np.testing.assert_allclose(stripped(x).numpy(), keras.Model(inputs, outputs)(x).numpy(), rtol=1e-6)


def test_the_pruned_model_shares_weights_with_the_original():
    original = pm.mlp()
    pruned = pruning.prune_low_magnitude(original)
    assert pruned.layers[0].layer is original.layers[0]
    assert pruned.layers[0].layer.kernel is original.layers[0].kernel


def test_subclassed_models_and_lists():
    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    with pytest.raises(ValueError, match="can only prune an object"):
        pruning.prune_low_magnitude(Sub())
    with pytest.raises(NotImplementedError, match="subclassed"):
        pruning.strip_pruning(Sub())
    input_layer = layers.InputLayer(shape=(3,))
    already = pruning.prune_low_magnitude(layers.Dense(2))
    wrapped = pruning.prune_low_magnitude([input_layer, layers.Dense(2, name="d"), already])
    assert type(wrapped[0]).__name__ == "InputLayer" and wrapped[0] is not input_layer
    assert wrapped[1].name == "prune_low_magnitude_d" and wrapped[2] is already


def test_custom_training_loop_with_the_callback_hooks(backend):
    x, y = pm.data(n=32)
    pruned = pruning.prune_low_magnitude(pm.mlp(), pruning_schedule=pruning.ConstantSparsity(0.5, 0, frequency=1))
    optimizer = keras.optimizers.SGD(0.1)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    callback = pruning.UpdatePruningStep()
    callback.set_model(pruned)
    callback.on_train_begin()
    for batch in range(2):
        callback.on_train_batch_begin(batch)
        with ops.GradientTape() as tape:
            loss = loss_fn(y, pruned(x, training=True))
        grads = tape.gradient(loss, pruned.trainable_variables)
        optimizer.apply(grads, pruned.trainable_variables)
        callback.on_train_batch_end(batch)
    assert set(pruning.get_sparsity(pruned).values()) == {0.5}


@pytest.mark.parametrize("pooling", ["AVG", "MAX"])
def test_block_sparsity_in_training(backend, pooling):
    x, y = pm.data()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        pm.mlp(), pruning_schedule=pruning.ConstantSparsity(0.5, 0, frequency=1), block_size=(2, 4),
        block_pooling_type=pooling))
    pruned.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    kernel = pruned.layers[2].layer.kernel.numpy()  # h2: 16 x 12 -> 8 x 3 blocks
    blocks = (kernel.reshape(8, 2, 3, 4) == 0).all(axis=(1, 3))
    assert blocks.sum() == 12 and (kernel == 0).sum() == 12 * 8


def test_m_by_n_sparsity_in_training(backend):
    x, y = pm.data()
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(pm.mlp(), sparsity_m_by_n=(2, 4)))
    pruned.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    kernel = pruned.layers[2].layer.kernel.numpy()  # (16 in, 12 out): groups of 4 input channels
    assert ((kernel.reshape(4, 4, 12) == 0).sum(axis=1) >= 2).all()
    assert pruning.get_sparsity(pruned)["h2/kernel"] == pytest.approx(0.5)
    assert float(pruned.layers[2].pruning_vars[0][2].numpy()) == 999.0


def test_cnn_with_batch_normalization(backend):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 8, 8, 1)).astype("float32"), rng.integers(0, 3, 16)
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        pm.small_cnn(), pruning_schedule=pruning.ConstantSparsity(0.75, 0, frequency=1)))
    pruned.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[pruning.UpdatePruningStep()])
    assert pruning.get_sparsity(pruned) == {"conv/kernel": pytest.approx(pm.expected_sparsity(36, 0.75)),
                                            "probs/kernel": 0.75}
    stripped = pruning.strip_pruning(pruned)
    np.testing.assert_allclose(stripped.predict(x, verbose=0), pruned.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_pruning_summaries_log_sparsity_and_thresholds(tmp_path):
    pytest.importorskip("tensorboard")
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "callbacks"))
    from tensorboard_reading import read_run, scalars

    x, y = pm.data(n=32)
    pruned = pm.compile_for_training(pruning.prune_low_magnitude(
        pm.mlp(), pruning_schedule=pruning.ConstantSparsity(0.5, 0, frequency=1)))
    pruned.fit(x, y, batch_size=16, epochs=2, verbose=0,
               callbacks=[pruning.UpdatePruningStep(), pruning.PruningSummaries(log_dir=str(tmp_path))])
    run = read_run(tmp_path / "metrics")
    points = scalars(run, "prune_low_magnitude_h1/mask/sparsity")
    assert [step for step, _ in points] == [0, 2]
    assert points[0][1] == 0.0 and points[1][1] == pytest.approx(0.5)
    assert scalars(run, "prune_low_magnitude_h1/threshold/threshold")[1][1] > 0
    with pytest.raises(ValueError, match="`log_dir` must be a non-empty string"):
        pruning.PruningSummaries(log_dir="")
