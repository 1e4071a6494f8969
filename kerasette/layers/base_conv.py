"""BaseConv: the rank-generic base of the convolution layers (Conv1D, Conv2D, Conv3D and the transposed ones)."""

from kerasette import activations, constraints, initializers, regularizers
from kerasette.layers import validation
from kerasette.layers.conv_utils import input_channels, set_window_arguments, window_config, window_output_shape
from kerasette.layers.layer import Layer
from kerasette.layers.weights_config import weights_config


class BaseConv(Layer):
    """Abstract N-D convolution layer (channels_last), the base of ``Conv1D``, ``Conv2D`` and ``Conv3D``.

    The layer cross-correlates its inputs with a kernel of shape ``kernel_size + (in, filters)``, adds a bias
    of shape ``(filters,)`` when ``use_bias`` is True and applies ``activation``. A subclass fixes ``rank``
    and implements ``call`` with the convolution op of that rank; everything else lives here.

    Args:
        rank: int, the number of spatial axes (2 for ``Conv2D``).
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of ``rank`` ints, the size of the convolution window.
        strides: int or tuple/list of ``rank`` ints, the step of the window. ``strides > 1`` is incompatible
            with ``dilation_rate > 1``.
        padding: ``"valid"`` (no padding) or ``"same"`` (pad evenly so that the output has
            ``ceil(input / strides)`` positions), case-insensitive.
        data_format: ``"channels_last"`` or None (the same); kerasette supports no other layout.
        dilation_rate: int or tuple/list of ``rank`` ints, the step between the kernel's taps.
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
        A ``rank + 2`` tensor ``(batch, *spatial_dims, channels)``.

    Output shape:
        A ``rank + 2`` tensor ``(batch, *new_spatial_dims, filters)``; each new spatial size follows from
        ``kernel_size``, ``strides``, ``padding`` and ``dilation_rate``.

    Raises:
        ValueError: for an invalid or unsupported argument.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.input_ndim = rank + 2
        self.filters = validation.positive_int(self, "filters", filters)
        set_window_arguments(self, rank, kernel_size, strides, padding, data_format, dilation_rate, groups)
        self.groups = 1
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def _kernel_shape(self, channels):
        """The kernel's shape for inputs with ``channels`` channels: ``kernel_size + (channels, filters)``."""
        return self.kernel_size + (channels, self.filters)

    def build(self, input_shape):
        shape = self._kernel_shape(input_channels(self, input_shape))
        if getattr(self, "quantization_mode", None) == "int8":  # Conv2D's int8 mode (kerasette.quantizers)
            self._int8_build(shape)
        else:
            self.kernel = self.add_weight(shape, self.kernel_initializer, regularizer=self.kernel_regularizer,
                                          constraint=self.kernel_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight((self.filters,), self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")

    def compute_output_shape(self, input_shape):
        return window_output_shape(self, input_shape, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            **window_config(self),
            "groups": self.groups,
            **weights_config(self),
        }
