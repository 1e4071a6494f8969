"""Values and argument errors of the layers of issue 13 (the harness covers shapes, configs, gradients, training
and saving; tests/saving/test_saving_keras_interop_layers.py compares them with real Keras)."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers, ops
from kerasette.saving import UnsafeFileError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 5, 6)).astype("float32")


# ----- random layers: identity at inference, the documented noise while training -----------------------------
@pytest.mark.parametrize("layer", [layers.GaussianNoise(0.5), layers.GaussianDropout(0.4), layers.AlphaDropout(0.3),
                                   layers.SpatialDropout1D(0.5), layers.Dropout(0.5)], ids=lambda v: type(v).__name__)
def test_random_layers_are_the_identity_at_inference(layer):
    np.testing.assert_array_equal(layer(X).numpy(), X)
    np.testing.assert_array_equal(layer(X, training=False).numpy(), X)


def test_gaussian_noise_adds_noise_of_the_given_stddev(backend):
    x = np.zeros((200, 100), "float32")
    noise = layers.GaussianNoise(0.3, seed=1)(x, training=True).numpy()
    assert abs(noise.mean()) < 0.01 and noise.std() == pytest.approx(0.3, rel=0.02)


def test_gaussian_dropout_multiplies_by_noise_around_one(backend):
    out = layers.GaussianDropout(0.2, seed=1)(np.full((200, 100), 2.0, "float32"), training=True).numpy()
    assert out.mean() == pytest.approx(2.0, rel=0.01)
    assert out.std() == pytest.approx(2.0 * np.sqrt(0.2 / 0.8), rel=0.02)


def test_alpha_dropout_takes_two_values_per_input_and_keeps_the_moments(backend):
    rate, alpha_p = 0.25, -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * rate
    x = RNG.normal(size=(100, 200)).astype("float32")
    out = layers.AlphaDropout(rate, seed=2)(x, training=True).numpy()
    kept = np.isclose(out, a * x + b, atol=1e-5)
    np.testing.assert_allclose(out[~kept], a * alpha_p + b, rtol=1e-5)
    assert kept.mean() == pytest.approx(1 - rate, abs=0.01)
    assert abs(out.mean()) < 0.02 and out.std() == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("cls,shape", [(layers.SpatialDropout1D, (8, 5, 16)), (layers.SpatialDropout2D, (8, 3, 4, 16)),
                                       (layers.SpatialDropout3D, (8, 2, 3, 2, 16))])
def test_spatial_dropout_drops_whole_channels(cls, shape, backend):
    out = cls(0.5, seed=3)(np.ones(shape, "float32"), training=True).numpy()
    per_channel = out.reshape(shape[0], -1, shape[-1])
    assert (per_channel == per_channel[:, :1]).all()  # every position of a channel shares the mask
    assert set(np.unique(out)) == {0.0, 2.0}
    assert (per_channel[:, 0] == 0).mean() == pytest.approx(0.5, abs=0.15)


def test_seeded_random_layers_repeat_their_sequence():
    first, second = layers.GaussianNoise(1.0, seed=7), layers.GaussianNoise(1.0, seed=7)
    draws = [first(X, training=True).numpy() for _ in range(2)]
    np.testing.assert_array_equal(draws[0], second(X, training=True).numpy())
    assert not np.array_equal(draws[0], draws[1])


# ----- activations, normalization, flatten ---------------------------------------------------------------
def test_activation_layers_match_their_formulas():
    np.testing.assert_allclose(layers.LeakyReLU()(X).numpy(), np.where(X > 0, X, 0.3 * X), rtol=1e-6)
    np.testing.assert_allclose(layers.ELU(0.5)(X).numpy(), np.where(X > 0, X, 0.5 * np.expm1(X)), rtol=1e-5,
                               atol=1e-7)
    prelu = layers.PReLU(shared_axes=[1])
    prelu(X)
    alpha = RNG.normal(size=(1, 6)).astype("float32")
    prelu.set_weights([alpha])
    np.testing.assert_allclose(prelu(X).numpy(), np.where(X > 0, X, alpha * X), rtol=1e-6)


def test_leaky_relu_accepts_keras_2_alpha_with_a_warning():
    with pytest.warns(DeprecationWarning, match="`alpha` of LeakyReLU is deprecated"):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1


def test_unit_normalization_gives_unit_norms():
    out = layers.UnitNormalization(axis=[1, 2])(X).numpy()
    np.testing.assert_allclose(np.sqrt((out ** 2).sum(axis=(1, 2))), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(layers.UnitNormalization()(np.zeros((2, 3), "float32")).numpy(), 0.0)


def test_group_normalization_matches_a_numpy_reference():
    x = RNG.normal(size=(3, 4, 5, 6)).astype("float32")
    layer = layers.GroupNormalization(groups=3, epsilon=1e-4)
    layer(x)
    gamma, beta = RNG.normal(size=6).astype("float32"), RNG.normal(size=6).astype("float32")
    layer.set_weights([gamma, beta])
    g = x.reshape(3, 4, 5, 3, 2).astype("float64")
    normalized = (g - g.mean(axis=(1, 2, 4), keepdims=True)) / np.sqrt(g.var(axis=(1, 2, 4), keepdims=True) + 1e-4)
    np.testing.assert_allclose(layer(x).numpy(), normalized.reshape(x.shape) * gamma + beta, rtol=1e-4, atol=1e-5)


def test_flatten_channels_first_moves_the_channels_last():
    x = np.arange(24.0, dtype="float32").reshape(2, 3, 4)
    np.testing.assert_array_equal(layers.Flatten(data_format="channels_first")(x).numpy(),
                                  x.transpose(0, 2, 1).reshape(2, 12))


# ----- Dot ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shapes,axes,subscripts", [
    (((4, 3), (4, 3)), -1, "bi,bi->b"),
    (((4, 2, 3), (4, 5, 3)), (2, 2), "bij,bkj->bik"),
    (((4, 3, 2), (4, 3, 5)), 1, "bij,bik->bjk"),
    (((4, 3, 2), (4, 3)), (1, 1), "bij,bi->bj"),
])
def test_dot_matches_einsum(shapes, axes, subscripts, backend):
    a, b = (RNG.normal(size=s).astype("float32") for s in shapes)
    expected = np.einsum(subscripts, a, b)
    out = layers.Dot(axes=axes)([a, b]).numpy()
    np.testing.assert_allclose(out, expected.reshape(out.shape), rtol=1e-5, atol=1e-6)
    assert out.shape == (expected.shape if expected.ndim > 1 else expected.shape + (1,))


def test_dot_normalized_is_the_cosine_similarity_and_the_function_form_agrees():
    a, b = RNG.normal(size=(4, 6)).astype("float32"), RNG.normal(size=(4, 6)).astype("float32")
    cosine = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(layers.dot([a, b], axes=1, normalize=True).numpy()[:, 0], cosine, rtol=1e-5)


@pytest.mark.parametrize("make,match", [
    (lambda: layers.Dot(axes="last"), "argument `axes`"),
    (lambda: layers.Dot(axes=(1, 2, 3)), "argument `axes`"),
    (lambda: layers.Dot(axes=1)([X, X[:, :4]]), "axis values 5 \\(at axis 1\\) != 4"),
    (lambda: layers.Dot(axes=0)([X, X]), "non-batch axes"),
    (lambda: layers.Dot(axes=1)(X), "list of exactly 2 inputs"),
])
def test_dot_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ----- Lambda ---------------------------------------------------------------------------------------------
@ks.saving.register_keras_serializable(package="tests")
def scaled(x, factor=1.0, training=None):
    return ops.multiply(x, factor * (2.0 if training else 1.0))


def test_lambda_passes_arguments_and_training_and_trains_in_a_model():
    layer = layers.Lambda(scaled, arguments={"factor": 3.0}, output_shape=(5, 6))
    np.testing.assert_allclose(layer(X).numpy(), 3.0 * X)
    np.testing.assert_allclose(layer(X, training=True).numpy(), 6.0 * X)
    model = ks.Sequential([ks.Input((5, 6)), layer, layers.Flatten(), layers.Dense(1)])
    assert model.output_shape == (None, 1)
    model.compile("sgd", "mse")
    assert np.isfinite(model.fit(X, np.ones((4, 1)), epochs=1, verbose=0).history["loss"][0])


def test_lambda_config_names_the_registered_function_and_rebuilds_it():
    layer = layers.Lambda(scaled, output_shape=lambda shape: shape, arguments={"factor": 2.0})
    with pytest.raises(ValueError, match="anonymous Python lambda"):
        layer.get_config()
    layer = layers.Lambda(scaled, arguments={"factor": 2.0})
    config = layer.get_config()
    assert config["function"] == "tests>scaled" and config["arguments"] == {"factor": 2.0}
    clone = layers.Lambda.from_config(config)
    assert clone.function is scaled
    config["function"] = "nowhere"
    with pytest.raises(ValueError, match="'nowhere' \\(function\\), which is not registered"):
        layers.Lambda.from_config(config)


def test_a_model_with_a_lambda_saves_but_loading_it_is_refused(tmp_path):
    model = ks.Sequential([ks.Input((5, 6)), layers.Lambda(scaled), layers.Flatten(), layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(UnsafeFileError, match="Lambda"):
        ks.models.load_model(tmp_path / "m.keras")
    model.save_weights(tmp_path / "m.weights.h5")  # the documented route: rebuild in code, load the weights
    rebuilt = ks.Sequential([ks.Input((5, 6)), layers.Lambda(scaled), layers.Flatten(), layers.Dense(2)])
    rebuilt.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(rebuilt.predict(X, verbose=0), model.predict(X, verbose=0))


def test_lambda_needs_a_callable():
    with pytest.raises(TypeError, match="argument `function`"):
        layers.Lambda("x * 2")


# ----- convolutions ---------------------------------------------------------------------------------------
def test_causal_conv1d_is_a_left_padded_valid_convolution():
    causal = layers.Conv1D(3, 3, padding="causal", dilation_rate=2)
    valid = layers.Conv1D(3, 3, dilation_rate=2)
    causal(X), valid(X)
    valid.set_weights(causal.get_weights())
    padded = np.pad(X, ((0, 0), (4, 0), (0, 0)))
    np.testing.assert_allclose(causal(X).numpy(), valid(padded).numpy(), rtol=1e-6)
    assert causal.compute_output_shape((None, 5, 6)) == (None, 5, 3)
    assert layers.Conv1D(2, 3, strides=2, padding="causal").compute_output_shape((None, 7, 1)) == (None, 4, 2)


@pytest.mark.parametrize("layer,input_shape,expected", [
    (layers.Conv2DTranspose(4, 3, strides=2), (None, 5, 6, 3), (None, 11, 13, 4)),
    (layers.Conv2DTranspose(4, 3, strides=2, padding="same"), (None, 5, 6, 3), (None, 10, 12, 4)),
    (layers.Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=0), (None, 5, 6, 3), (None, 9, 11, 4)),
    (layers.Conv2DTranspose(4, 1, strides=3), (None, 5, 6, 3), (None, 15, 18, 4)),  # max(kernel, stride)
    (layers.Conv1DTranspose(2, 4, strides=2, output_padding=1), (None, 5, 3), (None, 13, 2)),
    (layers.Conv3DTranspose(2, (3, 2, 1), strides=(1, 2, 3)), (None, 2, 3, 4, 1), (None, 4, 6, 12, 2)),
], ids=lambda v: "" if not isinstance(v, layers.Layer) else type(v).__name__)
def test_transposed_output_shapes_follow_keras(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    assert tuple(layer(np.zeros((1,) + input_shape[1:], "float32")).shape) == (1,) + expected[1:]


def test_conv2d_transpose_is_the_adjoint_of_conv2d():
    conv, transpose = layers.Conv2D(3, 3, strides=2, use_bias=False), layers.Conv2DTranspose(2, 3, strides=2,
                                                                                            use_bias=False)
    x, y = RNG.normal(size=(2, 7, 7, 2)).astype("float32"), RNG.normal(size=(2, 3, 3, 3)).astype("float32")
    conv(x), transpose(y)
    transpose.set_weights(conv.get_weights())  # (3, 3, in=2, out=3) is the transpose's (3, 3, filters=2, in=3)
    lhs = (conv(x).numpy() * y).sum()
    rhs = (x * transpose(y).numpy()).sum()
    assert lhs == pytest.approx(rhs, rel=1e-5)


# ----- argument errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("make,match", [
    (lambda: layers.LeakyReLU(negative_slope=-1), "argument `negative_slope`.*Expected a float >= 0"),
    (lambda: layers.GaussianNoise(1.5), "argument `stddev`.*\\[0, 1\\]"),
    (lambda: layers.GaussianDropout(1.0), "argument `rate`"),
    (lambda: layers.AlphaDropout(-0.1), "argument `rate`"),
    (lambda: layers.SpatialDropout2D(0.5, data_format="channels_first"), "argument `data_format`"),
    (lambda: layers.PReLU(shared_axes=[0]), "argument `shared_axes`"),
    (lambda: layers.UnitNormalization(axis="last"), "argument `axis`"),
    (lambda: layers.GroupNormalization(groups=0), "argument `groups`"),
    (lambda: layers.GroupNormalization(groups=4)(X), "number of groups \\(4\\) must divide the number of channels"),
    (lambda: layers.Flatten(data_format="NHWC"), "argument `data_format`"),
    (lambda: layers.Conv1D(2, 3, padding="full"), "argument `padding`"),
    (lambda: layers.Conv3D(2, (3, 3)), "argument `kernel_size`.*3 positive ints"),
    (lambda: layers.Conv2DTranspose(2, 3, strides=2, output_padding=2), "argument `output_padding`"),
    (lambda: layers.Conv3D(2, 3)(X), "expected ndim=5"),
    (lambda: layers.MaxPooling1D(pool_size=0), "argument `pool_size`"),
    (lambda: layers.AveragePooling3D(pool_size=(2, 2)), "argument `pool_size`"),
    (lambda: layers.ZeroPadding1D((1, 2, 3)), "argument `padding`"),
    (lambda: layers.ZeroPadding3D(((1, 1), (1,), (0, 0))), "argument `padding`"),
    (lambda: layers.Cropping1D((3, 3))(X), "must be smaller"),
    (lambda: layers.Cropping3D(-1), "argument `cropping`"),
    (lambda: layers.UpSampling1D(size=(2,)), "argument `size`"),
    (lambda: layers.UpSampling3D(size=0), "argument `size`"),
    (lambda: layers.DepthwiseConv1D(3, depth_multiplier=0), "argument `depth_multiplier`"),
    (lambda: layers.SeparableConv1D(0, 3), "argument `filters`"),
])
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ----- shape layers of rank 1 and 3 ----------------------------------------------------------------------
VOLUMES = np.arange(2 * 3 * 4 * 2 * 2, dtype="float32").reshape(2, 3, 4, 2, 2)


@pytest.mark.parametrize("layer,x,expected", [
    (layers.ZeroPadding1D((2, 1)), X, np.pad(X, ((0, 0), (2, 1), (0, 0)))),
    (layers.ZeroPadding3D((1, 0, 2)), VOLUMES, np.pad(VOLUMES, ((0, 0), (1, 1), (0, 0), (2, 2), (0, 0)))),
    (layers.Cropping1D((1, 2)), X, X[:, 1:3]),
    (layers.Cropping3D(((1, 0), (1, 2), (0, 1))), VOLUMES, VOLUMES[:, 1:, 1:2, :1]),
    (layers.UpSampling1D(2), X, X.repeat(2, axis=1)),
    (layers.UpSampling3D((2, 1, 3)), VOLUMES, VOLUMES.repeat(2, axis=1).repeat(3, axis=3)),
    (layers.MaxPooling1D(2), X, X[:, :4].reshape(4, 2, 2, 6).max(axis=2)),
    (layers.AveragePooling3D((3, 2, 2)), VOLUMES, VOLUMES.reshape(2, 1, 3, 2, 2, 1, 2, 2).mean(axis=(2, 4, 6))),
    (layers.GlobalMaxPooling3D(), VOLUMES, VOLUMES.max(axis=(1, 2, 3))),
    (layers.GlobalAveragePooling1D(keepdims=True), X, X.mean(axis=1, keepdims=True)),
], ids=lambda v: type(v).__name__ if isinstance(v, layers.Layer) else "")
def test_rank_1_and_3_shape_layer_values(layer, x, expected, backend):
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)
