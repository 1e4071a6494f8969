"""RNN: the base recurrent layer, looping a cell over the time axis (masks, states, statefulness)."""

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.rnn import nesting, rnn_loop
from kerasette.layers.rnn.rnn_loop import flatten, pack_like
from kerasette.layers.rnn.stacked_rnn_cells import StackedRNNCells


def _structure(state_size):
    """The nesting of a cell's states from its ``state_size`` (a leaf per state), always a list at the top."""
    if isinstance(state_size, (list, tuple)):
        return [_structure(s) if isinstance(s, (list, tuple)) else None for s in state_size]
    return [None]


def _shape(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


class RNN(Layer):
    """Base class for recurrent layers: runs a cell over every timestep of a sequence.

    A cell is a layer (or an object) with ``call(inputs, states)`` returning ``(output, new_states)``
    and a ``state_size`` (an int, or a list with one size per state); optional ``output_size`` and
    ``get_initial_state(batch_size)``. A list of cells is stacked (``StackedRNNCells``). The built-in
    cells run as one input GEMM and one fused recurrence op (see ``kerasette.ops.recurrent``); other
    cells run step by step with ``kerasette.ops``. Both give Keras's numbers.

    Args:
        cell: an RNN cell, or a list of cells.
        return_sequences: bool, return the whole output sequence (batch, timesteps, units) rather than
            the last output (batch, units). Defaults to False.
        return_state: bool, also return the final states: ``[output, *states]``. Defaults to False.
        go_backwards: bool, process the sequence backwards and return the reversed sequence.
        stateful: bool, each batch starts from the final states of the previous batch (sample ``i`` from
            sample ``i``); needs a fixed batch size (``Input(batch_size=...)``). ``reset_state()``
            clears the states.
        unroll: bool, Keras's implementation hint; kerasette accepts it and computes the same numbers
            either way (it requires a known number of timesteps, as Keras).
        zero_output_for_mask: bool, masked steps output zeros instead of the previous output.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``activity_regularizer``,
            ``input_shape``...). tf.keras 2's ``time_major`` is accepted when False.

    Call arguments:
        sequences: a (batch, timesteps, features) tensor.
        initial_state: optional list of initial state tensors (one per state, each (batch, size)).
        mask: optional (batch, timesteps) boolean tensor; False steps are skipped (the states carry
            over). A mask attached to the input (``Masking``, ``Embedding(mask_zero=True)``) is used too.
        training: whether dropout applies.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.ones((2, 5, 3), "float32")
        >>> layers.RNN(layers.LSTMCell(4), return_sequences=True)(x).shape
        (2, 5, 4)
        >>> out, h, c = layers.RNN([layers.SimpleRNNCell(6), layers.LSTMCell(4)], return_state=True)(x)[:3]
        >>> out.shape, h.shape
        ((2, 4), (2, 6))
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        time_major = kwargs.pop("time_major", False)
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell!r}")
        state_size = getattr(cell, "state_size", None)
        if state_size is None or not isinstance(state_size, (list, tuple, int)):
            raise ValueError("The RNN cell should have a `state_size` attribute (single integer or list of integers, "
                             f"one integer per RNN state). Received: cell={cell!r}")
        super().__init__(**kwargs)
        if time_major:
            raise ValueError(f"Layer `{self.name}` received time_major=True, a tf.keras 2 option that Keras 3 and "
                             "kerasette do not support: pass (batch, timesteps, features) inputs.")
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.states = None
        self._expected_batch_size = None

    @property
    def state_size(self):
        """The cell's state sizes as a list (one entry per state; nested lists for stacked cells)."""
        size = self.cell.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    def _flat_sizes(self):
        return flatten(self.state_size)

    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return self._flat_sizes()[0] if size is None else size

    # ----- building and states -------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) < 3:
            raise ValueError(f"Layer `{self.name}` expects inputs of rank >= 3, (batch, timesteps, features). "
                             f"Received input shape {_shape(sequences_shape)}.")
        if self.unroll and sequences_shape[1] is None:
            raise ValueError(f"Cannot unroll a RNN if the time dimension is undefined (layer `{self.name}`): pass "
                             "`shape` or `batch_shape` with the number of timesteps to `Input()`.")
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            nesting.prefix_paths(self, self.cell)
        elif not isinstance(self.cell, Layer) and callable(getattr(self.cell, "build", None)):
            self.cell.build(step_shape)
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(f"When using `stateful=True` in a RNN (layer `{self.name}`), the batch size must be "
                                 f"static. Found dynamic batch size: sequence.shape={_shape(sequences_shape)}. Pass "
                                 "`batch_size=...` to `Input()`.")
            self._create_state_variables(sequences_shape[0])

    def _create_state_variables(self, batch_size):
        self.states = [ops.Variable(state, trainable=False, name="rnn_state", path=f"{self.name}/rnn_state_{i}")
                       for i, state in enumerate(flatten(self.get_initial_state(batch_size)))]
        self._expected_batch_size = int(batch_size)

    def get_initial_state(self, batch_size):
        """The initial states: the cell's ``get_initial_state``, else zeros of each state size.

        Args:
            batch_size: int, the batch size.

        Returns:
            A list of tensors (nested lists for stacked cells).
        """
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            return [ops.zeros((batch_size, size), self.dtype) for size in self._flat_sizes()]
        states = fn(batch_size=batch_size)
        return list(states) if isinstance(states, (list, tuple)) else [states]

    def reset_state(self, states=None):
        """Reset the states of a stateful layer to zeros, or to ``states``.

        Args:
            states: optional list of arrays, one per state, each (batch_size, size).

        Raises:
            AttributeError: the layer is not stateful.
            ValueError: ``states`` does not match the layer's states.
        """
        if not self.stateful:
            raise AttributeError(f"Layer `{self.name}` must be stateful (`stateful=True`) to reset its states.")
        if self.states is None:
            return
        values = [None] * len(self.states) if states is None else flatten(states)
        if len(values) != len(self.states):
            raise ValueError(f"Layer `{self.name}` has {len(self.states)} states; `states` holds {len(values)}.")
        for variable, value in zip(self.states, values):
            variable.assign(ops.zeros_like(variable) if value is None else value)

    def reset_states(self, states=None):
        """Alias of ``reset_state`` (Keras 2's name).

        Args:
            states: optional list of arrays, one per state.
        """
        self.reset_state(states)

    # ----- calling ----------------------------------------------------------------------------------
    def _check_mask(self, mask, batch, steps):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        if mask is None:
            return None
        mask = ops.convert_to_tensor(mask)
        if tuple(mask.shape) != (batch, steps):
            raise ValueError(f"Invalid `mask` for layer `{self.name}`: expected a boolean tensor of shape (batch_size, "
                             f"timesteps) = {(batch, steps)}. Received a mask of shape {_shape(mask.shape)}.")
        return mask if mask.dtype == "bool" else ops.not_equal(mask, 0)

    def _check_initial_state(self, initial_state, batch):
        flat = [ops.convert_to_tensor(s, self.dtype) for s in flatten(initial_state)]
        sizes = self._flat_sizes()
        received = [tuple(s.shape) for s in flat]
        expected = [(batch, size) for size in sizes]
        if len(flat) != len(sizes) or any(r[:1] != e[:1] or (isinstance(e[1], int) and r != e)
                                          for r, e in zip(received, expected)):
            raise ValueError(f"Invalid `initial_state` for layer `{self.name}`: expected {len(sizes)} tensor(s) of "
                             f"shape(s) {expected}. Received shape(s) {received}.")
        return flat

    def _initial_states(self, initial_state, batch):
        if initial_state is not None:
            flat = self._check_initial_state(initial_state, batch)
        elif self.stateful:
            if self.states is None:
                self._create_state_variables(batch)
            flat = [ops.copy(v) for v in self.states]  # the variables change in place after the call
        else:
            flat = flatten(self.get_initial_state(batch))
        if self.stateful and batch != self._expected_batch_size:
            raise ValueError(f"If an RNN is stateful, the batch size of the input sequences must be the same as the "
                             f"batch size of the initial state (layer `{self.name}`). Expected batch size: "
                             f"{self._expected_batch_size}. Received batch size: {batch}.")
        return pack_like(_structure(self.cell.state_size), flat)

    def _run(self, sequences, states, mask, training):
        """``(last_output, outputs or None, states)``: the fused op when the cell has one, else the step loop."""
        fused = getattr(self.cell, "fused_sequence", None)
        if fused is not None and getattr(self, "use_cudnn", "auto") is not False:
            result = fused(sequences, states, mask, self.go_backwards, self.zero_output_for_mask, training)
            if result is not None:
                outputs, new_states = result
                time_major = (1, 0) + tuple(range(2, len(outputs.shape)))
                sequence = ops.transpose(outputs, time_major) if self.return_sequences else None
                return outputs[-1], sequence, new_states
        if getattr(self, "use_cudnn", "auto") is True:
            raise ValueError(f"use_cudnn=True was specified for layer `{self.name}`, but this configuration has no "
                             "fused implementation. Pass use_cudnn='auto' to fall back to the step-by-step "
                             "implementation.")
        return rnn_loop.run(self.cell, sequences, states, mask, self.go_backwards, self.zero_output_for_mask,
                            training, self.return_sequences)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        batch, steps = sequences.shape[0], sequences.shape[1]
        if steps == 0:
            raise ValueError(f"Layer `{self.name}` received a sequence with 0 timesteps: {_shape(sequences.shape)}.")
        mask = self._check_mask(mask, batch, steps)
        states = self._initial_states(initial_state, batch)
        try:
            last_output, outputs, states = self._run(sequences, states, mask, training)
        finally:
            _reset_dropout_masks(self.cell)
        flat_states = flatten(states)
        if self.stateful:
            for variable, state in zip(self.states, flat_states):
                variable.assign(state)
        output = outputs if self.return_sequences else last_output
        return [output] + flat_states if self.return_state else output

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        size = self._output_size()
        if not isinstance(size, int) or not all(isinstance(s, int) for s in self._flat_sizes()):
            return super().compute_output_shape(sequences_shape)
        batch = sequences_shape[0]
        output = (batch, sequences_shape[1], size) if self.return_sequences else (batch, size)
        return [output] + [(batch, s) for s in self._flat_sizes()] if self.return_state else output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        return [output_mask] + [None] * len(self._flat_sizes()) if self.return_state else output_mask

    def get_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask, "cell": nesting.serialize_sublayer(self.cell)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the layer, deserializing its cell.

        Args:
            config: the output of ``get_config``.
            custom_objects: optional dict of custom cell classes by name.

        Returns:
            A new, unbuilt layer.
        """
        from kerasette.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _reset_dropout_masks(cell):
    if callable(getattr(cell, "reset_dropout_mask", None)):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    for inner in getattr(cell, "cells", []) if isinstance(cell, StackedRNNCells) else []:
        _reset_dropout_masks(inner)
