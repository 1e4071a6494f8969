"""The PruneLowMagnitude wrapper: forward with masked weights, gradients, variables, config, errors."""

import numpy as np
import pytest
from finite_differences import central_difference

import kerasette as keras
from kerasette import layers, ops, pruning


def random_mask(shape, seed=0, keep=0.4):
    return (np.random.default_rng(seed).random(shape) < keep).astype("float32")


def wrap_and_mask(layer, x, seed=0):
    """Wrap ``layer``, build it on ``x``, give every mask random zeros; return (wrapper, masks)."""
    wrapper = pruning.PruneLowMagnitude(layer)
    wrapper(x)
    masks = []
    for _, mask, _ in wrapper.pruning_vars:
        value = random_mask(mask.shape, seed + len(masks))
        mask.assign(value)
        masks.append(value)
    return wrapper, masks


CASES = {
    "dense": (lambda: layers.Dense(5, activation="tanh"), (3, 4), "float32"),
    "conv2d": (lambda: layers.Conv2D(3, 3, padding="same"), (2, 5, 5, 2), "float32"),
    "separable": (lambda: layers.SeparableConv2D(4, 3), (2, 6, 6, 3), "float32"),
    "conv1d_transpose": (lambda: layers.Conv1DTranspose(2, 3), (2, 5, 3), "float32"),
    "embedding": (lambda: layers.Embedding(10, 4), (3, 5), "int32"),
    "lstm": (lambda: layers.LSTM(3), (2, 4, 5), "float32"),
    "gru": (lambda: layers.GRU(3, return_sequences=True), (2, 4, 5), "float32"),
    "einsum_dense": (lambda: layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c"), (3, 5), "float32"),
}


def inputs_for(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "int32":
        return rng.integers(0, 10, size=shape).astype("int32")
    return rng.normal(size=shape).astype("float32")


@pytest.mark.parametrize("case", sorted(CASES))
def test_forward_equals_the_layer_with_masked_weights(backend, case):
    build, shape, dtype = CASES[case]
    x = inputs_for(shape, dtype)
    layer = build()
    wrapper, masks = wrap_and_mask(layer, x)
    assert len(masks) == len(wrapper.prunable_weights) >= 1
    dense_values = [w.numpy() for w in wrapper.prunable_weights]
    out = wrapper(x).numpy()
    # the wrapped layer's weights are untouched by a call: the mask is applied to the value used
    for weight, before in zip(wrapper.prunable_weights, dense_values):
        np.testing.assert_array_equal(weight.numpy(), before)
    for weight, mask in zip(wrapper.prunable_weights, masks):
        weight.assign(weight.numpy() * mask)
    np.testing.assert_allclose(out, layer(x).numpy(), rtol=1e-5, atol=1e-6)


def test_recurrent_layers_prune_kernel_and_recurrent_kernel():
    wrapper = pruning.PruneLowMagnitude(layers.LSTM(3))
    wrapper(np.zeros((1, 2, 4), "float32"))
    assert [w.name for w in wrapper.prunable_weights] == ["kernel", "recurrent_kernel"]
    assert [v.name for v in wrapper.non_trainable_weights] == ["mask", "threshold", "mask_1", "threshold_1",
                                                               "pruning_step"]


def assert_kernel_gradient_matches_finite_differences(wrapper, x):
    """The tape's gradient of sum(wrapper(x)^2) for the wrapped layer's kernel, checked against central
    differences and returned."""
    kernel = wrapper.layer.kernel
    value = kernel.numpy().copy()

    def loss(k):
        kernel.assign(k)
        return float(ops.sum(ops.square(wrapper(x))).numpy())

    with ops.GradientTape() as tape:
        out = ops.sum(ops.square(wrapper(x)))
    grad = tape.gradient(out, [kernel])[0].numpy()
    np.testing.assert_allclose(grad, central_difference(loss, value), rtol=1e-6, atol=1e-8)
    return grad


def test_gradients_of_the_wrapper_match_finite_differences(backend):
    x = np.random.default_rng(3).normal(size=(4, 3))
    wrapper, masks = wrap_and_mask(layers.Dense(2, activation="tanh", dtype="float64"), x)
    grad = assert_kernel_gradient_matches_finite_differences(wrapper, x)
    assert np.all(grad[masks[0] == 0] == 0)  # pruned weights get no gradient
    assert np.any(grad[masks[0] == 1] != 0)


def test_conv_gradients_match_finite_differences(backend):
    x = np.random.default_rng(4).normal(size=(2, 4, 4, 2))
    wrapper, masks = wrap_and_mask(layers.Conv2D(2, 2, dtype="float64"), x, seed=5)
    grad = assert_kernel_gradient_matches_finite_differences(wrapper, x)
    assert np.all(grad[masks[0] == 0] == 0)


def test_variables_names_paths_and_initial_values():
    wrapper = pruning.prune_low_magnitude(layers.Dense(3, name="dense"))
    wrapper.build((None, 4))
    assert wrapper.name == "prune_low_magnitude_dense"
    assert [v.path for v in wrapper.trainable_weights] == ["dense/kernel", "dense/bias"]
    assert [v.path for v in wrapper.non_trainable_weights] == [
        "prune_low_magnitude_dense/mask", "prune_low_magnitude_dense/threshold",
        "prune_low_magnitude_dense/pruning_step"]
    assert wrapper.pruning_step.dtype == "int64" and int(wrapper.pruning_step.numpy()) == -1
    assert wrapper.pruning_vars[0][1].numpy().tolist() == np.ones((4, 3)).tolist()
    assert float(wrapper.pruning_vars[0][2].numpy()) == 0.0


def test_layers_without_prunable_weights_are_wrapped_unchanged(backend):
    x = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype("float32")
    for layer in [layers.BatchNormalization(), layers.MaxPooling2D(), layers.Flatten(), layers.Dropout(0.5),
                  layers.DepthwiseConv2D(3)]:
        wrapper = pruning.PruneLowMagnitude(layer)
        np.testing.assert_allclose(wrapper(x).numpy(), layer(x).numpy(), rtol=1e-6)
        assert wrapper.prunable_weights == [] and [v.name for v in wrapper.non_trainable_weights
                                                   if v.path.startswith(wrapper.name)] == ["pruning_step"]


class ScaleLayer(layers.Layer, pruning.PrunableLayer):
    def build(self, input_shape):
        self.scale = self.add_weight((input_shape[-1],), initializer="ones", name="scale")

    def call(self, inputs):
        return ops.multiply(inputs, self.scale)

    def get_prunable_weights(self):
        return [self.scale]


class HiddenWeightLayer(layers.Layer):
    """Keeps its weight only in a list, so the wrapper cannot substitute it: it writes weight * mask instead."""

    def build(self, input_shape):
        self.held = [self.add_weight((input_shape[-1],), initializer="ones", name="w")]

    def call(self, inputs):
        return ops.multiply(inputs, self.held[0])

    def get_prunable_weights(self):
        return list(self.held)


def test_custom_prunable_layers(backend):
    x = np.ones((1, 4), "float32")
    wrapper, masks = wrap_and_mask(ScaleLayer(), x, seed=7)
    np.testing.assert_array_equal(wrapper(x).numpy(), masks[0][None])
    hidden, hidden_masks = wrap_and_mask(HiddenWeightLayer(), x, seed=8)
    np.testing.assert_array_equal(hidden(x).numpy(), hidden_masks[0][None])
    np.testing.assert_array_equal(hidden.layer.held[0].numpy(), hidden_masks[0])  # TF-MOT's way: assigned


def test_unsupported_layers_raise_tf_mot_error_naming_the_layer():
    class Custom(layers.Layer):
        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match=r"Please initialize `Prune` with a supported layer.*Custom.*`my_custom`"):
        pruning.prune_low_magnitude(Custom(name="my_custom"))
    with pytest.raises(ValueError, match="supported layer.*`td`"):
        pruning.prune_low_magnitude(layers.TimeDistributed(layers.Dense(2), name="td"))
    model = keras.Sequential([keras.Input((3, 2)), layers.Dense(2), Custom(name="odd_one")])
    with pytest.raises(ValueError, match="`odd_one`"):
        pruning.prune_low_magnitude(model)
    with pytest.raises(ValueError, match="with a `Layer` instance"):
        pruning.PruneLowMagnitude("dense")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"block_pooling_type": "MIN"}, ValueError, "Unsupported pooling type 'MIN'"),
    ({"block_size": (2,)}, ValueError, "`block_size`"),
    ({"block_size": (0, 2)}, ValueError, "`block_size`"),
    ({"sparsity_m_by_n": (4, 2)}, ValueError, "0 <= m < n"),
    ({"sparsity_m_by_n": (2, 4.0)}, ValueError, "`sparsity_m_by_n`"),
    ({"sparsity_m_by_n": (2, 4), "block_size": (2, 2)}, ValueError, "cannot be combined"),
    ({"pruning_schedule": 0.5}, ValueError, "`pruning_schedule`"),
    ({"pruning_policy": object()}, NotImplementedError, "`pruning_policy`"),
])
def test_invalid_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        pruning.prune_low_magnitude(layers.Dense(2), **kwargs)


