"""The dropout masks of a recurrent cell: drawn once per sequence, reused at every step (as Keras)."""

from kerasette import ops
from kerasette.ops import random


class DropoutRNNCell:
    """Mixin holding the dropout masks of an RNN cell, as Keras's ``DropoutRNNCell``.

    A cell using it has ``dropout``, ``recurrent_dropout`` (rates in [0, 1)) and ``seed_generator``.
    The first step of a sequence draws the masks and every later step reuses them; the ``RNN`` layer
    clears them after each call. With ``dropout_mask_count`` set (LSTM and GRU in Keras's
    ``implementation=1``), each mask is a list of that many independent masks, one per gate.
    """

    def _create_dropout_mask(self, step_input, rate):
        count = getattr(self, "dropout_mask_count", None)
        ones = ops.ones_like(step_input)
        if count is None:
            return random.dropout(ones, rate, seed=self.seed_generator)
        return [random.dropout(ones, rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The input dropout mask of the current sequence (drawn on first use), or None without dropout.

        Args:
            step_input: a step's input, (batch, features); the mask has its shape.

        Returns:
            A tensor of 0 and ``1 / (1 - dropout)`` (a list of them with ``dropout_mask_count``), or None.
        """
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        """The recurrent dropout mask of the current sequence (drawn on first use), or None.

        Args:
            step_input: the previous state, (batch, units); the mask has its shape.

        Returns:
            A tensor (or a list with ``dropout_mask_count``), or None without recurrent dropout.
        """
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        """Forget the input dropout mask, so the next sequence draws a new one."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        """Forget the recurrent dropout mask, so the next sequence draws a new one."""
        self._recurrent_dropout_mask = None
