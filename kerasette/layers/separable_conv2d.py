"""SeparableConv2D: a depthwise convolution, then a 1x1 convolution mixing the channels."""

from kerasette import activations, initializers, regularizers
from kerasette.layers import validation
from kerasette.layers.conv_utils import input_channels, set_window_arguments, window_config, window_output_shape
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config
from kerasette.ops import fusion

# tf.keras 2 configs inherit these keys from Conv; they describe no weight of this layer.
_TF_KERAS_2_KEYS = ("kernel_initializer", "kernel_regularizer", "kernel_constraint")


class SeparableConv2D(Layer):
    """Depthwise separable 2-D convolution (channels_last). Weights, in Keras's order:
    ``depthwise_kernel`` (kh, kw, in, depth_multiplier), ``pointwise_kernel``
    (1, 1, in * depth_multiplier, filters) and ``bias`` (filters,)."""

    input_ndim = 4

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        groups = kwargs.pop("groups", 1)  # tf.keras 2 configs carry groups=1
        super().__init__(**kwargs)
        validation.not_supported(
            self,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
        )
        self.filters = validation.positive_int(self, "filters", filters)
        set_window_arguments(self, 2, kernel_size, strides, padding, data_format, dilation_rate, groups,
                             depth_multiplier)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.depthwise_kernel = self.add_weight(
            self.kernel_size + (channels, self.depth_multiplier), self.depthwise_initializer,
            regularizer=self.depthwise_regularizer, name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            (1, 1, channels * self.depth_multiplier, self.filters), self.pointwise_initializer,
            regularizer=self.pointwise_regularizer, name="pointwise_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((self.filters,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, name="bias")

    def call(self, inputs):
        return fusion.separable_conv_bias_activation(inputs, self.depthwise_kernel, self.pointwise_kernel,
                                                     self.bias, self.activation, self.strides, self.padding,
                                                     self.dilation_rate)

    def compute_output_shape(self, input_shape):
        return window_output_shape(self, input_shape, self.filters)

    @classmethod
    def from_config(cls, config):
        return cls(**{k: v for k, v in config.items() if k not in _TF_KERAS_2_KEYS})

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            **window_config(self),
            "depth_multiplier": self.depth_multiplier,
            **weights_config(self, ("depthwise", "pointwise")),
        }
