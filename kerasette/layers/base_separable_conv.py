"""BaseSeparableConv: the rank-generic base of SeparableConv1D and SeparableConv2D."""

from kerasette import activations, constraints, initializers, regularizers
from kerasette.layers import validation
from kerasette.layers.conv_utils import input_channels, set_window_arguments, window_config, window_output_shape
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config
from kerasette.ops import fusion

# tf.keras 2 configs inherit these keys from Conv; they describe no weight of this layer.
_TF_KERAS_2_KEYS = ("kernel_initializer", "kernel_regularizer", "kernel_constraint")


class BaseSeparableConv(Layer):
    """Abstract N-D separable convolution (channels_last): a depthwise convolution, then a pointwise one.

    The weights, in Keras's order: ``depthwise_kernel`` ``kernel_size + (in, depth_multiplier)``,
    ``pointwise_kernel`` ``(1,) * rank + (in * depth_multiplier, filters)`` and ``bias`` ``(filters,)``. A
    subclass sets ``rank`` (``ops.separable_conv`` takes 1-D and 2-D inputs) and its defaults; the arguments are
    those of ``SeparableConv2D``.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple/list of ``rank`` ints, the size of the depthwise window.
        strides: int or tuple/list of ``rank`` ints, the step of the depthwise window.
        padding: ``"valid"`` or ``"same"``, case-insensitive.
        data_format: ``"channels_last"`` or None (the same).
        dilation_rate: int or tuple/list of ``rank`` ints, the step between the depthwise kernel's taps.
        depth_multiplier: positive int, the number of depthwise output channels per input channel.
        activation: activation function or its name; None applies no activation.
        use_bias: bool, whether the layer adds a bias vector.
        depthwise_initializer: initializer for the depthwise kernel.
        pointwise_initializer: initializer for the pointwise kernel.
        bias_initializer: initializer for the bias.
        depthwise_regularizer: optional regularizer for the depthwise kernel.
        pointwise_regularizer: optional regularizer for the pointwise kernel.
        bias_regularizer: optional regularizer for the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        depthwise_constraint: optional constraint (``kerasette.constraints``) for the depthwise kernel.
        pointwise_constraint: optional constraint for the pointwise kernel.
        bias_constraint: optional constraint for the bias.
        **kwargs: base layer arguments, and ``groups`` (tf.keras 2 configs carry it): it must be 1.
    """

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        groups = kwargs.pop("groups", 1)  # tf.keras 2 configs carry groups=1
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = validation.positive_int(self, "filters", filters)
        self.input_ndim = self.rank + 2
        set_window_arguments(self, self.rank, kernel_size, strides, padding, data_format, dilation_rate, groups,
                             depth_multiplier)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.depthwise_kernel = self.add_weight(
            self.kernel_size + (channels, self.depth_multiplier), self.depthwise_initializer,
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint, name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            (1,) * self.rank + (channels * self.depth_multiplier, self.filters), self.pointwise_initializer,
            regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint, name="pointwise_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((self.filters,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")

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
