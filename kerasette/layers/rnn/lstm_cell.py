"""LSTMCell: one step of a long short-term memory, gates in Keras's order i, f, c, o."""

from kerasette import activations, ops
from kerasette.layers import validation
from kerasette.layers.rnn.base_rnn_cell import BaseRNNCell, lstm_bias_initializer
from kerasette.ops import recurrent


class LSTMCell(BaseRNNCell):
    """Cell class for the LSTM layer (Hochreiter & Schmidhuber, 1997): one step of the recurrence.

    With ``z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias`` split into four blocks:
    ``i, f, o = recurrent_activation(z_i, z_f, z_o)``, ``c_t = f * c_{t-1} + i * activation(z_c)`` and
    ``h_t = o * activation(c_t)``; the output is ``h_t`` and the states ``[h_t, c_t]``. Weights as Keras
    stores them: ``kernel`` (input_dim, 4 * units), ``recurrent_kernel`` (units, 4 * units), ``bias``
    (4 * units,), column blocks i, f, c, o.

    Args:
        units: positive int, the size of the output space.
        activation: activation of the candidate and of the cell state. Defaults to ``"tanh"``; None
            means linear.
        recurrent_activation: activation of the gates. Defaults to ``"sigmoid"``; None means linear.
        use_bias: bool, whether the cell has a bias. Defaults to True.
        kernel_initializer: initializer of ``kernel``. Defaults to ``"glorot_uniform"``.
        recurrent_initializer: initializer of ``recurrent_kernel``. Defaults to ``"orthogonal"``.
        bias_initializer: initializer of ``bias``. Defaults to ``"zeros"``.
        unit_forget_bias: bool; True (the default) starts the forget gate's bias at 1 (Jozefowicz et
            al., 2015), the other blocks from ``bias_initializer``.
        kernel_regularizer: optional regularizer of ``kernel``.
        recurrent_regularizer: optional regularizer of ``recurrent_kernel``.
        bias_regularizer: optional regularizer of ``bias``.
        kernel_constraint: optional constraint of ``kernel``.
        recurrent_constraint: optional constraint of ``recurrent_kernel``.
        bias_constraint: optional constraint of ``bias``.
        dropout: float in [0, 1), fraction of the inputs dropped while training. Defaults to 0.
        recurrent_dropout: float in [0, 1), fraction of the previous state dropped while training.
        seed: optional int, the seed of the dropout masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``), and Keras's
            ``implementation`` (1 or 2; 1, also chosen by any recurrent dropout, draws one dropout
            mask per gate, as Keras).

    Call arguments:
        inputs: a (batch, features) tensor, the step's input.
        states: ``[h, c]``, the previous states, each (batch, units).
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> rnn = layers.RNN(layers.LSTMCell(4), return_state=True)
        >>> [tuple(t.shape) for t in rnn(np.ones((2, 5, 3), "float32"))]
        [(2, 4), (2, 4), (2, 4)]
    """

    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        if implementation not in (1, 2):
            raise validation.invalid(self, "implementation", "1 or 2", implementation)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]

    def build(self, input_shape):
        self._add_kernels(input_shape)
        self._add_bias((4 * self.units,), lstm_bias_initializer(self.bias_initializer, self.unit_forget_bias,
                                                                self.units))

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp_mask = self.get_dropout_mask(inputs) if training else None
        rec_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        if self.implementation == 1:  # one matmul (and one dropout mask) per gate, as Keras
            kernels = ops.split(self.kernel, 4, axis=1)
            recurrent_kernels = ops.split(self.recurrent_kernel, 4, axis=1)
            biases = ops.split(self.bias, 4, axis=0) if self.use_bias else [None] * 4
            z = []
            for k in range(4):
                x_k = inputs if dp_mask is None else ops.multiply(inputs, dp_mask[k])
                h_k = h_tm1 if rec_mask is None else ops.multiply(h_tm1, rec_mask[k])
                z_k = ops.add(ops.matmul(x_k, kernels[k]), ops.matmul(h_k, recurrent_kernels[k]))
                z.append(z_k if biases[k] is None else ops.add(z_k, biases[k]))
        else:
            x = inputs if dp_mask is None else ops.multiply(inputs, dp_mask)
            z = ops.add(ops.matmul(x, self.kernel), ops.matmul(h_tm1, self.recurrent_kernel))
            if self.use_bias:
                z = ops.add(z, self.bias)
            z = ops.split(z, 4, axis=1)
        i, f, o = (self.recurrent_activation(z[k]) for k in (0, 1, 3))
        c = ops.add(ops.multiply(f, c_tm1), ops.multiply(i, self.activation(z[2])))
        h = ops.multiply(o, self.activation(c))
        return h, [h, c]

    def _fused_activations(self, training):
        if training and self.dropout > 0 and self.implementation == 1:
            return None  # one input mask per gate: the per-step path
        return super()._fused_activations(training)

    def _run_fused(self, sequences, states, mask, go_backwards, zero_output_for_mask, training, act, ract):
        xz, mask = self._project(sequences, mask, go_backwards, training, self.bias)
        outputs, h, c = recurrent.lstm_sequence(xz, self.recurrent_kernel, states[0], states[1], mask, act, ract,
                                                zero_output_for_mask)
        return outputs, [h, c]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation), "use_bias": self.use_bias,
                "unit_forget_bias": self.unit_forget_bias, **self._weights_config(), **self._dropout_config(),
                "seed": self.seed}
