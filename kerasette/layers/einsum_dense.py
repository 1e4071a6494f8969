"""EinsumDense: a dense layer whose product is any einsum equation between the inputs and the kernel."""

import math

from kerasette import activations, constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.einsum_equation import analyze_equation
from kerasette.layers.layer import Layer
from kerasette.quantizers.einsum_int8 import Int8EinsumDense


class EinsumDense(Int8EinsumDense, Layer):
    """A layer that uses ``einsum`` as the backing computation: ``activation(einsum(equation, x, kernel) + bias)``.

    Generalizes ``Dense`` to kernels and outputs of any rank: ``EinsumDense("ab,bc->ac", 64)`` is
    ``Dense(64)``; ``"abc,cde->abde"`` projects each position of a sequence into ``(heads, head_dim)``.

    Args:
        equation: the einsum equation between the inputs and the kernel, ``X,Y->Z`` (``...X,Y->...Z`` and
            ``X...,Y->Z...`` elide axes), where the first axis of ``X`` and ``Z`` is the batch axis.
        output_shape: int or tuple, the expected output shape without the batch axis (and without elided
            axes); None for sizes the input determines.
        activation: activation function or its name; None applies no activation.
        bias_axes: None, or a string of output axis letters to add a bias along.
        kernel_initializer: initializer for the kernel (default ``"glorot_uniform"``). A variance-scaling
            initializer uses the kernel's input axes (shared with the input) for ``fan_in`` and its output axes
            for ``fan_out``, as in Keras.
        bias_initializer: initializer for the bias (default ``"zeros"``).
        kernel_regularizer: optional regularizer for the kernel.
        bias_regularizer: optional regularizer for the bias.
        kernel_constraint: optional constraint (``kerasette.constraints``) for the kernel.
        bias_constraint: optional constraint for the bias.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``,
            ``activity_regularizer``...). Keras's ``lora_rank``, ``lora_alpha`` and ``gptq_unpacked_column_size``
            must be None. ``quantization_config``: an ``Int8QuantizationConfig`` for a layer created already
            quantized (``dtype="int8_from_float32"``); ``layer.quantize("int8")`` quantizes the kernel as Keras 3.

    Input shape:
        A tensor matching the equation's input spec.

    Output shape:
        ``(batch_size, *output_shape)`` (with elided axes where the equation puts them).

    Example:
        >>> from kerasette import layers, ops
        >>> layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de")
        >>> layer(ops.ones((2, 5, 16))).shape
        (2, 5, 4, 8)
        >>> [tuple(w.shape) for w in layer.weights]
        [(16, 4, 8), (4, 8)]
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None,
                 quantization_config=None, **kwargs):
        super().__init__(quantization_config=quantization_config, **kwargs)
        validation.not_supported(self, lora_rank=lora_rank, lora_alpha=lora_alpha,
                                 gptq_unpacked_column_size=gptq_unpacked_column_size)
        if not isinstance(equation, str):
            raise validation.invalid(self, "equation", "a string", equation)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise validation.invalid(self, "bias_axes", "None or a string of output axis letters", bias_axes)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_equation(self, input_shape)
        self._input_rank = len(input_shape)
        if self.quantization_mode == "int8":
            self._int8_build(tuple(kernel_shape))
        else:
            self.kernel = self.add_weight(tuple(kernel_shape), self._kernel_initializer(input_axes, output_axes),
                                          regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                          name="kernel")
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(tuple(bias_shape), self.bias_initializer, regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")

    def _kernel_initializer(self, input_axes, output_axes):
        """A variance-scaling initializer drawn as a (fan_in, fan_out) matrix, laid out along the kernel's axes."""
        base = self.kernel_initializer
        if not isinstance(base, initializers.VarianceScaling) or not input_axes or not output_axes:
            return base

        def draw(shape, dtype=None):
            order = list(input_axes) + list(output_axes)
            sizes = [shape[i] for i in order]
            fan_in = math.prod(shape[i] for i in input_axes)
            values = ops.reshape(base((fan_in, math.prod(shape) // fan_in), dtype=dtype), sizes)
            return ops.transpose(values, [order.index(i) for i in range(len(shape))])

        return draw

    def call(self, inputs):
        if self.quantization_mode == "int8":
            return self._int8_call(inputs)
        outputs = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return analyze_equation(self, input_shape)[2]

    def get_config(self):
        return {
            **super().get_config(),
            "output_shape": list(self.partial_output_shape),
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
