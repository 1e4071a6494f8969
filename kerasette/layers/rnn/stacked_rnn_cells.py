"""StackedRNNCells: a list of cells run one after another at each step, as one cell."""

from kerasette.layers.layer import Layer
from kerasette.layers.rnn import nesting
from kerasette.layers.rnn.rnn_loop import cell_step


def _output_size(cell):
    if getattr(cell, "output_size", None) is not None:
        return cell.output_size
    size = cell.state_size
    return size[0] if isinstance(size, (list, tuple)) else size


class StackedRNNCells(Layer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell (a stacked RNN in one ``RNN``).

    At each step the first cell reads the step's input, each next cell the previous cell's output;
    the stack's states are the list of each cell's states, and its output the last cell's.

    Args:
        cells: a list of cells (layers with ``call(inputs, states)`` and ``state_size``).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> stack = layers.StackedRNNCells([layers.LSTMCell(8), layers.GRUCell(4)])
        >>> layers.RNN(stack)(np.ones((2, 5, 3), "float32")).shape
        (2, 4)
        >>> stack.state_size
        [[8, 8], 4]
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(f"Invalid value for argument `cells` of layer `{self.name}`. Expected a non-empty list of "
                             f"RNN cells. Received: cells={cells!r}")
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(f"All cells must have a `call` method. Received cell without a `call` method: {cell}")
            if getattr(cell, "state_size", None) is None:
                raise ValueError(f"All cells must have a `state_size` attribute. Received cell without a "
                                 f"`state_size`: {cell}")
        self.cells = list(cells)

    @property
    def state_size(self):
        """The list of the cells' state sizes."""
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        """The last cell's output size."""
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        """Each cell's initial states (zeros unless the cell defines ``get_initial_state``).

        Args:
            batch_size: int, the batch size.

        Returns:
            A list with one entry (a tensor or a list of tensors) per cell.
        """
        from kerasette import ops

        states = []
        for cell in self.cells:
            if getattr(cell, "get_initial_state", None) is not None:
                states.append(cell.get_initial_state(batch_size=batch_size))
            elif isinstance(cell.state_size, (list, tuple)):
                states.append([ops.zeros((batch_size, size), self.dtype) for size in cell.state_size])
            else:
                states.append(ops.zeros((batch_size, cell.state_size), self.dtype))
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(tuple(input_shape))
                nesting.prefix_paths(self, cell)
            input_shape = (input_shape[0], _output_size(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            is_list = isinstance(cell_states, (list, tuple))
            inputs, cell_states = cell_step(cell, inputs, list(cell_states) if is_list else [cell_states], training)
            new_states.append(cell_states if is_list or len(cell_states) != 1 else cell_states[0])
        return inputs, new_states

    def get_config(self):
        return {**super().get_config(), "cells": [nesting.serialize_sublayer(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the stack, deserializing each cell's config.

        Args:
            config: the output of ``get_config``.
            custom_objects: optional dict of custom cell classes by name.

        Returns:
            A new, unbuilt StackedRNNCells.
        """
        from kerasette.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        cells = [deserialize_keras_object(cell, custom_objects=custom_objects) for cell in config.pop("cells")]
        return cls(cells, **config)
