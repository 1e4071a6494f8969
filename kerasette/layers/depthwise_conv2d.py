"""DepthwiseConv2D: each input channel correlated with its own ``depth_multiplier`` kernels."""

from kerasette.layers.base_depthwise_conv import BaseDepthwiseConv
from kerasette.quantizers.conv_int8 import Int8Conv


class DepthwiseConv2D(Int8Conv, BaseDepthwiseConv):
    """2D depthwise convolution layer (channels_last).

    Each input channel is cross-correlated with its own ``depth_multiplier`` kernels, and the results
    are concatenated along the channels: output channel ``c * depth_multiplier + k`` is input channel
    ``c`` correlated with ``kernel[:, :, c, k]``. Unlike ``Conv2D``, it does not mix the channels; it
    is the first step of a depthwise separable convolution. A bias is added when ``use_bias`` is True,
    then ``activation`` is applied. The kernel has shape ``(kh, kw, in, depth_multiplier)`` and is
    named ``kernel``, as in Keras 3.

    Args:
        kernel_size: int or tuple/list of 2 ints, the height and width of the convolution window.
        strides: int or tuple/list of 2 ints, the step of the window along height and width.
            ``strides > 1`` is incompatible with ``dilation_rate > 1``. Defaults to ``(1, 1)``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` rows and columns), case-insensitive. Defaults to ``"valid"``.
        depth_multiplier: positive int, the number of output channels per input channel; the layer
            outputs ``channels * depth_multiplier`` channels. Defaults to 1.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of 2 ints, the step between the kernel's taps.
            Defaults to ``(1, 1)``.
        activation: activation function or its name; None (the default) applies no activation.
        use_bias: bool, whether the layer adds a bias vector. Defaults to True.
        depthwise_initializer: initializer for the kernel. Defaults to ``"glorot_uniform"``.
        bias_initializer: initializer for the bias. Defaults to ``"zeros"``.
        depthwise_regularizer: optional regularizer for the kernel.
        bias_regularizer: optional regularizer for the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        depthwise_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to the
            kernel after each update.
        bias_constraint: optional constraint the optimizer applies to the bias after each update.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...), and
            ``groups``, which tf.keras 2 configs carry: it must be 1. Beyond Keras, ``layer.quantize("int8")``
            stores the kernel in int8 with one scale per output channel (``kerasette.quantizers``).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)``.

    Output shape:
        4D tensor with shape ``(batch_size, new_height, new_width, channels * depth_multiplier)``.

    Raises:
        ValueError: for an invalid or unsupported argument, including ``strides > 1`` together with
            ``dilation_rate > 1``.

    Example:
        >>> from kerasette import layers, ops
        >>> layer = layers.DepthwiseConv2D(3, depth_multiplier=3, activation="relu")
        >>> layer(ops.ones((4, 10, 10, 12))).shape
        (4, 8, 8, 36)
        >>> [tuple(w.shape) for w in layer.weights]
        [(3, 3, 12, 3), (36,)]
    """

    rank = 2

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            kernel_size, strides=strides, padding=padding, depth_multiplier=depth_multiplier,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            depthwise_initializer=depthwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint, **kwargs,
        )
