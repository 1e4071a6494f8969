"""SeparableConv1D: a depthwise convolution of a sequence, then a pointwise one mixing the channels."""

from kerasette.layers.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution layer (channels_last).

    A depthwise convolution that acts on each channel separately (as ``DepthwiseConv1D``), followed by a
    pointwise (size 1) convolution that mixes the channels into ``filters`` outputs. A bias is added when
    ``use_bias`` is True, then ``activation`` is applied. The weights, in Keras's order: ``depthwise_kernel``
    ``(kernel_size, in, depth_multiplier)``, ``pointwise_kernel`` ``(1, in * depth_multiplier, filters)`` and
    ``bias`` ``(filters,)``.

    Args:
        filters: positive int, the number of output channels (of the pointwise convolution).
        kernel_size: int or tuple/list of 1 int, the length of the depthwise window.
        strides: int or tuple/list of 1 int, the step of the depthwise window. ``strides > 1`` is incompatible
            with ``dilation_rate > 1``. Defaults to 1.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(steps / strides)`` steps), case-insensitive. Defaults to ``"valid"``.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of 1 int, the step between the depthwise kernel's taps. Defaults to 1.
        depth_multiplier: positive int, the number of depthwise output channels per input channel.
            Defaults to 1.
        activation: activation function or its name; None (the default) applies no activation.
        use_bias: bool, whether the layer adds a bias vector. Defaults to True.
        depthwise_initializer: initializer for the depthwise kernel. Defaults to ``"glorot_uniform"``.
        pointwise_initializer: initializer for the pointwise kernel. Defaults to ``"glorot_uniform"``.
        bias_initializer: initializer for the bias. Defaults to ``"zeros"``.
        depthwise_regularizer: optional regularizer for the depthwise kernel.
        pointwise_regularizer: optional regularizer for the pointwise kernel.
        bias_regularizer: optional regularizer for the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        depthwise_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to the
            depthwise kernel after each update.
        pointwise_constraint: optional constraint the optimizer applies to the pointwise kernel.
        bias_constraint: optional constraint the optimizer applies to the bias.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, channels)``.

    Output shape:
        3D tensor with shape ``(batch_size, new_steps, filters)``.

    Example:
        >>> from kerasette import layers, ops
        >>> layer = layers.SeparableConv1D(4, 3, strides=2, padding="same", depth_multiplier=2)
        >>> layer(ops.ones((2, 9, 3))).shape
        (2, 5, 4)
        >>> [(w.name, tuple(w.shape)) for w in layer.weights]
        [('depthwise_kernel', (3, 3, 2)), ('pointwise_kernel', (1, 6, 4)), ('bias', (4,))]
    """

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, depth_multiplier=depth_multiplier, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer, pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint, **kwargs,
        )
