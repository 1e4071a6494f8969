"""Int8 ``Conv2D`` and ``DepthwiseConv2D``: beyond Keras 3, which quantizes no convolution.

The kernel is stored in int8 with one scale per output channel (``kernel_scale``, (filters,) or
(channels * depth_multiplier,)), the same absolute-maximum scheme as Keras's ``Dense``; the inputs are
quantized at each call with one scale per sample (over height, width and channels), or with a calibrated
static scale. ``y = conv(q(x), kernel) / (x_scale * kernel_scale)``, with exact integer sums
(``int8_ops``). The inputs' gradient is the float convolution's, through the dequantized kernel; the
kernel and its scale are frozen. Keras cannot load such a layer: a model with quantized convolutions is a
kerasette file.
"""

from __future__ import annotations

from kerasette import ops
from kerasette.quantizers.int8_ops import int8_conv, int8_depthwise_conv
from kerasette.quantizers.quantizable import Int8Quantizable
from kerasette.quantizers.quantization_config import QuantizationConfig
from kerasette.quantizers.quantizers import AbsMaxQuantizer


class Int8Conv(Int8Quantizable):
    """The int8 hooks of ``Conv2D`` and ``DepthwiseConv2D`` (see ``Int8Quantizable``)."""

    _ALWAYS_WRITE_QUANTIZATION_CONFIG = False  # Keras's convolutions have no such argument

    def _depthwise(self):
        return hasattr(self, "depth_multiplier")

    def _int8_build(self, kernel_shape, old=None):
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(self.quantization_config,
                                                                                   AbsMaxQuantizer())
        channels = kernel_shape[-1] * (kernel_shape[-2] if self._depthwise() else 1)
        self.kernel = self._replace_weight(old, kernel_shape, "int8", "kernel")
        self.kernel_scale = self._replace_weight(None, (channels,), self.dtype, "kernel_scale", "ones")

    def _int8_quantize(self, config):
        shape = tuple(self.kernel.shape)
        reduced = tuple(range(len(shape) - 2)) if self._depthwise() else tuple(range(len(shape) - 1))
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=reduced))
        values, scale = quantizer(self.kernel, to_numpy=True)
        self._int8_build(shape, old=self.kernel)
        self.kernel.assign(values)
        self.kernel_scale.assign(ops.reshape(scale, tuple(self.kernel_scale.shape)))

    def _float_conv(self, x, kernel):
        conv = ops.depthwise_conv if self._depthwise() else ops.conv
        return conv(x, kernel, self.strides, self.padding, dilation_rate=self.dilation_rate)

    def _int8_call(self, inputs):
        dtype, quantizer = self.compute_dtype, self.inputs_quantizer
        integer_conv = int8_depthwise_conv if self._depthwise() else int8_conv

        kept = 2 if self._depthwise() else 1  # the kernel's output-channel axes

        def float_kernel(k, scale):
            shape = (1,) * (len(k.shape) - kept) + tuple(k.shape[-kept:])
            return ops.divide(ops.cast(k, dtype), ops.reshape(scale, shape))

        @ops.custom_gradient
        def product(x, k, scale):
            def grad(upstream):
                source = ops.convert_to_tensor(x)
                with ops.GradientTape() as tape:
                    tape.watch(source)
                    y = ops.sum(ops.multiply(self._float_conv(source, float_kernel(k, scale)), upstream))
                return tape.gradient(y, [source])[0], None, None

            if not quantizer:
                return self._float_conv(x, float_kernel(k, scale)), grad
            xq, x_scale = quantizer(x, axis=tuple(range(1, len(x.shape))))
            y = ops.cast(integer_conv(xq, k, self.strides, self.padding, self.dilation_rate), dtype)
            return ops.divide(y, ops.multiply(x_scale, scale)), grad

        outputs = product(inputs, self.kernel, self.kernel_scale)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)
