"""Every layer through one harness: build, call, output shape, config round trip,
gradients against float64 finite differences, and one training step; on every backend that loads
(the ``backend`` fixture), so each layer also runs on OpenCL."""

import numpy as np
import pytest
from finite_differences import central_difference
from layer_checks import assert_config_round_trip, assert_weight_gradients_match_finite_differences

import kerasette as ks
from kerasette import layers, ops

# (layer class, constructor kwargs, input shape without batch, differentiable w.r.t. input)
CASES = [
    (layers.Dense, {"units": 3}, (5,), True),
    (layers.Dense, {"units": 4, "activation": "tanh", "use_bias": False}, (2, 5), True),
    (layers.Conv2D, {"filters": 3, "kernel_size": 3}, (7, 6, 2), True),
    (layers.Conv2D, {"filters": 2, "kernel_size": (2, 3), "strides": 2, "padding": "same"}, (7, 8, 3), True),
    (layers.Conv2D, {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "activation": "relu"}, (9, 9, 10), True),
    (layers.MaxPooling2D, {"pool_size": 2}, (7, 6, 3), True),
    (layers.MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (7, 6, 2), True),
    (layers.AveragePooling2D, {"pool_size": 2}, (6, 6, 2), True),
    (layers.AveragePooling2D, {"pool_size": 3, "strides": 1, "padding": "same"}, (5, 4, 2), True),
    (layers.GlobalAveragePooling2D, {}, (4, 5, 3), True),
    (layers.GlobalMaxPooling2D, {"keepdims": True}, (4, 5, 3), True),
    (layers.Flatten, {}, (3, 4, 2), True),
    (layers.Reshape, {"target_shape": (4, -1)}, (2, 6), True),
    (layers.Dropout, {"rate": 0.5}, (6,), True),
    (layers.Activation, {"activation": "gelu"}, (6,), True),
    (layers.Softmax, {}, (5,), True),
    (layers.Softmax, {"axis": (1, 2)}, (2, 3), True),
    (layers.ReLU, {"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.2}, (6,), True),
    (layers.BatchNormalization, {}, (4, 3), True),
    (layers.BatchNormalization, {"axis": 1, "center": False}, (3, 4), True),
    (layers.ZeroPadding2D, {}, (3, 4, 2), True),
    (layers.ZeroPadding2D, {"padding": 2}, (2, 3, 1), True),
    (layers.ZeroPadding2D, {"padding": ((1, 0), (2, 3))}, (3, 2, 2), True),
    (layers.Cropping2D, {}, (3, 4, 2), True),
    (layers.Cropping2D, {"cropping": 1}, (4, 5, 2), True),
    (layers.Cropping2D, {"cropping": ((1, 0), (2, 1))}, (4, 5, 2), True),
    (layers.UpSampling2D, {}, (2, 3, 2), True),
    (layers.UpSampling2D, {"size": (3, 1)}, (2, 2, 3), True),
    (layers.Permute, {"dims": (2, 1)}, (3, 4), True),
    (layers.Permute, {"dims": (3, 1, 2)}, (2, 3, 4), True),
    (layers.RepeatVector, {"n": 3}, (4,), True),
    (layers.RepeatVector, {"n": 1}, (2,), True),
    (layers.LayerNormalization, {}, (5,), True),
    (layers.LayerNormalization, {"axis": [1, 2], "epsilon": 1e-5, "center": False}, (3, 4, 2), True),
    (layers.LayerNormalization, {"axis": [2, 1], "scale": False}, (3, 4), True),
    (layers.LayerNormalization, {"axis": 1, "rms_scaling": True}, (4, 2), True),
    (layers.DepthwiseConv2D, {"kernel_size": 3}, (7, 6, 3), True),
    (layers.DepthwiseConv2D, {"kernel_size": (2, 3), "strides": 2, "padding": "same", "depth_multiplier": 2},
     (7, 8, 2), True),
    (layers.DepthwiseConv2D, {"kernel_size": 3, "dilation_rate": 2, "activation": "tanh", "use_bias": False},
     (9, 8, 3), True),
    (layers.SeparableConv2D, {"filters": 3, "kernel_size": 3}, (7, 6, 2), True),
    (layers.SeparableConv2D, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same",
                              "depth_multiplier": 2}, (7, 8, 3), True),
    (layers.SeparableConv2D, {"filters": 4, "kernel_size": 2, "dilation_rate": 2, "activation": "relu"},
     (6, 7, 5), True),
    # issue 13: activations as layers
    (layers.LeakyReLU, {}, (6,), True),
    (layers.LeakyReLU, {"negative_slope": 0.05}, (2, 3), True),
    (layers.PReLU, {}, (3, 4), True),
    (layers.PReLU, {"alpha_initializer": "ones", "shared_axes": [1, 2]}, (3, 2, 4), True),
    (layers.ELU, {"alpha": 0.5}, (6,), True),
    # core, regularization and normalization
    (layers.Identity, {}, (2, 3), True),
    (layers.EinsumDense, {"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "c"}, (4,), True),
    (layers.EinsumDense, {"equation": "abc,cde->abde", "output_shape": (None, 2, 3), "bias_axes": "de",
                          "activation": "tanh"}, (3, 4), True),
    (layers.EinsumDense, {"equation": "...b,bc->...c", "output_shape": 2}, (2, 3, 4), True),
    (layers.ActivityRegularization, {"l1": 0.01, "l2": 0.02}, (4,), True),
    (layers.Flatten, {"data_format": "channels_first"}, (3, 2, 2), True),
    (layers.GaussianNoise, {"stddev": 0.1, "seed": 1}, (5,), True),
    (layers.GaussianDropout, {"rate": 0.3, "seed": 1}, (5,), True),
    (layers.AlphaDropout, {"rate": 0.2, "seed": 1}, (5,), True),
    (layers.SpatialDropout1D, {"rate": 0.5, "seed": 1}, (4, 3), True),
    (layers.SpatialDropout2D, {"rate": 0.5}, (3, 3, 2), True),
    (layers.SpatialDropout3D, {"rate": 0.5}, (2, 2, 2, 2), True),
    (layers.UnitNormalization, {}, (5,), True),
    (layers.UnitNormalization, {"axis": [1, 2]}, (3, 2), True),
    (layers.GroupNormalization, {"groups": 2}, (3, 4), True),
    (layers.RMSNormalization, {}, (5,), True),
    (layers.RMSNormalization, {"axis": [2, 1], "epsilon": 1e-3}, (3, 2), True),
    (layers.GroupNormalization, {"groups": -1, "axis": 1, "center": False}, (3, 2, 2), True),
    # 1-D and 3-D convolutions and the transposed ones
    (layers.Conv1D, {"filters": 3, "kernel_size": 3}, (7, 2), True),
    (layers.Conv1D, {"filters": 2, "kernel_size": 2, "padding": "causal", "dilation_rate": 2,
                     "activation": "relu"}, (6, 3), True),
    (layers.Conv1D, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (7, 2), True),
    (layers.Conv3D, {"filters": 2, "kernel_size": 2}, (3, 4, 3, 2), True),
    (layers.Conv3D, {"filters": 2, "kernel_size": (3, 2, 2), "strides": (2, 1, 2), "padding": "same",
                     "activation": "tanh"}, (4, 3, 4, 1), True),
    (layers.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2}, (4, 3), True),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (3, 3, 2), True),
    (layers.Conv2DTranspose, {"filters": 3, "kernel_size": (2, 3), "strides": (2, 1), "output_padding": (1, 0),
                              "activation": "relu"}, (3, 2, 2), True),
    (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "use_bias": False}, (3, 3, 1),
     True),
    (layers.Conv3DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2}, (2, 2, 2, 2), True),
    (layers.Conv3DTranspose, {"filters": 1, "kernel_size": (3, 2, 2), "padding": "same"}, (2, 3, 2, 2), True),
    (layers.DepthwiseConv1D, {"kernel_size": 3, "depth_multiplier": 2}, (6, 2), True),
    (layers.DepthwiseConv1D, {"kernel_size": 2, "strides": 2, "padding": "same"}, (7, 3), True),
    (layers.SeparableConv1D, {"filters": 3, "kernel_size": 3}, (6, 2), True),
    (layers.SeparableConv1D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "depth_multiplier": 2,
                              "padding": "same"}, (6, 2), True),
    # 1-D and 3-D pooling and shape layers
    (layers.MaxPooling1D, {}, (6, 2), True),
    (layers.MaxPooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (7, 2), True),
    (layers.AveragePooling1D, {"pool_size": 3, "strides": 1}, (6, 2), True),
    (layers.MaxPooling3D, {}, (4, 4, 2, 2), True),
    (layers.AveragePooling3D, {"pool_size": (2, 3, 2), "strides": 1, "padding": "same"}, (3, 3, 2, 1), True),
    (layers.GlobalAveragePooling1D, {}, (4, 3), True),
    (layers.AdaptiveAveragePooling1D, {"output_size": 3}, (7, 2), True),
    (layers.AdaptiveMaxPooling1D, {"output_size": 2}, (5, 2), True),
    (layers.AdaptiveAveragePooling2D, {"output_size": (2, 3)}, (5, 4, 2), True),
    (layers.AdaptiveMaxPooling2D, {"output_size": 2, "data_format": "channels_first"}, (2, 5, 3), True),
    (layers.AdaptiveAveragePooling3D, {"output_size": (1, 2, 2)}, (2, 3, 4, 1), True),
    (layers.AdaptiveMaxPooling3D, {"output_size": 2}, (3, 3, 2, 2), True),
    (layers.GlobalMaxPooling1D, {"keepdims": True}, (4, 3), True),
    (layers.GlobalAveragePooling3D, {"keepdims": True}, (2, 3, 2, 2), True),
    (layers.GlobalMaxPooling3D, {}, (2, 3, 2, 2), True),
    (layers.ZeroPadding1D, {}, (3, 2), True),
    (layers.ZeroPadding1D, {"padding": (2, 0)}, (3, 2), True),
    (layers.ZeroPadding3D, {}, (2, 2, 1, 2), True),
    (layers.ZeroPadding3D, {"padding": ((1, 0), (0, 2), (1, 1))}, (2, 2, 1, 1), True),
    (layers.Cropping1D, {}, (4, 2), True),
    (layers.Cropping1D, {"cropping": (0, 2)}, (4, 2), True),
    (layers.Cropping3D, {"cropping": 1}, (3, 4, 3, 2), True),
    (layers.Cropping3D, {"cropping": ((1, 0), (0, 2), (0, 0))}, (3, 4, 2, 1), True),
    (layers.UpSampling1D, {"size": 3}, (2, 2), True),
    (layers.UpSampling3D, {}, (2, 1, 2, 2), True),
    (layers.UpSampling3D, {"size": (1, 3, 2)}, (1, 2, 2, 1), True),
]

