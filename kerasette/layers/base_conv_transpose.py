"""BaseConvTranspose: the rank-generic base of Conv1DTranspose, Conv2DTranspose and Conv3DTranspose."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.base_conv import BaseConv
from kerasette.ops import fusion
from kerasette.ops.transposed import conv_transpose_output_shape


class BaseConvTranspose(BaseConv):
    """Abstract N-D transposed convolution layer (channels_last).

    The transpose of a convolution (sometimes called deconvolution): each input pixel scatters the kernel,
    scaled by its value, into the output, which is ``strides`` times larger (see ``ops.conv_transpose``). The
    kernel has shape ``kernel_size + (filters, in)``, as in Keras; a bias of shape ``(filters,)`` is added when
    ``use_bias`` is True, then ``activation`` is applied.

    Args:
        rank: int, the number of spatial axes.
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of ``rank`` ints, the size of the convolution window.
        strides: int or tuple/list of ``rank`` ints, the upsampling factor along each axis. ``strides > 1`` is
            incompatible with ``dilation_rate > 1``.
        padding: ``"valid"`` or ``"same"``, case-insensitive. The output's size per axis is
            ``(size - 1) * strides + max(kernel_size, strides)`` with ``"valid"`` and ``size * strides`` with
            ``"same"``, unless ``output_padding`` is given.
        output_padding: None, or an int or tuple/list of ``rank`` ints, each smaller than its stride: the
            amount added to the output's size (``(size - 1) * strides + kernel_size % 2 + output_padding`` with
            ``"same"``, ``(size - 1) * strides + kernel_size + output_padding`` with ``"valid"``).
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of ``rank`` ints, the step between the kernel's taps.
        activation: activation function or its name; None applies no activation.
        use_bias: bool, whether the layer adds a bias vector.
        kernel_initializer: initializer for the kernel (default ``"glorot_uniform"``).
        bias_initializer: initializer for the bias (default ``"zeros"``).
        kernel_regularizer: optional regularizer for the kernel.
        bias_regularizer: optional regularizer for the bias.
        activity_regularizer: optional regularizer of the layer's output; its penalty (per sample) joins
            ``losses`` at each call.
        kernel_constraint: optional constraint (``kerasette.constraints``) for the kernel.
        bias_constraint: optional constraint for the bias.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Raises:
        ValueError: for an invalid argument, including an ``output_padding`` not smaller than ``strides``.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(
            rank, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs,
        )
        self.output_padding = None
        if output_padding is not None:
            if isinstance(output_padding, int) and not isinstance(output_padding, bool):
                output_padding = (output_padding,) * rank
            valid = isinstance(output_padding, (tuple, list)) and len(output_padding) == rank and all(
                isinstance(p, int) and not isinstance(p, bool) and 0 <= p < s
                for p, s in zip(output_padding, self.strides))
            if not valid:
                raise validation.invalid(
                    self, "output_padding", f"None, or an int or {rank} ints >= 0 and smaller than strides "
                    f"{self.strides}", output_padding)
            self.output_padding = tuple(int(p) for p in output_padding)

    def _kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def call(self, inputs):
        outputs = ops.conv_transpose(inputs, self.kernel, self.strides, self.padding, self.output_padding,
                                     dilation_rate=self.dilation_rate)
        return fusion.bias_activation(outputs, self.bias, self.activation)

    def compute_output_shape(self, input_shape):
        validation.input_rank(self, input_shape, self.rank + 2)
        return conv_transpose_output_shape(input_shape, self.kernel_size, self.filters, self.strides, self.padding,
                                           self.output_padding, self.dilation_rate)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        config["output_padding"] = None if self.output_padding is None else list(self.output_padding)
        return config
