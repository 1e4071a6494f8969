"""ConvLSTMCell: one step of a convolutional LSTM (Shi et al., 2015), gates in Keras's order i, f, c, o."""


from kerasette import activations, constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.conv_utils import set_window_arguments, window_output_sizes
from kerasette.layers.layer import Layer
from kerasette.layers.rnn.base_rnn_cell import lstm_bias_initializer, store_cell_arguments
from kerasette.layers.rnn.dropout_rnn_cell import DropoutRNNCell


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One step of a convolutional LSTM: an LSTM whose input and recurrent products are convolutions.

    With ``z = conv(x_t, kernel) + conv_same(h_{t-1}, recurrent_kernel) + bias`` split into four blocks
    along the channels: ``i, f, o = recurrent_activation(z_i, z_f, z_o)``,
    ``c_t = f * c_{t-1} + i * activation(z_c)`` and ``h_t = o * activation(c_t)``. The input convolution
    uses the cell's ``strides``, ``padding`` and ``dilation_rate``; the recurrent one stride 1 and
    "same" padding, so the states keep the input convolution's output size. Weights as Keras stores
    them: ``kernel`` ``kernel_size + (channels, 4 * filters)``, ``recurrent_kernel``
    ``kernel_size + (filters, 4 * filters)``, ``bias`` ``(4 * filters,)``, channel blocks i, f, c, o.

    Args:
        rank: 1, 2 or 3, the number of spatial axes.
        filters: positive int, the number of output channels (of ``h`` and ``c``).
        kernel_size: int or tuple of ``rank`` ints, the convolution window.
        strides: int or tuple of ``rank`` ints, of the input convolution. Defaults to 1.
        padding: ``"valid"`` (the default) or ``"same"``, of the input convolution.
        data_format: ``"channels_last"`` or None (the only layout kerasette supports).
        dilation_rate: int or tuple of ``rank`` ints, of the input convolution. Defaults to 1.
        activation: activation of the candidate and of the cell state. Defaults to ``"tanh"``.
        recurrent_activation: activation of the gates. Defaults to ``"sigmoid"``.
        use_bias: bool, whether the cell has a bias. Defaults to True.
        kernel_initializer: initializer of ``kernel``. Defaults to ``"glorot_uniform"``.
        recurrent_initializer: initializer of ``recurrent_kernel``. Defaults to ``"orthogonal"``.
        bias_initializer: initializer of ``bias``. Defaults to ``"zeros"``.
        unit_forget_bias: bool; True (the default) starts the forget gate's bias at 1.
        kernel_regularizer: optional regularizer of ``kernel``.
        recurrent_regularizer: optional regularizer of ``recurrent_kernel``.
        bias_regularizer: optional regularizer of ``bias``.
        kernel_constraint: optional constraint of ``kernel``.
        recurrent_constraint: optional constraint of ``recurrent_kernel``.
        bias_constraint: optional constraint of ``bias``.
        dropout: float in [0, 1), fraction of the inputs dropped while training (one mask per gate).
        recurrent_dropout: float in [0, 1), fraction of the previous ``h`` dropped while training.
        seed: optional int, the seed of the dropout masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).

    Call arguments:
        inputs: a step's input, ``(batch, *spatial, channels)``.
        states: ``[h, c]``, each ``(batch, *output_spatial, filters)``.
        training: whether dropout applies.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise validation.invalid(self, "rank", "1, 2 or 3", rank)
        self.rank = rank
        self.filters = validation.positive_int(self, "filters", filters)
        set_window_arguments(self, rank, kernel_size, strides, padding, data_format, dilation_rate)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.unit_forget_bias = bool(unit_forget_bias)
        store_cell_arguments(self, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer,
                             recurrent_regularizer, bias_regularizer, kernel_constraint, recurrent_constraint,
                             bias_constraint, dropout, recurrent_dropout, seed)
        self.dropout_mask_count = 4  # one mask per gate, as Keras
        self.state_size = [self.filters, self.filters]  # channels of h and c (their spatial size comes at build)
        self.output_size = self.filters
        self.state_spatial = None

    def build(self, input_shape):
        spatial = tuple(input_shape[1:-1])
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"Layer `{self.name}` expects steps of rank {self.rank + 2}, (batch, *spatial, "
                             f"channels). Received step shape {tuple(input_shape)}.")
        if None in spatial or input_shape[-1] is None:
            raise ValueError(f"ConvLSTM layers only support static input shapes for the spatial and channel "
                             f"dimensions (layer `{self.name}`). Received step shape {tuple(input_shape)}.")
        self.state_spatial = window_output_sizes(input_shape, self.kernel_size, self.padding, self.strides,
                                                 self.dilation_rate)
        if any(size <= 0 for size in self.state_spatial):
            raise ValueError(f"Layer `{self.name}`: the input's spatial size {spatial} is too small for the kernel "
                             f"{self.kernel_size} with padding {self.padding!r}.")
        width = 4 * self.filters
        self.kernel = self.add_weight(self.kernel_size + (int(input_shape[-1]), width), self.kernel_initializer,
                                      name="kernel", regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(self.kernel_size + (self.filters, width), self.recurrent_initializer,
                                                name="recurrent_kernel", regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        initializer = lstm_bias_initializer(self.bias_initializer, self.unit_forget_bias, self.filters)
        self.bias = self.add_weight((width,), initializer, name="bias", regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def state_shape(self, batch_size):
        """The shape of ``h`` and of ``c``: ``(batch_size, *output_spatial, filters)``."""
        return (batch_size,) + tuple(self.state_spatial) + (self.filters,)

    def get_initial_state(self, batch_size=None):
        """Zero ``h`` and ``c`` of shape ``state_shape(batch_size)`` (the cell must be built).

        Args:
            batch_size: int, the batch size.

        Returns:
            ``[h, c]``, zero tensors in the cell's compute dtype.
        """
        shape = self.state_shape(batch_size)
        return [ops.zeros(shape, self.compute_dtype), ops.zeros(shape, self.compute_dtype)]

    def input_conv(self, x, kernel, bias=None):
        """The input convolution (the cell's strides, padding and dilation), plus ``bias``."""
        out = ops.conv(x, kernel, strides=self.strides, padding=self.padding, dilation_rate=self.dilation_rate)
        return out if bias is None else ops.add(out, bias)

    def recurrent_conv(self, h, kernel):
        """The recurrent convolution: stride 1, "same" padding."""
        return ops.conv(h, kernel, strides=1, padding="same")

    def gates(self, z, c_tm1):
        """``(h, c)`` from the pre-activations ``z`` (four channel blocks) and the previous carry."""
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1) if not isinstance(z, list) else z
        i, f, o = self.recurrent_activation(z_i), self.recurrent_activation(z_f), self.recurrent_activation(z_o)
        c = ops.add(ops.multiply(f, c_tm1), ops.multiply(i, self.activation(z_c)))
        return ops.multiply(o, self.activation(c)), c

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp_mask = self.get_dropout_mask(inputs) if training else None
        rec_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        if dp_mask is None and rec_mask is None:  # all four gates in one convolution each way (same numbers)
            z = ops.add(self.input_conv(inputs, self.kernel, self.bias), self.recurrent_conv(h_tm1,
                                                                                             self.recurrent_kernel))
        else:
            kernels = ops.split(self.kernel, 4, axis=-1)
            recurrent_kernels = ops.split(self.recurrent_kernel, 4, axis=-1)
            biases = ops.split(self.bias, 4, axis=0) if self.use_bias else [None] * 4
            z = []
            for k in range(4):
                x_k = inputs if dp_mask is None else ops.multiply(inputs, dp_mask[k])
                h_k = h_tm1 if rec_mask is None else ops.multiply(h_tm1, rec_mask[k])
                z.append(ops.add(self.input_conv(x_k, kernels[k], biases[k]),
                                 self.recurrent_conv(h_k, recurrent_kernels[k])))
        h, c = self.gates(z, c_tm1)
        return h, [h, c]

    def fused_sequence(self, sequences, states, mask=None, go_backwards=False, zero_output_for_mask=False,
                       training=None):
        """The whole sequence with the input convolution of every step done as one call, or None.

        Used by ``RNN`` when there is no mask and no dropout; the numbers equal the step loop's.

        Args:
            sequences: ``(batch, timesteps, *spatial, channels)`` tensor.
            states: the initial ``[h, c]``.
            mask: must be None (else None is returned).
            go_backwards: process the steps in reverse order.
            zero_output_for_mask: unused without a mask.
            training: whether dropout applies (with dropout, None is returned).

        Returns:
            ``(outputs, [h, c])`` with outputs time-major ``(timesteps, batch, ...)`` in processing order, or
            None.
        """
        if mask is not None or (training and (self.dropout > 0 or self.recurrent_dropout > 0)):
            return None
        batch, steps = sequences.shape[0], sequences.shape[1]
        merged = ops.reshape(sequences, (batch * steps,) + tuple(sequences.shape[2:]))
        projected = self.input_conv(merged, self.kernel, self.bias)
        projected = ops.reshape(projected, (batch, steps) + tuple(projected.shape[1:]))
        h, c = states[0], states[1]
        outputs = []
        for t in (reversed(range(steps)) if go_backwards else range(steps)):
            h, c = self.gates(ops.add(projected[:, t], self.recurrent_conv(h, self.recurrent_kernel)), c)
            outputs.append(h)
        return ops.stack(outputs, axis=0), [h, c]

    def compute_output_shape(self, input_shape):
        shape = (input_shape[0],) + window_output_sizes(input_shape, self.kernel_size, self.padding, self.strides,
                                                        self.dilation_rate) + (self.filters,)
        return shape, [shape, shape]

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
                "strides": list(self.strides), "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": list(self.dilation_rate), "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "unit_forget_bias": self.unit_forget_bias,
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint), "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "seed": self.seed, "rank": self.rank}
