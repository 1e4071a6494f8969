"""ConvLSTM1D, ConvLSTM2D and ConvLSTM3D: LSTMs whose input and recurrent products are convolutions."""

from kerasette import ops
from kerasette.layers.input_spec import InputSpec
from kerasette.layers.rnn.cell_layer import CellLayer, cell_kwargs
from kerasette.layers.rnn.conv_lstm_cell import ConvLSTMCell

_WINDOW_KEYS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")
_WEIGHT_KEYS = ("activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                "bias_constraint", "dropout", "recurrent_dropout")


class ConvLSTM(CellLayer):
    """Base of the convolutional LSTM layers: ``ConvLSTMCell`` run over every timestep.

    The input convolutions of all the steps run as one convolution over ``batch * timesteps`` images;
    each step then adds the recurrent convolution of the previous ``h`` (stride 1, "same" padding) and
    applies the LSTM gates. With dropout while training, or a mask, the steps run one by one as Keras
    runs them (one dropout mask per gate).

    Args:
        rank: 1, 2 or 3, the number of spatial axes.
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of ``rank`` ints, the convolution window.
        strides: int or tuple of ``rank`` ints, of the input convolution. Defaults to 1.
        padding: ``"valid"`` (the default) or ``"same"``, of the input convolution.
        data_format: ``"channels_last"`` or None (the only layout kerasette supports).
        dilation_rate: int or tuple of ``rank`` ints, of the input convolution. Defaults to 1.
        activation: activation of the candidate and the cell state. Defaults to ``"tanh"``.
        recurrent_activation: activation of the gates. Defaults to ``"sigmoid"``.
        use_bias: bool. Defaults to True.
        kernel_initializer: initializer of ``kernel``. Defaults to ``"glorot_uniform"``.
        recurrent_initializer: initializer of ``recurrent_kernel``. Defaults to ``"orthogonal"``.
        bias_initializer: initializer of ``bias``. Defaults to ``"zeros"``.
        unit_forget_bias: bool; True (the default) starts the forget gate's bias at 1.
        kernel_regularizer: optional regularizer of ``kernel``.
        recurrent_regularizer: optional regularizer of ``recurrent_kernel``.
        bias_regularizer: optional regularizer of ``bias``.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of ``kernel``.
        recurrent_constraint: optional constraint of ``recurrent_kernel``.
        bias_constraint: optional constraint of ``bias``.
        dropout: float in [0, 1), fraction of the inputs dropped while training.
        recurrent_dropout: float in [0, 1), fraction of the previous ``h`` dropped while training.
        seed: optional int, the seed of the dropout masks.
        return_sequences: bool, return every step's output. Defaults to False.
        return_state: bool, also return the final ``h`` and ``c``. Defaults to False.
        go_backwards: bool, process the sequence backwards.
        stateful: bool, carry the final states over to the next batch (needs a fixed batch size).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Call arguments:
        sequences: a ``(batch, timesteps, *spatial, channels)`` tensor.
        initial_state: optional ``[h, c]``, each ``(batch, *output_spatial, filters)``.
        mask: optional ``(batch, timesteps)`` boolean tensor; False steps are skipped.
        training: whether dropout applies.
    """

    config_keys = _WINDOW_KEYS + _WEIGHT_KEYS

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        cell = ConvLSTMCell(rank, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                            dilation_rate=dilation_rate, activation=activation,
                            recurrent_activation=recurrent_activation, use_bias=use_bias,
                            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                            **cell_kwargs("conv_lstm_cell", kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, activity_regularizer=activity_regularizer,
                         **kwargs)
        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 3)

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.rank + 3:
            raise ValueError(f"Layer `{self.name}` expects inputs of rank {self.rank + 3}, (batch, timesteps, "
                             f"*spatial, channels). Received input shape {tuple(sequences_shape)}.")
        super().build(sequences_shape, initial_state_shape)

    def _check_initial_state(self, initial_state, batch):
        flat = [ops.convert_to_tensor(s, self.compute_dtype) for s in initial_state]
        expected = self.cell.state_shape(batch)
        if len(flat) != 2 or any(tuple(s.shape) != expected for s in flat):
            raise ValueError(f"Invalid `initial_state` for layer `{self.name}`: expected [h, c], each of shape "
                             f"{expected}. Received shape(s) {[tuple(s.shape) for s in flat]}.")
        return flat

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        state = self.cell.compute_output_shape((batch,) + tuple(sequences_shape[2:]))[0]
        output = (batch, steps) + tuple(state[1:]) if self.return_sequences else tuple(state)
        return [output, tuple(state), tuple(state)] if self.return_state else output


class ConvLSTM1D(ConvLSTM):
    """1-D convolutional LSTM: inputs ``(batch, timesteps, steps_1d, channels)``.

    See ``ConvLSTM`` for the arguments (without ``rank``). Weights as Keras stores them:
    ``kernel`` (k, channels, 4 * filters), ``recurrent_kernel`` (k, filters, 4 * filters), ``bias``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.ConvLSTM1D(4, 3, return_sequences=True)(np.ones((2, 5, 10, 3), "float32")).shape
        (2, 5, 8, 4)
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(1, filters, kernel_size, **kwargs)


class ConvLSTM2D(ConvLSTM):
    """2-D convolutional LSTM (Shi et al., 2015): inputs ``(batch, timesteps, rows, cols, channels)``.

    See ``ConvLSTM`` for the arguments (without ``rank``). Weights as Keras stores them:
    ``kernel`` (kh, kw, channels, 4 * filters), ``recurrent_kernel`` (kh, kw, filters, 4 * filters),
    ``bias`` (4 * filters,), channel blocks i, f, c, o; Keras files load as they are.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> frames = np.ones((2, 5, 8, 8, 1), "float32")
        >>> layers.ConvLSTM2D(4, 3, padding="same")(frames).shape
        (2, 8, 8, 4)
        >>> out, h, c = layers.ConvLSTM2D(4, 3, return_sequences=True, return_state=True)(frames)
        >>> out.shape, h.shape
        ((2, 5, 6, 6, 4), (2, 6, 6, 4))
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(2, filters, kernel_size, **kwargs)


class ConvLSTM3D(ConvLSTM):
    """3-D convolutional LSTM: inputs ``(batch, timesteps, dim1, dim2, dim3, channels)``.

    See ``ConvLSTM`` for the arguments (without ``rank``).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.ConvLSTM3D(2, 3)(np.ones((1, 3, 4, 4, 4, 1), "float32")).shape
        (1, 2, 2, 2, 2)
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(3, filters, kernel_size, **kwargs)
