"""SimpleRNNCell: ``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``."""

from kerasette import activations, ops
from kerasette.layers.rnn.base_rnn_cell import BaseRNNCell
from kerasette.ops import recurrent


class SimpleRNNCell(BaseRNNCell):
    """Cell class for SimpleRNN: one step of a fully connected RNN whose output is fed back as its state.

    This class processes one step within the whole time sequence input, whereas ``SimpleRNN``
    processes the whole sequence. Weights as Keras stores them: ``kernel`` (input_dim, units),
    ``recurrent_kernel`` (units, units), ``bias`` (units,).

    Args:
        units: positive int, the size of the output space.
        activation: the activation (name or function). Defaults to ``"tanh"``; None means linear.
        use_bias: bool, whether the cell has a bias. Defaults to True.
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
        seed: optional int, the seed of the dropout masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).

    Call arguments:
        sequence: a (batch, features) tensor, the step's input.
        states: a list holding the previous state (batch, units).
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> rnn = layers.RNN(layers.SimpleRNNCell(4))
        >>> rnn(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
    """

    def build(self, input_shape):
        self._add_kernels(input_shape)
        self._add_bias((self.units,), self.bias_initializer)

    def call(self, sequence, states, training=False):
        prev_output = states[0] if isinstance(states, (list, tuple)) else states
        dp_mask = self.get_dropout_mask(sequence) if training else None
        rec_dp_mask = self.get_recurrent_dropout_mask(prev_output) if training else None
        if dp_mask is not None:
            sequence = ops.multiply(sequence, dp_mask)
        h = ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = ops.add(h, self.bias)
        if rec_dp_mask is not None:
            prev_output = ops.multiply(prev_output, rec_dp_mask)
        output = self.activation(ops.add(h, ops.matmul(prev_output, self.recurrent_kernel)))
        return output, [output] if isinstance(states, (list, tuple)) else output

    def _run_fused(self, sequences, states, mask, go_backwards, zero_output_for_mask, training, act, _):
        xz, mask = self._project(sequences, mask, go_backwards, training, self.bias)
        outputs, h = recurrent.simple_rnn_sequence(xz, self.recurrent_kernel, states[0], mask, act,
                                                   zero_output_for_mask)
        return outputs, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, **self._weights_config(), **self._dropout_config(), "seed": self.seed}
