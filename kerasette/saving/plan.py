"""All-or-nothing loading: everything a load will assign is read and checked first, then assigned at once.

Readers add ``(variable, value)`` pairs for the layers and an
``OptimizerState`` for the optimizer; ``LoadPlan.apply`` runs only when
every part of the file was read and checked, so a file that fails anywhere
(a corrupted optimizer section included) leaves the model as it was.
"""

import numpy as np


class LoadPlan:
    """Layer weights and optimizer state to assign, all checked.

    Attributes:
        weights: ``[(variable, array)]`` with shapes already compared.
        optimizer: an ``optimizer_state.OptimizerState``, or None.
    """

    def __init__(self, weights=None, optimizer=None):
        self.weights = list(weights or [])
        self.optimizer = optimizer

    def apply(self):
        """Assign everything (the optimizer is built first if its state was staged on a shadow copy)."""
        targets = self.optimizer.targets() if self.optimizer is not None else None
        for variable, value in self.weights:
            variable.assign(np.asarray(value, dtype=variable.dtype))
        if self.optimizer is not None:
            self.optimizer.apply(targets)
