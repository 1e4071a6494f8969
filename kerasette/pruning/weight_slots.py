"""Computing a layer with stand-in values for some of its variables (the masked weights of pruning).

A layer reads its weights from attributes (``self.kernel``). ``WeightSlots`` finds, for each
variable, the attributes of the layer (or of a layer nested in it, such as an RNN's cell) that hold
it, and ``substituted`` puts other tensors there for the length of a call. The tape then records
``kernel * mask``, so gradients reach the variable through the mask.
"""

from __future__ import annotations

import contextlib


class WeightSlots:
    """Where a layer keeps each of some variables: ``(owner layer, attribute name)`` pairs.

    The object is not a list, tuple or dict, so the layers it refers to are not taken for
    sublayers of the wrapper that holds it (by weight tracking or saving).

    Args:
        layer: the layer (its nested layers are searched too).
        variables: the variables to find.
    """

    def __init__(self, layer, variables):
        owners = layer._flatten_layers()
        self._slots = [[(owner, name) for owner in owners for name, value in vars(owner).items() if value is variable]
                       for variable in variables]

    def found(self, index):
        """Whether variable ``index`` is held in at least one attribute.

        Args:
            index: the variable's position in the list given to the constructor.

        Returns:
            A bool.
        """
        return bool(self._slots[index])

    @contextlib.contextmanager
    def substituted(self, values):
        """Within the block, the attributes holding variable ``i`` hold ``values[i]`` instead.

        Args:
            values: one tensor per variable (None leaves that variable in place).

        Yields:
            None. The attributes are restored on exit, also after an exception.
        """
        replaced = []
        try:
            for slots, value in zip(self._slots, values):
                if value is None:
                    continue
                for owner, name in slots:
                    replaced.append((owner, name, vars(owner)[name]))
                    setattr(owner, name, value)
            yield
        finally:
            for owner, name, original in reversed(replaced):
                setattr(owner, name, original)
