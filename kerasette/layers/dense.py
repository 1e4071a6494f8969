"""Dense: ``activation(inputs @ kernel + bias)``."""

from kerasette import activations, constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config
from kerasette.ops import fusion
from kerasette.quantizers.dense_int8 import Int8Dense


class Dense(Int8Dense, Layer):
    """Just your regular densely connected layer.

    ``Dense`` computes ``output = activation(dot(inputs, kernel) + bias)``, where ``kernel`` is a
    ``(input_dim, units)`` weight matrix, ``bias`` a ``(units,)`` vector (only when ``use_bias`` is
    True) and ``activation`` is applied elementwise. Inputs of rank > 2 are multiplied along their last
    axis, so ``(batch, d0, d1)`` becomes ``(batch, d0, units)``. A bias with the ReLU activation runs as
    one fused op.

    Args:
        units: positive int, the size of the output's last axis.
        activation: activation function or its name (such as ``"relu"``). None (the default) applies
            none: ``a(x) = x``.
        use_bias: bool, whether the layer adds a bias vector. Defaults to True.
        kernel_initializer: initializer for the kernel. Defaults to ``"glorot_uniform"``.
        bias_initializer: initializer for the bias. Defaults to ``"zeros"``.
        kernel_regularizer: optional regularizer applied to the kernel.
        bias_regularizer: optional regularizer applied to the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        kernel_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to the kernel
            after each update.
        bias_constraint: optional constraint the optimizer applies to the bias after each update.
        quantization_config: an ``Int8QuantizationConfig`` for a layer created already quantized (with
            ``dtype="int8_from_float32"``, as a loaded quantized model is); None otherwise.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...). Keras's
            ``lora_rank`` and ``lora_alpha`` are not supported and raise a TypeError.

    ``layer.quantize("int8")`` (or ``model.quantize("int8")``) stores the kernel in int8 with one scale per
    unit, as Keras 3 does (see ``kerasette.quantizers``).

    Input shape:
        N-D tensor with shape ``(batch_size, ..., input_dim)``, N >= 2; most often
        ``(batch_size, input_dim)``.

    Output shape:
        N-D tensor with shape ``(batch_size, ..., units)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.Dense(3, kernel_initializer="ones", bias_initializer="ones")
        >>> layer(np.array([[1.0, 2.0]])).numpy().tolist()
        [[4.0, 4.0, 4.0]]
        >>> [tuple(w.shape) for w in layer.weights]
        [(2, 3), (3,)]
        >>> layers.Dense(16).compute_output_shape((None, 10, 8))
        (None, 10, 16)
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = validation.positive_int(self, "units", units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                f"Layer `{self.name}` needs inputs of rank >= 2 with a known last dimension. "
                f"Received input shape {tuple(input_shape)}."
            )
        if self.quantization_mode == "int8":
            self._int8_build((input_shape[-1], self.units))
        else:
            self.kernel = self.add_weight((input_shape[-1], self.units), self.kernel_initializer,
                                          regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                          name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((self.units,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")

    def call(self, inputs):
        if self.quantization_mode == "int8":
            return self._int8_call(inputs)
        return fusion.bias_activation(ops.matmul(inputs, self.kernel), self.bias, self.activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            **weights_config(self),
        }
