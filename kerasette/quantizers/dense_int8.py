"""Int8 ``Dense``, as Keras 3: an int8 kernel with one scale per unit, inputs quantized per row at each call.

``y = (q(x) @ kernel) / (kernel_scale * x_scale) + bias``, where ``q(x)`` is the inputs quantized along
their last axis (``AbsMaxQuantizer``; one scale per row, that is per sample of a 2-D input) and the product
is an exact integer sum. The gradient reaching the inputs is Keras's: the upstream gradient times the
dequantized kernel (``kernel / kernel_scale``), straight through the rounding; the kernel and its scale are
frozen (trainable=False), the bias still trains.
"""

from __future__ import annotations

from typing import Any

from kerasette import ops
from kerasette.ops import fusion
from kerasette.quantizers.int8_ops import int8_matmul
from kerasette.quantizers.quantizable import Int8Quantizable
from kerasette.quantizers.quantization_config import QuantizationConfig
from kerasette.quantizers.quantizers import AbsMaxQuantizer


def quantized_matmul(inputs: Any, kernel: Any, kernel_scale: Any, inputs_quantizer: Any, dtype: str) -> Any:
    """``inputs @ kernel`` for an int8 ``kernel`` (in, out) with per-column ``kernel_scale``, as Keras computes it.

    Args:
        inputs: the float inputs (..., in).
        kernel: the int8 kernel.
        kernel_scale: its scale (out,): integers per unit of the float kernel.
        inputs_quantizer: the inputs' quantizer (called with ``axis=-1``), or None for float inputs.
        dtype: the compute dtype.

    Returns:
        The float product (..., out); its gradient reaches ``inputs`` only.
    """

    @ops.custom_gradient
    def product(x, k, scale):
        def grad(upstream):
            float_kernel = ops.divide(ops.cast(k, dtype), scale)
            return ops.matmul(upstream, ops.transpose(float_kernel)), None, None

        output_scale = scale
        if inputs_quantizer:
            x, x_scale = inputs_quantizer(x, axis=-1)
            output_scale = ops.multiply(output_scale, x_scale)
            y = int8_matmul(x, k)
        else:
            y = ops.matmul(x, ops.cast(k, dtype))
        return ops.divide(ops.cast(y, dtype), output_scale), grad

    return product(inputs, kernel, kernel_scale)


class Int8Dense(Int8Quantizable):
    """The int8 hooks of ``Dense`` (see ``Int8Quantizable``)."""

    def _int8_build(self, kernel_shape, old=None):
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(self.quantization_config,
                                                                                   AbsMaxQuantizer())
        self.kernel = self._replace_weight(old, kernel_shape, "int8", "kernel")
        self.kernel_scale = self._replace_weight(None, (self.units,), self.dtype, "kernel_scale", "ones")

    def _int8_quantize(self, config):
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=0))
        values, scale = quantizer(self.kernel, to_numpy=True)
        self._int8_build(tuple(self.kernel.shape), old=self.kernel)
        self.kernel.assign(values)
        self.kernel_scale.assign(ops.reshape(scale, (self.units,)))

    def _int8_call(self, inputs):
        x = quantized_matmul(inputs, self.kernel, self.kernel_scale, self.inputs_quantizer, self.compute_dtype)
        return fusion.bias_activation(x, self.bias, self.activation)
