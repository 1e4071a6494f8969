"""Int8 layers after ``quantize("int8")`` on numpy and OpenCL: stored values and outputs against the numpy
reference of the int8 arithmetic (``int8_reference``), Keras's straight-through input gradient against finite
differences, and a layer created under ``"int8_from_float32"`` (as loading makes one)."""

import numpy as np
import pytest
from finite_differences import central_difference
from int8_reference import abs_max, conv, depthwise_conv

from kerasette import layers, ops


def _random(shape, seed=0, scale=1.0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(np.float32)


def _set_random_weights(layer, seed=1):
    layer.set_weights([_random(w.shape, seed + i, 0.5) for i, w in enumerate(layer.weights)])


def _input_gradient(layer, x, upstream):
    source = ops.convert_to_tensor(x)
    with ops.GradientTape() as tape:
        tape.watch(source)
        loss = ops.sum(ops.multiply(layer(source), upstream))
    return ops.convert_to_numpy(tape.gradient(loss, [source])[0])


def test_dense_int8_matches_reference(backend):
    layer = layers.Dense(6)
    x = _random((4, 9), seed=3)
    layer(x)
    _set_random_weights(layer)
    kernel, bias = (w.numpy() for w in layer.weights)
    layer.quantize("int8")
    kq, kscale = abs_max(kernel, axis=0)
    np.testing.assert_array_equal(layer.kernel.numpy(), kq)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), kscale.ravel(), rtol=1e-6)
    assert layer.kernel.dtype == "int8" and not layer.kernel.trainable and layer.bias.trainable
    xq, xscale = abs_max(x, axis=-1)
    want = (xq @ kq) / (xscale * kscale) + bias
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-5, atol=1e-6)
    assert np.abs(layer(x).numpy() - (x @ kernel + bias)).max() < 0.05  # and close to the float layer


def test_dense_int8_gradient_is_the_dequantized_kernels(backend):
    """Keras's rule: d output / d inputs uses ``kernel / kernel_scale``, straight through the rounding."""
    layer = layers.Dense(3, activation=None)
    x = _random((2, 5), seed=4)
    layer(x)
    _set_random_weights(layer)
    layer.quantize("int8")
    float_kernel = layer.kernel.numpy().astype(np.float64) / layer.kernel_scale.numpy().astype(np.float64)
    upstream = _random((2, 3), seed=5).astype(np.float64)
    x64 = x.astype(np.float64)
    want = central_difference(lambda v: float(np.sum((v @ float_kernel) * upstream)), x64)
    got = _input_gradient(layer, x, upstream.astype(np.float32))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    source = ops.convert_to_tensor(x)
    with ops.GradientTape() as tape:
        loss = ops.sum(ops.multiply(layer(source), upstream.astype(np.float32)))
    grads = tape.gradient(loss, layer.trainable_weights)
    assert [w.name for w in layer.trainable_weights] == ["bias"]
    np.testing.assert_allclose(grads[0].numpy(), upstream.sum(axis=0), rtol=1e-5)


def test_einsum_dense_int8_matches_reference(backend):
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de")
    x = _random((2, 4, 5), seed=6)
    layer(x)
    _set_random_weights(layer)
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    layer.quantize("int8")
    kq, kscale = abs_max(kernel, axis=0)  # (1, 2, 3): one scale per output unit (d, e)
    np.testing.assert_array_equal(layer.kernel.numpy(), kq)
    assert tuple(layer.kernel_scale.shape) == (1, 1, 2, 3)  # Keras's output-aligned layout
    np.testing.assert_allclose(layer.kernel_scale.numpy().reshape(2, 3), kscale[0], rtol=1e-6)
    xq, xscale = abs_max(x, axis=2)  # (2, 4, 1): one scale per position
    want = np.einsum("abc,cde->abde", xq, kq) / (xscale[..., None] * kscale[None]) + bias
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-5, atol=1e-6)
    float_kernel = kq / kscale.astype(np.float64)
    upstream = _random((2, 4, 2, 3), seed=7).astype(np.float64)
    fd = central_difference(lambda v: float(np.sum(np.einsum("abc,cde->abde", v, float_kernel) * upstream)),
                            x.astype(np.float64))
    np.testing.assert_allclose(_input_gradient(layer, x, upstream.astype(np.float32)), fd, rtol=1e-4, atol=1e-5)


def test_embedding_int8_matches_reference(backend):
    layer = layers.Embedding(7, 4)
    layer.build(None)
    _set_random_weights(layer)
    table = layer.embeddings.numpy()
    layer.quantize("int8")
    tq, tscale = abs_max(table, axis=-1)  # one scale per row
    np.testing.assert_array_equal(layer.embeddings.numpy(), tq)
    np.testing.assert_allclose(layer.embeddings_scale.numpy(), tscale.ravel(), rtol=1e-6)
    indices = np.array([[0, 6, 3], [2, 2, 5]])
    np.testing.assert_allclose(layer(indices).numpy(), tq[indices] / tscale[indices], rtol=1e-6)
    assert layer.trainable_weights == []


@pytest.mark.parametrize("stride,padding", [(1, "valid"), (2, "same")])
def test_conv2d_int8_matches_reference(stride, padding, backend):
    layer = layers.Conv2D(5, 3, strides=stride, padding=padding, activation="relu")
    x = _random((2, 7, 6, 3), seed=8)
    layer(x)
    _set_random_weights(layer)
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    layer.quantize("int8")
    kq, kscale = abs_max(kernel, axis=(0, 1, 2))  # one scale per filter
    np.testing.assert_array_equal(layer.kernel.numpy(), kq)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), kscale.ravel(), rtol=1e-6)
    xq, xscale = abs_max(x, axis=(1, 2, 3))  # one scale per sample
    want = np.maximum(conv(xq, kq, stride, padding) / (xscale * kscale.reshape(-1)) + bias, 0)
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-5, atol=1e-6)


