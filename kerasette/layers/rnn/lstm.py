"""LSTM: long short-term memory over a whole sequence (Hochreiter & Schmidhuber, 1997)."""

from kerasette.layers.rnn.cell_layer import SIMPLE_RNN_KEYS, CellLayer, cell_kwargs
from kerasette.layers.rnn.lstm_cell import LSTMCell


class LSTM(CellLayer):
    """Long Short-Term Memory layer - Hochreiter 1997.

    Runs ``LSTMCell`` over every timestep: the input projection of all steps as one GEMM, then one
    GEMM and one fused gate primitive per step (and likewise backwards). Weights as Keras stores them:
    ``kernel`` (input_dim, 4 * units), ``recurrent_kernel`` (units, 4 * units), ``bias`` (4 * units,),
    column blocks i, f, c, o; Keras files load as they are.

    Args:
        units: positive int, the size of the output space.
        activation: activation of the candidate and of the cell state. Defaults to ``"tanh"``; None
            means linear.
        recurrent_activation: activation of the gates. Defaults to ``"sigmoid"``.
        use_bias: bool, whether the layer has a bias. Defaults to True.
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
        dropout: float in [0, 1), fraction of the inputs dropped while training (one mask per sequence).
        recurrent_dropout: float in [0, 1), fraction of the state dropped while training (one mask per
            gate, as Keras; this runs step by step).
        seed: optional int, the seed of the dropout masks.
        return_sequences: bool, return the whole sequence of outputs. Defaults to False.
        return_state: bool, also return the final states ``h`` and ``c``. Defaults to False.
        go_backwards: bool, process the sequence backwards (and return the reversed sequence).
        stateful: bool, carry the final states over to the next batch (needs a fixed batch size).
        unroll: bool, accepted for Keras compatibility; the numbers are the same either way.
        use_cudnn: ``"auto"`` (the default) runs the fused implementation when it applies; False always
            steps with ``kerasette.ops``; True raises where the fused one cannot run.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...), ``zero_output_for_mask``
            and Keras's ``implementation`` (1: one dropout mask per gate).

    Call arguments:
        sequences: a (batch, timesteps, features) tensor.
        initial_state: optional ``[h, c]``, each (batch, units).
        mask: optional (batch, timesteps) boolean tensor; False steps are skipped.
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.ones((32, 10, 8), "float32")
        >>> layers.LSTM(4)(x).shape
        (32, 4)
        >>> sequence, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(x)
        >>> sequence.shape, h.shape, c.shape
        ((32, 10, 4), (32, 4), (32, 4))
    """

    config_keys = SIMPLE_RNN_KEYS[:2] + ("recurrent_activation",) + SIMPLE_RNN_KEYS[2:6] + ("unit_forget_bias",) + \
        SIMPLE_RNN_KEYS[6:]

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                        kernel_initializer=kernel_initializer, unit_forget_bias=unit_forget_bias,
                        recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                        kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
                        recurrent_dropout=recurrent_dropout, seed=seed,
                        implementation=kwargs.pop("implementation", 2), **cell_kwargs("lstm_cell", kwargs))
        super().__init__(cell, use_cudnn=use_cudnn, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