IDS = [f"{cls.__name__}-{i}" for i, (cls, *_rest) in enumerate(CASES)]


def _input(shape, batch=3, seed=0):
    values = np.random.default_rng(seed).normal(size=(batch,) + shape)
    # keep away from the kinks of relu/max so finite differences are smooth
    return values + np.sign(values) * 0.05


@pytest.mark.parametrize("cls,kwargs,shape,_", CASES, ids=IDS)
def test_output_shape_matches_compute_output_shape(cls, kwargs, shape, _, backend):
    layer = cls(**kwargs)
    symbolic = layer(ks.Input(shape=shape))
    out = layer(_input(shape).astype("float32"))
    assert symbolic.shape == (None,) + tuple(out.shape[1:])
    assert out.dtype == "float32"


@pytest.mark.parametrize("cls,kwargs,shape,_", CASES, ids=IDS)
def test_config_round_trip_gives_same_layer(cls, kwargs, shape, _, backend):
    assert_config_round_trip(cls(**kwargs), _input(shape).astype("float32"))


@pytest.mark.parametrize("cls,kwargs,shape,wrt_input", CASES, ids=IDS)
def test_gradients_match_finite_differences(cls, kwargs, shape, wrt_input, backend):
    layer = cls(dtype="float64", **kwargs)
    x_host = _input(shape, batch=2, seed=1)
    layer(x_host)  # build
    rng = np.random.default_rng(2)
    for w in layer.weights:  # move weights off their initial values (e.g. gamma = 1)
        w.assign(w.numpy() + rng.normal(scale=0.3, size=w.shape))
    training = cls is layers.BatchNormalization
    cotangent = rng.normal(size=layer(x_host, training=training).shape)

    def objective():
        with ops.stop_recording():
            return float(np.sum(layer(x_host, training=training).numpy() * cotangent))

    x = ops.convert_to_tensor(x_host)
    with ops.GradientTape() as tape:
        tape.watch(x)
        loss = ops.sum(ops.multiply(layer(x, training=training), cotangent))
    grads = tape.gradient(loss, [x] + layer.trainable_weights)
    if wrt_input:
        numeric = central_difference(lambda _: objective(), x_host)
        np.testing.assert_allclose(grads[0].numpy(), numeric, rtol=1e-4, atol=1e-6)
    assert_weight_gradients_match_finite_differences(layer.trainable_weights, grads[1:], objective, rtol=1e-4,
                                                     atol=1e-6)


