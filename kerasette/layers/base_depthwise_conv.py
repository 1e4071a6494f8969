"""BaseDepthwiseConv: the rank-generic base of DepthwiseConv1D and DepthwiseConv2D."""

from kerasette import activations, constraints, initializers, regularizers
from kerasette.layers.conv_utils import input_channels, set_window_arguments, window_config, window_output_shape
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config
from kerasette.ops import fusion


class BaseDepthwiseConv(Layer):
    """Abstract N-D depthwise convolution (channels_last): each input channel meets its own kernels.

    Output channel ``c * depth_multiplier + k`` is input channel ``c`` correlated with ``kernel[..., c, k]``;
    the kernel has shape ``kernel_size + (in, depth_multiplier)`` and is named ``kernel``, as in Keras 3. A
    subclass sets ``rank`` (``ops.depthwise_conv`` takes 1-D and 2-D inputs) and its defaults; the arguments
    are those of ``DepthwiseConv2D``.

    Args:
        kernel_size: int or tuple/list of ``rank`` ints, the size of the convolution window.
        strides: int or tuple/list of ``rank`` ints, the step of the window.
        padding: ``"valid"`` or ``"same"``, case-insensitive.
        depth_multiplier: positive int, the number of output channels per input channel.
        data_format: ``"channels_last"`` or None (the same).
        dilation_rate: int or tuple/list of ``rank`` ints, the step between the kernel's taps.
        activation: activation function or its name; None applies no activation.
        use_bias: bool, whether the layer adds a bias vector.
        depthwise_initializer: initializer for the kernel.
        bias_initializer: initializer for the bias.
        depthwise_regularizer: optional regularizer for the kernel.
        bias_regularizer: optional regularizer for the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        depthwise_constraint: optional constraint (``kerasette.constraints``) for the kernel.
        bias_constraint: optional constraint for the bias.
        **kwargs: base layer arguments, and ``groups`` (tf.keras 2 configs carry it): it must be 1.
    """

    rank = None

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        groups = kwargs.pop("groups", 1)  # tf.keras 2 configs carry groups=1
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_ndim = self.rank + 2
        set_window_arguments(self, self.rank, kernel_size, strides, padding, data_format, dilation_rate, groups,
                             depth_multiplier)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        shape = self.kernel_size + (channels, self.depth_multiplier)
        if getattr(self, "quantization_mode", None) == "int8":  # DepthwiseConv2D's int8 mode (kerasette.quantizers)
            self._int8_build(shape)
        else:
            self.kernel = self.add_weight(shape, self.depthwise_initializer, regularizer=self.depthwise_regularizer,
                                          constraint=self.depthwise_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((channels * self.depth_multiplier,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")

    def call(self, inputs):
        if getattr(self, "quantization_mode", None) == "int8":
            return self._int8_call(inputs)
        return fusion.depthwise_conv_bias_activation(inputs, self.kernel, self.bias, self.activation, self.strides,
                                                     self.padding, self.dilation_rate)

    def compute_output_shape(self, input_shape):
        channels = None if input_shape[-1] is None else input_shape[-1] * self.depth_multiplier
        return window_output_shape(self, input_shape, channels)

    def get_config(self):
        return {
            **super().get_config(),
            **window_config(self),
            "depth_multiplier": self.depth_multiplier,
            **weights_config(self, ("depthwise",)),
        }
