"""The per-step loop of ``RNN`` for any cell (custom, stacked, or settings the fused ops lack).

Each step calls the cell on ``sequences[:, t]`` and the states with ``kerasette.ops``, so gradients
come from the tape. Masked steps follow Keras: the states carry over and the output repeats the
previous output (zeros before the first computed step), or is zero with ``zero_output_for_mask``.
"""

from kerasette import ops
from kerasette.layers.layer import Layer


def flatten(structure):
    """The tensors of a nested list/tuple structure, depth first."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_like(structure, flat):
    """``flat`` arranged as ``structure`` (lists and tuples nested the same way)."""
    leaves = iter(flat)

    def rebuild(item):
        if isinstance(item, (list, tuple)):
            return type(item)(rebuild(x) for x in item)
        return next(leaves)

    return rebuild(structure)


def _expand(mask_t, like):
    """A (batch,) mask shaped (batch, 1, ..., 1) to broadcast against ``like``."""
    return ops.reshape(mask_t, (mask_t.shape[0],) + (1,) * (len(like.shape) - 1))


def cell_step(cell, inputs, states, training):
    """``(output, new_states)`` of one step; new states always a list (Keras's ``step`` of ``RNN``).

    The cell's ``call`` runs directly (the RNN built the cell): ``Layer.__call__`` would turn the
    nested lists of states of stacked cells into single tensors.
    """
    if isinstance(cell, Layer) and cell._accepts_training():
        output, new_states = cell.call(inputs, states, training=training)
    else:
        output, new_states = cell.call(inputs, states)
    if not isinstance(new_states, (list, tuple)):
        new_states = [new_states]
    return output, list(new_states)


def run(cell, sequences, states, mask=None, go_backwards=False, zero_output_for_mask=False, training=None,
        return_sequences=True):
    """Loop ``cell`` over the time axis of ``sequences`` (batch, timesteps, ...).

    Args:
        cell: the cell (a layer, or any object with ``call(inputs, states)``).
        sequences: the input tensor.
        states: the initial states, structured as the cell's ``state_size``.
        mask: optional (batch, timesteps) boolean tensor.
        go_backwards: process the steps in reverse order (outputs come in processing order).
        zero_output_for_mask: masked steps output zeros instead of the previous output.
        training: passed to the cell.
        return_sequences: whether to stack every step's output.

    Returns:
        ``(last_output, outputs or None, final_states)``; outputs (batch, timesteps, ...).
    """
    steps = sequences.shape[1]
    outputs, previous = [], None
    for t in (reversed(range(steps)) if go_backwards else range(steps)):
        output, new_states = cell_step(cell, sequences[:, t], states, training)
        if mask is not None:
            keep = mask[:, t]
            fill = ops.zeros_like(output) if previous is None or zero_output_for_mask else previous
            output = ops.where(_expand(keep, output), output, fill)
            flat_old, flat_new = flatten(states), flatten(new_states)
            new_states = pack_like(new_states, [ops.where(_expand(keep, n), n, o) for o, n in zip(flat_old, flat_new)])
        previous, states = output, new_states
        if return_sequences:
            outputs.append(output)
    stacked = ops.stack(outputs, axis=1) if return_sequences else None
    return previous, stacked, states