def test_conv2d_int8_gradient_is_the_dequantized_kernels(backend):
    layer = layers.Conv2D(2, 2, strides=2, padding="same")
    x = _random((1, 5, 4, 2), seed=9)
    layer(x)
    _set_random_weights(layer)
    layer.quantize("int8")
    float_kernel = layer.kernel.numpy() / layer.kernel_scale.numpy().astype(np.float64)
    upstream = _random((1, 3, 2, 2), seed=10).astype(np.float64)
    fd = central_difference(lambda v: float(np.sum(conv(v, float_kernel, 2, "same") * upstream)),
                            x.astype(np.float64))
    np.testing.assert_allclose(_input_gradient(layer, x, upstream.astype(np.float32)), fd, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("multiplier", [1, 2])
def test_depthwise_conv2d_int8_matches_reference(multiplier, backend):
    layer = layers.DepthwiseConv2D(3, depth_multiplier=multiplier, padding="same")
    x = _random((2, 5, 5, 3), seed=11)
    layer(x)
    _set_random_weights(layer)
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    layer.quantize("int8")
    kq, kscale = abs_max(kernel, axis=(0, 1))  # one scale per output channel (channel, multiplier)
    np.testing.assert_array_equal(layer.kernel.numpy(), kq)
    np.testing.assert_allclose(layer.kernel_scale.numpy(), kscale.ravel(), rtol=1e-6)
    xq, xscale = abs_max(x, axis=(1, 2, 3))
    want = depthwise_conv(xq, kq, 1, "same") / (xscale * kscale.reshape(-1)) + bias
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-5, atol=1e-6)
    float_kernel = kq / kscale.astype(np.float64)
    upstream = _random(want.shape, seed=12).astype(np.float64)
    fd = central_difference(lambda v: float(np.sum(depthwise_conv(v, float_kernel, 1, "same") * upstream)),
                            x.astype(np.float64))
    np.testing.assert_allclose(_input_gradient(layer, x, upstream.astype(np.float32)), fd, rtol=1e-4, atol=1e-5)


def test_layer_created_with_a_quantized_policy_builds_int8_variables(backend):
    layer = layers.Dense(3, dtype="int8_from_float32")
    layer.build((None, 4))
    assert layer.dtype_policy.name == "int8_from_float32" and layer.compute_dtype == "float32"
    assert [(w.name, w.dtype, tuple(w.shape)) for w in layer.weights] == [
        ("kernel", "int8", (4, 3)), ("kernel_scale", "float32", (3,)), ("bias", "float32", (3,))]
    assert layer.quantization_mode == "int8"
    config = layer.get_config()
    assert config["dtype"]["class_name"] == "QuantizedDTypePolicy"
    assert layers.Dense.from_config(config).dtype_policy.name == "int8_from_float32"


def test_weight_only_config_keeps_inputs_in_float(backend):
    from kerasette.quantizers import Int8QuantizationConfig

    layer = layers.Dense(4)
    x = _random((3, 6), seed=13)
    layer(x)
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    layer.quantize(config=Int8QuantizationConfig(activation_quantizer=None))
    kq, kscale = abs_max(kernel, axis=0)
    np.testing.assert_allclose(layer(x).numpy(), x @ (kq / kscale) + bias, rtol=1e-5, atol=1e-6)
    assert layer.get_config()["quantization_config"]["config"]["activation_quantizer"] is None


def test_einsum_dense_with_elided_axes_matches_dense(backend):
    """``...b,bc->...c`` is Dense: the same int8 kernel, scales and outputs."""
    x = _random((2, 3, 5), seed=14)
    dense, einsum = layers.Dense(4), layers.EinsumDense("...b,bc->...c", output_shape=4, bias_axes="c")
    dense(x)
    einsum(x)
    _set_random_weights(dense)
    einsum.set_weights(dense.get_weights())
    dense.quantize("int8")
    einsum.quantize("int8")
    np.testing.assert_array_equal(einsum.kernel.numpy(), dense.kernel.numpy())
    np.testing.assert_allclose(einsum.kernel_scale.numpy().ravel(), dense.kernel_scale.numpy(), rtol=1e-6)
    np.testing.assert_allclose(einsum(x).numpy(), dense(x).numpy(), rtol=1e-5, atol=1e-6)


def test_dense_and_einsum_dense_run_the_backend_int8_gemm(backend, monkeypatch):
    """The int8 product goes through the backend's ``int8_matmul`` (the OpenCL int8 kernel there)."""
    calls = []
    original = backend.int8_matmul

    def counting(a, b, *args, **kwargs):
        calls.append((tuple(a.shape), tuple(b.shape), str(a.dtype), str(b.dtype)))
        return original(a, b, *args, **kwargs)

    monkeypatch.setattr(backend, "int8_matmul", counting)
    dense, einsum = layers.Dense(3), layers.EinsumDense("abc,cd->abd", output_shape=(None, 3))
    dense(_random((2, 4)))
    einsum(_random((2, 5, 4)))
    dense.quantize("int8")
    einsum.quantize("int8")
    dense(_random((2, 4)))
    einsum(_random((2, 5, 4)))
    assert calls == [((2, 4), (4, 3), "int8", "int8"), ((10, 4), (4, 3), "int8", "int8")]
