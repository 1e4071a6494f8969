"""Conv1D: 1-D cross-correlation over ``(batch, steps, channels)`` sequences, with Keras's causal padding."""

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.base_conv import BaseConv
from kerasette.layers.conv_utils import window_output_sizes
from kerasette.ops import convolution, fusion


class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution), channels_last.

    The layer cross-correlates its inputs with a ``(kernel_size, in, filters)`` kernel along the steps, adds a
    bias when ``use_bias`` is True and applies ``activation``. It runs as a 2-D convolution of height 1, so a
    bias with the ReLU activation is one fused op.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of 1 int, the length of the convolution window.
        strides: int or tuple/list of 1 int, the step of the window. ``strides > 1`` is incompatible with
            ``dilation_rate > 1``.
        padding: ``"valid"`` (no padding), ``"same"`` (pad evenly so that the output has
            ``ceil(steps / strides)`` steps) or ``"causal"`` (pad ``(kernel_size - 1) * dilation_rate`` zeros on
            the left only, so that output step ``t`` sees no input after ``t``), case-insensitive.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of 1 int, the step between the kernel's taps.
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
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        3D tensor with shape ``(batch_size, steps, channels)``.

    Output shape:
        3D tensor with shape ``(batch_size, new_steps, filters)``.

    Example:
        >>> from kerasette import layers, ops
        >>> layer = layers.Conv1D(4, 3, padding="causal", dilation_rate=2)
        >>> tuple(layer(ops.ones((2, 10, 3))).shape), [tuple(w.shape) for w in layer.weights]
        ((2, 10, 4), [(3, 3, 4), (4,)])
        >>> layers.Conv1D(8, 5, strides=2).compute_output_shape((None, 20, 1))
        (None, 8, 8)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        causal = isinstance(padding, str) and padding.lower() == "causal"
        super().__init__(
            1, filters, kernel_size, strides=strides, padding="valid" if causal else padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups, activation=activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs,
        )
        if causal:
            self.padding = "causal"

    def call(self, inputs):
        padding = self.padding
        if padding == "causal":
            inputs, padding = convolution.causal_pad(inputs, self.kernel_size[0], self.dilation_rate[0]), "valid"
        outputs = fusion.conv_bias_activation(
            ops.expand_dims(inputs, 1), ops.expand_dims(self.kernel, 0), self.bias, self.activation,
            (1, self.strides[0]), padding, (1, self.dilation_rate[0]))
        return ops.squeeze(outputs, 1)

    def compute_output_shape(self, input_shape):
        if self.padding != "causal":
            return super().compute_output_shape(input_shape)
        validation.input_rank(self, input_shape, 3)  # causal: the "valid" output of the left-padded input
        steps = None if input_shape[1] is None else input_shape[1] + (self.kernel_size[0] - 1) * self.dilation_rate[0]
        (steps,) = window_output_sizes((None, steps, None), self.kernel_size, "valid", self.strides, self.dilation_rate)
        return (input_shape[0], steps, self.filters)
