"""SimpleRNN: a fully connected RNN whose output is fed back as its state."""

from kerasette.layers.rnn.cell_layer import CellLayer, cell_kwargs
from kerasette.layers.rnn.simple_rnn_cell import SimpleRNNCell


class SimpleRNN(CellLayer):
    """Fully-connected RNN where the output is to be fed back as the new input.

    ``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``, run over every timestep as
    one input GEMM and one fused recurrence op. Weights as Keras stores them: ``kernel`` (input_dim,
    units), ``recurrent_kernel`` (units, units), ``bias`` (units,).

    Args:
        units: positive int, the size of the output space.
        activation: the activation. Defaults to ``"tanh"``; None means linear.
        use_bias: bool, whether the layer has a bias. Defaults to True.
        kernel_initializer: initializer of ``kernel``. Defaults to ``"glorot_uniform"``.
        recurrent_initializer: initializer of ``recurrent_kernel``. Defaults to ``"orthogonal"``.
        bias_initializer: initializer of ``bias``. Defaults to ``"zeros"``.
        kernel_regularizer: optional regularizer of ``kernel``.
        recurrent_regularizer: optional regularizer of ``recurrent_kernel``.
        bias_regularizer: optional regularizer of ``bias``.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of ``kernel``.
        recurrent_constraint: optional constraint of ``recurrent_kernel``.
        bias_constraint: optional constraint of ``bias``.
        dropout: float in [0, 1), fraction of the inputs dropped while training (one mask per sequence).
        recurrent_dropout: float in [0, 1), fraction of the state dropped while training (runs step by step).
        return_sequences: bool, return the whole sequence of outputs. Defaults to False.
        return_state: bool, also return the final state. Defaults to False.
        go_backwards: bool, process the sequence backwards (and return the reversed sequence).
        stateful: bool, carry the final states over to the next batch (needs a fixed batch size).
        unroll: bool, accepted for Keras compatibility; the numbers are the same either way.
        seed: optional int, the seed of the dropout masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...), ``zero_output_for_mask``
            and Keras's ``use_cudnn`` (``"auto"``; False forces the step-by-step implementation).

    Call arguments:
        sequences: a (batch, timesteps, features) tensor.
        initial_state: optional ``[h]``, (batch, units).
        mask: optional (batch, timesteps) boolean tensor; False steps are skipped.
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.ones((32, 10, 8), "float32")
        >>> layers.SimpleRNN(4)(x).shape
        (32, 4)
        >>> sequence, state = layers.SimpleRNN(4, return_sequences=True, return_state=True)(x)
        >>> sequence.shape, state.shape
        ((32, 10, 4), (32, 4))
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False,
                 seed=None, **kwargs):
        base = cell_kwargs("simple_rnn_cell", kwargs)
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                             recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                             recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                             dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, **base)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
