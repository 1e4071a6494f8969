"""Conv2D: 2-D cross-correlation over NHWC images with a (kh, kw, in, out) kernel."""

from kerasette import activations, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.conv_utils import window_output_shape
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config


class Conv2D(Layer):
    """A 2-D convolution layer (channels_last)."""

    input_ndim = 4

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        validation.not_supported(
            self,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        self.filters = validation.positive_int(self, "filters", filters)
        self.kernel_size = validation.int_tuple(self, "kernel_size", kernel_size)
        self.strides = validation.int_tuple(self, "strides", strides)
        self.padding = validation.padding(self, padding)
        self.data_format = validation.data_format(self, data_format)
        self.dilation_rate = validation.int_tuple(self, "dilation_rate", dilation_rate)
        if groups != 1:
            raise validation.invalid(self, "groups", "1 (grouped convolution is not supported)", groups)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"Layer `{self.name}`: strides > 1 cannot be combined with dilation_rate > 1.")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(f"Layer `{self.name}` needs a known channel dimension. Received {input_shape}.")
        shape = self.kernel_size + (input_shape[-1], self.filters)
        self.kernel = self.add_weight(shape, self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((self.filters,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, name="bias")

    def call(self, inputs):
        if self.bias is not None and self.activation is activations.relu:  # one fused op: conv, bias, relu
            return ops.conv_bias_relu(inputs, self.kernel, self.bias, self.strides, self.padding,
                                      dilation_rate=self.dilation_rate)
        outputs = ops.conv(inputs, self.kernel, self.strides, self.padding, dilation_rate=self.dilation_rate)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return window_output_shape(self, input_shape, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": list(self.dilation_rate),
            "groups": 1,
            **weights_config(self),
        }
