"""Int8 ``EinsumDense``, as Keras 3: an int8 kernel quantized over its contracted axes, inputs over theirs.

The scales' layouts are Keras's (``einsum_axes``): ``kernel_scale`` is stored aligned with the output, and
``y = einsum(q(x), kernel) / (x_scale * kernel_scale)``. The inputs' gradient is Keras's: the upstream
gradient contracted with the dequantized kernel; the kernel and its scale are frozen.
"""

from __future__ import annotations

from kerasette import ops
from kerasette.quantizers import einsum_axes
from kerasette.quantizers.int8_ops import int8_einsum
from kerasette.quantizers.quantizable import Int8Quantizable
from kerasette.quantizers.quantization_config import QuantizationConfig
from kerasette.quantizers.quantizers import AbsMaxQuantizer


class Int8EinsumDense(Int8Quantizable):
    """The int8 hooks of ``EinsumDense`` (see ``Int8Quantizable``); the layer sets ``_input_rank`` at build."""

    def _axes(self):
        return einsum_axes.analyze(self.equation, self._input_rank)

    def _int8_build(self, kernel_shape, old=None):
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(self.quantization_config,
                                                                                   AbsMaxQuantizer())
        self.kernel = self._replace_weight(old, kernel_shape, "int8", "kernel")
        self.kernel_scale = self._replace_weight(None, einsum_axes.kernel_scale_shape(self._axes(), kernel_shape),
                                                 self.dtype, "kernel_scale", "ones")

    def _int8_quantize(self, config):
        axes = self._axes()
        quantizer = QuantizationConfig.weight_quantizer_or_default(config,
                                                                   AbsMaxQuantizer(axis=tuple(axes.kernel_reduced)))
        values, scale = quantizer(self.kernel, to_numpy=True)
        shape = tuple(self.kernel.shape)
        self._int8_build(shape, old=self.kernel)
        self.kernel.assign(values)
        self.kernel_scale.assign(einsum_axes.align_kernel_scale(axes, scale))

    def _int8_call(self, inputs):
        axes, dtype, equation, quantizer = self._axes(), self.compute_dtype, self.equation, self.inputs_quantizer

        def float_kernel(k, scale):
            return ops.divide(ops.cast(k, dtype), einsum_axes.kernel_scale_for_kernel(axes, k.shape, scale))

        @ops.custom_gradient
        def product(x, k, scale):
            def grad(upstream):
                return ops.einsum(axes.gradient_equation, upstream, float_kernel(k, scale)), None, None

            if not quantizer:
                return ops.einsum(equation, x, float_kernel(k, scale)), grad
            xq, x_scale = quantizer(x, axis=tuple(axes.input_reduced))
            x_scale = einsum_axes.align_input_scale(axes, x_scale)
            y = ops.cast(int8_einsum(equation, xq, k), dtype)
            return ops.divide(y, ops.multiply(x_scale, scale)), grad

        outputs = product(inputs, self.kernel, self.kernel_scale)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)