def test_block_and_m_by_n_rank_requirements():
    with pytest.raises(ValueError, match="Block sparsity can only be used for layers which have 2-dimensional"):
        pruning.prune_low_magnitude(layers.Conv2D(2, 3), block_size=(2, 2))(np.zeros((1, 5, 5, 1), "float32"))
    with pytest.raises(ValueError, match="`sparsity_m_by_n` can only be used.*`conv1d`"):
        pruning.prune_low_magnitude(layers.Conv1D(2, 3, name="conv1d"), sparsity_m_by_n=(2, 4))(
            np.zeros((1, 5, 4), "float32"))


def test_keyword_arguments_only_for_a_single_layer():
    wrapper = pruning.prune_low_magnitude(layers.Dense(2), name="custom_name", trainable=False)
    assert wrapper.name == "custom_name" and not wrapper.trainable
    with pytest.raises(TypeError, match=r"\['name'\]"):
        pruning.prune_low_magnitude(keras.Sequential([keras.Input((2,)), layers.Dense(2)]), name="x")
    with pytest.raises(ValueError, match="can only prune an object"):
        pruning.prune_low_magnitude("model")


def test_config_round_trip():
    wrapper = pruning.prune_low_magnitude(layers.Dense(3, activation="relu", name="dense"),
                                          pruning_schedule=pruning.PolynomialDecay(0.1, 0.7, 5, 50, frequency=5),
                                          block_size=(2, 1), block_pooling_type="MAX")
    config = wrapper.get_config()
    assert config["pruning_schedule"] == {"class_name": "PolynomialDecay", "config": {
        "initial_sparsity": 0.1, "final_sparsity": 0.7, "power": 3, "begin_step": 5, "end_step": 50, "frequency": 5}}
    assert config["layer"]["class_name"] == "Dense" and config["name"] == "prune_low_magnitude_dense"
    restored = pruning.PruneLowMagnitude.from_config(config)
    assert restored.get_config() == config
    assert keras.layers.deserialize(keras.layers.serialize(wrapper)).get_config() == config


