"""DepthwiseConv2D: each input channel correlated with its own ``depth_multiplier`` kernels."""

from kerasette import activations, initializers, regularizers
from kerasette.layers import validation
from kerasette.layers.conv_utils import input_channels, set_window_arguments, window_config, window_output_shape
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config
from kerasette.ops import fusion


class DepthwiseConv2D(Layer):
    """Depthwise 2-D convolution (channels_last): output channel ``c * depth_multiplier + k`` is input
    channel ``c`` correlated with ``kernel[:, :, c, k]``. The kernel is (kh, kw, in, depth_multiplier)
    and named ``kernel``, as in Keras 3."""

    input_ndim = 4

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        groups = kwargs.pop("groups", 1)  # tf.keras 2 configs carry groups=1
        super().__init__(**kwargs)
        validation.not_supported(
            self,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
        )
        set_window_arguments(self, 2, kernel_size, strides, padding, data_format, dilation_rate, groups,
                             depth_multiplier)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.kernel = self.add_weight(self.kernel_size + (channels, self.depth_multiplier),
                                      self.depthwise_initializer, regularizer=self.depthwise_regularizer,
                                      name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((channels * self.depth_multiplier,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, name="bias")

    def call(self, inputs):
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
