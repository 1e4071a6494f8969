"""Conv3DTranspose: the 3-D transposed convolution (the gradient of Conv3D with respect to its input)."""

from kerasette.layers.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer (sometimes called deconvolution), channels_last.

    Goes the opposite way of ``Conv3D``: from something shaped like a convolution's output to something
    shaped like its input, with a learned ``kernel_size + (filters, in)`` kernel; ``strides`` upsamples.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of 3 ints, the size of the convolution window.
        strides: int or tuple/list of 3 ints, the upsampling factor along each axis. ``strides > 1`` is
            incompatible with ``dilation_rate > 1``.
        padding: ``"valid"`` or ``"same"``, case-insensitive. The output's size per axis is
            ``(size - 1) * strides + max(kernel_size, strides)`` with ``"valid"`` and ``size * strides`` with
            ``"same"``, unless ``output_padding`` is given.
        output_padding: None, or an int or tuple/list of 3 ints, each smaller than its stride: the amount
            added to the output's size, which fixes it when several input sizes map to the same output.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of 3 ints, the step between the kernel's taps.
        activation: activation function or its name; None applies no activation.
        use_bias: bool, whether the layer adds a bias vector.
        kernel_initializer: initializer for the kernel (default ``"glorot_uniform"``).
        bias_initializer: initializer for the bias (default ``"zeros"``).
        kernel_regularizer: optional regularizer for the kernel.
        bias_regularizer: optional regularizer for the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        kernel_constraint: optional constraint (``kerasette.constraints``) the optimizer applies to the kernel
            after each update.
        bias_constraint: optional constraint the optimizer applies to the bias after each update.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        5D tensor with shape ``(batch_size, depth, height, width, channels)``.

    Output shape:
        5D tensor with shape ``(batch_size, new_depth, new_height, new_width, filters)``.

    Example:
        >>> from kerasette import layers, ops
        >>> layer = layers.Conv3DTranspose(2, 2, strides=2, padding="same")
        >>> tuple(layer(ops.ones((1, 2, 3, 3, 1))).shape), [tuple(w.shape) for w in layer.weights]
        ((1, 4, 6, 6, 2), [(2, 2, 2, 2, 1), (2,)])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(
            3, filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs,
        )
