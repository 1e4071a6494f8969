"""What SimpleRNNCell, LSTMCell and GRUCell share: arguments, weights, config, and the fused path's plumbing.

A cell computes one step with ``kerasette.ops`` (``call``), which any ``RNN`` can loop over. The
built-in cells also offer ``fused_sequence``: the whole sequence as one input GEMM and one fused
recurrence op (``kerasette.ops.recurrent``), used by ``RNN`` whenever the configuration allows
(activations among tanh, sigmoid, hard_sigmoid, relu and linear; no recurrent dropout while
training). Both give the same numbers.
"""

import numbers

from kerasette import activations, constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kerasette.ops import random

_WEIGHTS = ("kernel", "recurrent", "bias")


def fused_activation_name(fn):
    """The fused kernels' name for a kerasette activation function, or None when there is no fused form."""
    names = {activations.tanh: "tanh", activations.sigmoid: "sigmoid", activations.hard_sigmoid: "hard_sigmoid",
             activations.relu: "relu", activations.linear: "linear"}
    try:
        return names.get(fn)
    except TypeError:  # an unhashable callable
        return None


def dropout_rate(layer, argument, value):
    """Check a dropout rate: a number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise validation.invalid(layer, argument, "a float in [0, 1)", value)
    return float(value)


def store_cell_arguments(cell, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer,
                         recurrent_regularizer, bias_regularizer, kernel_constraint, recurrent_constraint,
                         bias_constraint, dropout, recurrent_dropout, seed):
    """Check and store the weight and dropout arguments every recurrent cell takes (the LSTM family's and ConvLSTM's).

    Sets ``<weight>_initializer``, ``<weight>_regularizer`` and ``<weight>_constraint`` for the kernel, the
    recurrent kernel and the bias, ``dropout``, ``recurrent_dropout``, ``seed`` and ``seed_generator``.
    """
    cell.kernel_initializer = initializers.get(kernel_initializer)
    cell.recurrent_initializer = initializers.get(recurrent_initializer)
    cell.bias_initializer = initializers.get(bias_initializer)
    cell.kernel_regularizer = regularizers.get(kernel_regularizer)
    cell.recurrent_regularizer = regularizers.get(recurrent_regularizer)
    cell.bias_regularizer = regularizers.get(bias_regularizer)
    cell.kernel_constraint = constraints.get(kernel_constraint)
    cell.recurrent_constraint = constraints.get(recurrent_constraint)
    cell.bias_constraint = constraints.get(bias_constraint)
    cell.dropout = dropout_rate(cell, "dropout", dropout)
    cell.recurrent_dropout = dropout_rate(cell, "recurrent_dropout", recurrent_dropout)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise validation.invalid(cell, "seed", "an int or None", seed)
    cell.seed = seed
    cell.seed_generator = random.SeedGenerator(seed)


def lstm_bias_initializer(bias_initializer, unit_forget_bias, block_size):
    """The initializer of an LSTM bias, four blocks i, f, c, o of ``block_size`` each (LSTMCell's and ConvLSTMCell's).

    ``bias_initializer`` itself, or with ``unit_forget_bias`` one that starts the forget block at 1 and the other
    blocks from ``bias_initializer`` (Jozefowicz et al., 2015).
    """
    if not unit_forget_bias:
        return bias_initializer

    def initializer(shape, dtype=None):
        return ops.concatenate([bias_initializer((block_size,), dtype), initializers.get("ones")((block_size,), dtype),
                                bias_initializer((2 * block_size,), dtype)])
    return initializer


class BaseRNNCell(Layer, DropoutRNNCell):
    """Base of the built-in cells: ``units``, the activation, three weights and dropout.

    Args:
        units: positive int, the size of the state and of the output.
        activation: the activation (name or function). None means linear.
        use_bias: bool, whether the cell has a bias.
        kernel_initializer: initializer of the input kernel.
        recurrent_initializer: initializer of the recurrent kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: optional regularizer of the input kernel.
        recurrent_regularizer: optional regularizer of the recurrent kernel.
        bias_regularizer: optional regularizer of the bias.
        kernel_constraint: optional constraint of the input kernel.
        recurrent_constraint: optional constraint of the recurrent kernel.
        bias_constraint: optional constraint of the bias.
        dropout: float in [0, 1), the fraction of the inputs dropped while training.
        recurrent_dropout: float in [0, 1), the fraction of the recurrent state dropped while training.
        seed: optional int, the seed of the dropout masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).
    """

    gates = 1  # column blocks of the kernels

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = validation.positive_int(self, "units", units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        store_cell_arguments(self, kernel_initializer, recurrent_initializer, bias_initializer, kernel_regularizer,
                             recurrent_regularizer, bias_regularizer, kernel_constraint, recurrent_constraint,
                             bias_constraint, dropout, recurrent_dropout, seed)
        self.state_size = self.units
        self.output_size = self.units

    def _add_kernels(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(f"Layer `{self.name}` needs a known feature dimension. Received input shape "
                             f"{tuple(input_shape)}.")
        width = self.gates * self.units
        self.kernel = self.add_weight((input_shape[-1], width), self.kernel_initializer, name="kernel",
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight((self.units, width), self.recurrent_initializer,
                                                name="recurrent_kernel", regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)

    def _add_bias(self, shape, initializer):
        self.bias = self.add_weight(shape, initializer, name="bias", regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def get_initial_state(self, batch_size=None):
        """Zero states, one ``(batch_size, size)`` tensor per entry of ``state_size``.

        Args:
            batch_size: int, the batch size.

        Returns:
            A list of zero tensors in the cell's dtype.
        """
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [ops.zeros((batch_size, size), self.dtype) for size in sizes]

    # ----- the fused path --------------------------------------------------------------------------
    def _fused_activations(self, training):
        """(activation, recurrent activation) names for the fused op, or None when it cannot run."""
        if training and self.recurrent_dropout > 0 or self.dtype not in ("float32", "float64"):
            return None
        act = fused_activation_name(self.activation)
        ract = fused_activation_name(getattr(self, "recurrent_activation", activations.linear))
        return None if act is None or ract is None else (act, ract)

    def _project(self, sequences, mask, go_backwards, training, input_bias):
        """(xz, mask): time-major input projections of every step (one GEMM) and the time-major mask."""
        batch, steps, features = sequences.shape
        if training and self.dropout > 0:
            keep = self.get_dropout_mask(sequences[:, 0])
            sequences = ops.multiply(sequences, ops.expand_dims(keep, 1))
        x = ops.transpose(sequences, (1, 0, 2))
        if mask is not None:
            mask = ops.transpose(mask, (1, 0))
        if go_backwards:
            x = ops.flip(x, axis=0)
            mask = None if mask is None else ops.flip(mask, axis=0)
        xz = ops.matmul(ops.reshape(x, (steps * batch, features)), self.kernel)
        if input_bias is not None:
            xz = ops.add(xz, input_bias)
        return ops.reshape(xz, (steps, batch, self.gates * self.units)), mask

    def fused_sequence(self, sequences, states, mask=None, go_backwards=False, zero_output_for_mask=False,
                       training=None):
        """The whole sequence through the fused recurrence op, or None when this configuration has no fused form.

        Args:
            sequences: (batch, timesteps, features) tensor.
            states: the initial states, a list (as ``get_initial_state``).
            mask: optional (batch, timesteps) boolean tensor.
            go_backwards: process the steps in reverse order.
            zero_output_for_mask: masked steps output zeros instead of the previous output.
            training: whether dropout applies.

        Returns:
            ``(outputs, states)`` with outputs time-major (timesteps, batch, units) in processing order,
            or None.
        """
        names = self._fused_activations(training)
        if names is None:
            return None
        return self._run_fused(sequences, list(states), mask, go_backwards, zero_output_for_mask, training, *names)

    # ----- config ----------------------------------------------------------------------------------
    def _weights_config(self):
        """The initializer, regularizer and constraint entries in Keras's key order."""
        config = {f"{w}_initializer": initializers.serialize(getattr(self, f"{w}_initializer")) for w in _WEIGHTS}
        config.update({f"{w}_regularizer": regularizers.serialize(getattr(self, f"{w}_regularizer")) for w in _WEIGHTS})
        config.update({f"{w}_constraint": constraints.serialize(getattr(self, f"{w}_constraint")) for w in _WEIGHTS})
        return config

    def _dropout_config(self):
        return {"dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout}
