"""GRU: gated recurrent unit over a whole sequence (Cho et al., 2014)."""

from kerasette.layers.rnn.cell_layer import SIMPLE_RNN_KEYS, CellLayer, cell_kwargs
from kerasette.layers.rnn.gru_cell import GRUCell


class GRU(CellLayer):
    """Gated Recurrent Unit - Cho et al. 2014.

    Runs ``GRUCell`` over every timestep: the input projection of all steps as one GEMM, then one
    GEMM and one fused gate primitive per step (and likewise backwards) when ``reset_after=True``
    (the default); ``reset_after=False`` (Keras <= 2.2's form, with a single bias) runs step by step.
    Weights as Keras stores them: ``kernel`` (input_dim, 3 * units), ``recurrent_kernel`` (units,
    3 * units), ``bias`` (2, 3 * units) with ``reset_after`` (input bias, recurrent bias), else
    (3 * units,); column blocks z, r, h.

    Args:
        units: positive int, the size of the output space.
        activation: activation of the candidate state. Defaults to ``"tanh"``; None means linear.
        recurrent_activation: activation of the gates. Defaults to ``"sigmoid"``.
        use_bias: bool, whether the layer has biases. Defaults to True.
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
        recurrent_dropout: float in [0, 1), fraction of the state dropped while training (one mask per
            gate, as Keras; this runs step by step).
        seed: optional int, the seed of the dropout masks.
        return_sequences: bool, return the whole sequence of outputs. Defaults to False.
        return_state: bool, also return the final state. Defaults to False.
        go_backwards: bool, process the sequence backwards (and return the reversed sequence).
        stateful: bool, carry the final state over to the next batch (needs a fixed batch size).
        unroll: bool, accepted for Keras compatibility; the numbers are the same either way.
        reset_after: bool, apply the reset gate after the recurrent matmul (True, the default) or before.
        use_cudnn: ``"auto"`` (the default) runs the fused implementation when it applies; False always
            steps with ``kerasette.ops``; True raises where the fused one cannot run.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...), ``zero_output_for_mask``
            and Keras's ``implementation`` (1: one dropout mask per gate).

    Call arguments:
        sequences: a (batch, timesteps, features) tensor.
        initial_state: optional ``[h]``, (batch, units).
        mask: optional (batch, timesteps) boolean tensor; False steps are skipped.
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.ones((32, 10, 8), "float32")
        >>> layers.GRU(4)(x).shape
        (32, 4)
        >>> sequence, state = layers.GRU(4, return_sequences=True, return_state=True)(x)
        >>> sequence.shape, state.shape
        ((32, 10, 4), (32, 4))
    """

    config_keys = SIMPLE_RNN_KEYS[:2] + ("recurrent_activation",) + SIMPLE_RNN_KEYS[2:] + ("reset_after",)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                       kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                       kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                       bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                       reset_after=reset_after, seed=seed, implementation=kwargs.pop("implementation", 2),
                       **cell_kwargs("gru_cell", kwargs))
        super().__init__(cell, use_cudnn=use_cudnn, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
