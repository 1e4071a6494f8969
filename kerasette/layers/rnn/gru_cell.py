"""GRUCell: one step of a gated recurrent unit, gates in Keras's order z, r, h."""

from kerasette import activations, ops
from kerasette.layers import validation
from kerasette.layers.rnn.base_rnn_cell import BaseRNNCell
from kerasette.ops import recurrent


class GRUCell(BaseRNNCell):
    """Cell class for the GRU layer (Cho et al., 2014): one step of the recurrence.

    With ``x = x_t @ kernel + b_in`` and ``r_h = h_{t-1} @ recurrent_kernel + b_rec`` split into blocks
    z, r, h: ``z = recurrent_activation(x_z + r_z)``, ``r = recurrent_activation(x_r + r_r)``,
    ``hh = activation(x_h + r * r_h)`` (``reset_after=True``, the default and cuDNN's form) or
    ``activation(x_h + (r * h_{t-1}) @ recurrent_kernel_h)`` (``reset_after=False``), and
    ``h_t = z * h_{t-1} + (1 - z) * hh``. Weights as Keras stores them: ``kernel`` (input_dim,
    3 * units), ``recurrent_kernel`` (units, 3 * units), ``bias`` (2, 3 * units) with the input bias in
    row 0 and the recurrent bias in row 1 when ``reset_after``, else (3 * units,).

    Args:
        units: positive int, the size of the output space.
        activation: activation of the candidate state. Defaults to ``"tanh"``; None means linear.
        recurrent_activation: activation of the gates. Defaults to ``"sigmoid"``; None means linear.
        use_bias: bool, whether the cell has biases. Defaults to True.
        kernel_initializer: initializer of ``kernel``. Defaults to ``"glorot_uniform"``.
        recurrent_initializer: initializer of ``recurrent_kernel``. Defaults to ``"orthogonal"``.
        bias_initializer: initializer of ``bias``. Defaults to ``"zeros"``.
        kernel_regularizer: optional regularizer of ``kernel``.
        recurrent_regularizer: optional regularizer of ``recurrent_kernel``.
        bias_regularizer: optional regularizer of ``bias``.
        kernel_constraint: optional constraint of ``kernel``.
        recurrent_constraint: optional constraint of ``recurrent_kernel``.
        bias_constraint: optional constraint of ``bias``.
        dropout: float in [0, 1), fraction of the inputs dropped while training. Defaults to 0.
        recurrent_dropout: float in [0, 1), fraction of the previous state dropped while training.
        reset_after: bool, apply the reset gate after the recurrent matmul (True, the default) or
            before it (False, Keras <= 2.2's default; it runs step by step, not fused).
        seed: optional int, the seed of the dropout masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``), and Keras's
            ``implementation`` (1 or 2; 1, also chosen by any recurrent dropout, draws one dropout
            mask per gate, as Keras).

    Call arguments:
        inputs: a (batch, features) tensor, the step's input.
        states: a list holding the previous state (batch, units).
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> cell = layers.GRUCell(4)
        >>> layers.RNN(cell)(np.ones((2, 5, 3), "float32")).shape, tuple(cell.bias.shape)
        ((2, 4), (2, 12))
    """

    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        if implementation not in (1, 2):
            raise validation.invalid(self, "implementation", "1 or 2", implementation)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def build(self, input_shape):
        self._add_kernels(input_shape)
        self._add_bias((2, 3 * self.units) if self.reset_after else (3 * self.units,), self.bias_initializer)

    def _biases(self):
        if not self.use_bias:
            return None, None
        if self.reset_after:
            return self.bias[0], self.bias[1]
        return self.bias, None

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        input_bias, recurrent_bias = self._biases()
        dp_mask = self.get_dropout_mask(inputs) if training else None
        rec_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        per_gate = self.implementation == 1
        x = [inputs if dp_mask is None else ops.multiply(inputs, dp_mask[k] if per_gate else dp_mask) for k in range(3)]
        h = [h_tm1 if rec_mask is None else ops.multiply(h_tm1, rec_mask[k]) for k in range(3)]
        kernels = ops.split(self.kernel, 3, axis=1)
        recurrent_kernels = ops.split(self.recurrent_kernel, 3, axis=1)
        x_zrh = [ops.matmul(x[k], kernels[k]) for k in range(3)]
        if input_bias is not None:
            x_zrh = [ops.add(v, b) for v, b in zip(x_zrh, ops.split(input_bias, 3, axis=0))]
        r_zr = [ops.matmul(h[k], recurrent_kernels[k]) for k in range(2)]
        rec_biases = ops.split(recurrent_bias, 3, axis=0) if recurrent_bias is not None else None
        if rec_biases is not None:
            r_zr = [ops.add(v, b) for v, b in zip(r_zr, rec_biases)]
        z = self.recurrent_activation(ops.add(x_zrh[0], r_zr[0]))
        r = self.recurrent_activation(ops.add(x_zrh[1], r_zr[1]))
        if self.reset_after:
            r_h = ops.matmul(h[2], recurrent_kernels[2])
            if rec_biases is not None:
                r_h = ops.add(r_h, rec_biases[2])
            r_h = ops.multiply(r, r_h)
        else:
            r_h = ops.matmul(ops.multiply(r, h[2]), recurrent_kernels[2])
        hh = self.activation(ops.add(x_zrh[2], r_h))
        new = ops.add(ops.multiply(z, h_tm1), ops.multiply(ops.subtract(1.0, z), hh))
        return new, [new] if isinstance(states, (list, tuple)) else new

    def _fused_activations(self, training):
        if not self.reset_after or training and self.dropout > 0 and self.implementation == 1:
            return None  # the reset gate inside the matmul, or one input mask per gate: the per-step path
        return super()._fused_activations(training)

    def _run_fused(self, sequences, states, mask, go_backwards, zero_output_for_mask, training, act, ract):
        input_bias, recurrent_bias = self._biases()
        xz, mask = self._project(sequences, mask, go_backwards, training, input_bias)
        outputs, h = recurrent.gru_sequence(xz, self.recurrent_kernel, states[0], recurrent_bias, mask, act, ract,
                                            zero_output_for_mask)
        return outputs, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "recurrent_activation": activations.serialize(self.recurrent_activation), "use_bias": self.use_bias,
                **self._weights_config(), **self._dropout_config(), "reset_after": self.reset_after,
                "seed": self.seed}