def test_tf_mot_config_without_m_by_n_loads():
    config = pruning.prune_low_magnitude(layers.Dense(3)).get_config()
    del config["sparsity_m_by_n"]
    assert pruning.PruneLowMagnitude.from_config(config).sparsity_m_by_n is None


def test_trainable_follows_the_wrapped_layer():
    wrapper = pruning.prune_low_magnitude(layers.Dense(2))
    wrapper.build((None, 3))
    wrapper.trainable = False
    assert not wrapper.layer.trainable and wrapper.trainable_weights == []
    wrapper.trainable = True
    assert [v.name for v in wrapper.trainable_weights] == ["kernel", "bias"]
    assert all(not v.trainable for v in wrapper.pruning_vars[0][1:])


def test_a_wrapped_first_layer_declares_the_sequential_input():
    model = keras.Sequential([pruning.prune_low_magnitude(layers.Dense(2, input_shape=(3,))), layers.Dense(1)])
    assert model.built and model.input_shape == (None, 3)


def test_inference_never_needs_the_callback(backend):
    wrapper = pruning.prune_low_magnitude(layers.Dense(2))
    x = np.ones((1, 3), "float32")
    wrapper(x, training=False)
    wrapper(x)
    assert int(wrapper.pruning_step.numpy()) == -1
    with pytest.raises(RuntimeError, match="requires the UpdatePruningStep callback"):
        wrapper(x, training=True)
