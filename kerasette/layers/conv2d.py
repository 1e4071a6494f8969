"""Conv2D: 2-D cross-correlation over NHWC images with a (kh, kw, in, out) kernel."""

from kerasette.layers.base_conv import BaseConv
from kerasette.ops import fusion
from kerasette.quantizers.conv_int8 import Int8Conv


class Conv2D(Int8Conv, BaseConv):
    """2-D convolution layer (channels_last).

    The layer cross-correlates its inputs with a ``(kh, kw, in, filters)`` kernel, adds a bias when
    ``use_bias`` is True and applies ``activation``. A bias with the ReLU activation runs as one fused op.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of 2 ints, the height and width of the convolution window.
        strides: int or tuple/list of 2 ints, the step of the window along height and width.
            ``strides > 1`` is incompatible with ``dilation_rate > 1``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` rows and columns), case-insensitive.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of 2 ints, the step between the kernel's taps.
        groups: must be 1 (grouped convolution is not supported).
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
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...). Beyond Keras,
            ``layer.quantize("int8")`` stores the kernel in int8 with one scale per filter
            (``kerasette.quantizers``; Keras cannot load such a layer).

    Input shape:
        4D tensor with shape ``(batch_size, height, width, channels)``. ``data_format="channels_first"``
        is refused with a ValueError.

    Output shape:
        4D tensor with shape ``(batch_size, new_height, new_width, filters)``.

    Example:
        >>> from kerasette import layers, ops
        >>> layer = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")
        >>> tuple(layer(ops.ones((2, 9, 9, 3))).shape)
        (2, 5, 5, 4)
        >>> [tuple(w.shape) for w in layer.weights]
        [(3, 3, 3, 4), (4,)]
        >>> layers.Conv2D(8, (3, 5)).compute_output_shape((None, 28, 28, 1))
        (None, 26, 24, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            2, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs,
        )

    def call(self, inputs):
        if self.quantization_mode == "int8":
            return self._int8_call(inputs)
        return fusion.conv_bias_activation(inputs, self.kernel, self.bias, self.activation, self.strides,
                                           self.padding, self.dilation_rate)