@pytest.mark.parametrize("cls,kwargs,shape,_", CASES, ids=IDS)
def test_one_training_step_changes_weights_and_keeps_loss_finite(cls, kwargs, shape, _, backend):
    model = ks.Sequential([ks.Input(shape=shape), cls(**kwargs), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = _input(shape, batch=8).astype("float32")
    y = np.ones((8, 1), "float32")
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    changed = [not np.array_equal(a, b) for a, b in zip(before, model.get_weights())]
    trainable = [w.trainable for w in model.weights]
    assert changed == trainable or (cls is layers.BatchNormalization and all(changed))


# ----- values and argument errors of the shape layers (expectations by eye with numpy) -----
IMAGES = np.arange(2 * 3 * 4 * 2, dtype="float32").reshape(2, 3, 4, 2)


@pytest.mark.parametrize("filename", ["m.keras", "m.h5"])
@pytest.mark.parametrize("cls,kwargs,shape,_", CASES, ids=IDS)
def test_save_and_load_predicts_the_same(cls, kwargs, shape, _, filename, tmp_path, backend):
    model = ks.Sequential([ks.Input(shape=shape), cls(**kwargs)])
    rng = np.random.default_rng(4)
    for w in model.weights:  # move weights off their initial values (e.g. BN statistics)
        w.assign(w.numpy() + rng.normal(scale=0.3, size=w.shape).astype(w.dtype))
    x = _input(shape).astype("float32")
    model.save(tmp_path / filename)
    restored = ks.models.load_model(tmp_path / filename)
    assert type(restored.layers[0]) is cls
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("layer,expected", [
    (layers.ZeroPadding2D(), np.pad(IMAGES, [(0, 0), (1, 1), (1, 1), (0, 0)])),
    (layers.ZeroPadding2D(((1, 0), (2, 3))), np.pad(IMAGES, [(0, 0), (1, 0), (2, 3), (0, 0)])),
    (layers.Cropping2D((1, 0)), IMAGES[:, 1:2]),
    (layers.Cropping2D(((1, 0), (2, 1))), IMAGES[:, 1:, 2:3]),
    (layers.UpSampling2D((2, 3)), IMAGES.repeat(2, axis=1).repeat(3, axis=2)),
    (layers.Permute((3, 1, 2)), IMAGES.transpose(0, 3, 1, 2)),
    (layers.RepeatVector(4), np.repeat(IMAGES[:, 0, 0, None, :], 4, axis=1)),
], ids=lambda v: type(v).__name__ if isinstance(v, layers.Layer) else "")
def test_shape_layer_values(layer, expected):
    x = IMAGES[:, 0, 0] if isinstance(layer, layers.RepeatVector) else IMAGES
    np.testing.assert_array_equal(layer(x).numpy(), expected)


def test_layer_normalization_values_over_several_axes():
    x = IMAGES[..., 0]  # (2, 3, 4)
    layer = layers.LayerNormalization(axis=[2, 1])
    layer(x)
    gamma, beta = np.arange(12, dtype="float32").reshape(4, 3), np.ones((4, 3), "float32")
    layer.set_weights([gamma, beta])
    mean, var = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(layer(x).numpy(), (x - mean) / np.sqrt(var + 1e-3) * gamma.T + beta.T, rtol=1e-5)
    rms = layers.LayerNormalization(rms_scaling=True)  # Keras 3: x / sqrt(var + eps) * gamma, no beta
    np.testing.assert_allclose(rms(x).numpy(), x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3), rtol=1e-5)
    assert [w.name for w in rms.weights] == ["gamma"]


@pytest.mark.parametrize("make,match", [
    (lambda: layers.ZeroPadding2D((1, 2, 3)), "argument `padding`"),
    (lambda: layers.ZeroPadding2D(-1), "argument `padding`"),
    (lambda: layers.Cropping2D(((1, 0), (0,))), "argument `cropping`"),
    (lambda: layers.Cropping2D(2)(IMAGES), r"cropping=\[\[2, 2\], \[2, 2\]\] must be smaller"),
    (lambda: layers.Cropping2D(((0, 0), (1, 3)))(ks.Input(shape=(5, 4, 1))), "must be smaller"),
    (lambda: layers.UpSampling2D(interpolation="bilinear"), "not \"bilinear\""),
    (lambda: layers.UpSampling2D(size=0), "argument `size`"),
    (lambda: layers.Permute((1, 3)), "argument `dims`"),
    (lambda: layers.Permute((2, 1))(IMAGES), "expected ndim=3"),
    (lambda: layers.RepeatVector(0), "argument `n`"),
    (lambda: layers.RepeatVector(2)(IMAGES), "expected ndim=2"),
    (lambda: layers.LayerNormalization(axis="last"), "argument `axis`"),
    (lambda: layers.LayerNormalization(axis=3)(IMAGES[..., 0]), "axis=3"),
    (lambda: layers.LayerNormalization(axis=0)(IMAGES), "non-batch"),
])
def test_shape_layer_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()
