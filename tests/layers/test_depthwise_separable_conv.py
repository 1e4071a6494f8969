"""DepthwiseConv2D and SeparableConv2D: values against direct loops, Keras weight layouts and configs."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers


def depthwise_loops(x, kernel, stride=1):
    """Valid padding, by eye: out[b, i, j, c*M + m] = sum_{p, q} x[b, i*s + p, j*s + q, c] * kernel[p, q, c, m]."""
    n, h, w, channels = x.shape
    kh, kw, _, mult = kernel.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, channels * mult))
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for c in range(channels):
                    for m in range(mult):
                        window = x[b, i * stride : i * stride + kh, j * stride : j * stride + kw, c]
                        out[b, i, j, c * mult + m] = np.sum(window * kernel[:, :, c, m])
    return out


def pointwise_loops(x, kernel):
    """out[b, i, j, f] = sum_c x[b, i, j, c] * kernel[0, 0, c, f]."""
    n, h, w, channels = x.shape
    out = np.zeros((n, h, w, kernel.shape[3]))
    for f in range(kernel.shape[3]):
        for c in range(channels):
            out[..., f] += x[..., c] * kernel[0, 0, c, f]
    return out


RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 5, 6, 3))


@pytest.mark.parametrize("multiplier,stride", [(1, 1), (2, 1), (2, 2), (3, 2)])
def test_depthwise_values_match_direct_loops(multiplier, stride, backend):
    layer = layers.DepthwiseConv2D(3, strides=stride, depth_multiplier=multiplier, dtype="float64")
    layer(X)  # builds
    kernel, bias = RNG.normal(size=(3, 3, 3, multiplier)), RNG.normal(size=(3 * multiplier,))
    layer.set_weights([kernel, bias])
    np.testing.assert_allclose(layer(X).numpy(), depthwise_loops(X, kernel, stride) + bias, rtol=1e-12)


@pytest.mark.parametrize("multiplier", [1, 2])
def test_separable_values_match_direct_loops(multiplier, backend):
    layer = layers.SeparableConv2D(4, (2, 3), depth_multiplier=multiplier, activation="relu", dtype="float64")
    layer(X)  # builds
    depthwise = RNG.normal(size=(2, 3, 3, multiplier))
    pointwise, bias = RNG.normal(size=(1, 1, 3 * multiplier, 4)), RNG.normal(size=(4,))
    layer.set_weights([depthwise, pointwise, bias])
    expected = np.maximum(pointwise_loops(depthwise_loops(X, depthwise), pointwise) + bias, 0.0)
    np.testing.assert_allclose(layer(X).numpy(), expected, rtol=1e-12, atol=1e-12)


def test_weights_have_keras_names_shapes_and_order():
    depthwise = layers.DepthwiseConv2D(3, depth_multiplier=2)
    depthwise(ks.Input(shape=(8, 8, 5)))
    assert [(w.name, w.shape) for w in depthwise.weights] == [("kernel", (3, 3, 5, 2)), ("bias", (10,))]
    separable = layers.SeparableConv2D(7, (3, 2), depth_multiplier=2)
    separable(ks.Input(shape=(8, 8, 5)))
    assert [(w.name, w.shape) for w in separable.weights] == [
        ("depthwise_kernel", (3, 2, 5, 2)), ("pointwise_kernel", (1, 1, 10, 7)), ("bias", (7,))
    ]
    no_bias = layers.SeparableConv2D(2, 3, use_bias=False)
    no_bias(X)
    assert [w.name for w in no_bias.weights] == ["depthwise_kernel", "pointwise_kernel"]


def test_keras_3_defaults_in_config():
    config = layers.DepthwiseConv2D(3).get_config()
    assert (config["strides"], config["padding"], config["depth_multiplier"], config["dilation_rate"]) == (
        [1, 1], "valid", 1, [1, 1])
    assert config["depthwise_initializer"]["class_name"] == "GlorotUniform" and "groups" not in config
    config = layers.SeparableConv2D(4, 3).get_config()
    assert config["pointwise_initializer"]["class_name"] == "GlorotUniform" and config["filters"] == 4


def test_tf_keras_2_configs_load():
    depthwise = layers.DepthwiseConv2D.from_config({"name": "dw", "kernel_size": [3, 3], "groups": 1})
    assert depthwise.kernel_size == (3, 3)
    tf2 = {"name": "sep", "filters": 2, "kernel_size": [3, 3], "groups": 1, "kernel_initializer":
           {"class_name": "GlorotUniform", "config": {"seed": None}}, "kernel_regularizer": None,
           "kernel_constraint": None}
    assert layers.SeparableConv2D.from_config(tf2).filters == 2
    with pytest.raises(TypeError, match="kernel_initializer"):
        layers.SeparableConv2D(2, 3, kernel_initializer="he_normal")  # only configs may carry it
    assert layers.registry.lookup("DepthwiseConv2D") is layers.DepthwiseConv2D


@pytest.mark.parametrize("make,match", [
    (lambda: layers.DepthwiseConv2D(3, groups=2), "argument `groups`"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "argument `depth_multiplier`"),
    (lambda: layers.DepthwiseConv2D(3, padding="full"), "argument `padding`"),
    (lambda: layers.DepthwiseConv2D(3, strides=2, dilation_rate=2), "dilation_rate"),
    (lambda: layers.SeparableConv2D(0, 3), "argument `filters`"),
    (lambda: layers.SeparableConv2D(2, (3, 3, 3)), "argument `kernel_size`"),
    (lambda: layers.DepthwiseConv2D(3)(X[0]), "expected ndim=4"),
    (lambda: layers.SeparableConv2D(2, 7)(ks.Input(shape=(5, 5, 3))), "too small"),
])
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_mobilenet_style_block_trains():
    model = ks.Sequential([
        ks.Input(shape=(8, 8, 3)),
        layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, activation="relu"),
        layers.SeparableConv2D(4, 3, strides=2, padding="same", activation="relu"),
        layers.Flatten(),
        layers.Dense(2, activation="softmax"),
    ])
    assert model.output_shape == (None, 2)
    assert model.layers[1].output_shape == (None, 4, 4, 4)
    x = np.random.default_rng(1).normal(size=(32, 8, 8, 3)).astype("float32")
    y = (x[..., 0].mean(axis=(1, 2)) > 0).astype("int64")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
