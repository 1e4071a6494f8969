"""``load_model``: load a saved model and wrap its optimizer in a ``DistributedOptimizer`` (Horovod's helper)."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from kerasette.distribute.compression import Compression
from kerasette.distribute.optimizer import DistributedOptimizer


def load_model(filepath: Any, custom_optimizers: Optional[Sequence[type]] = None, custom_objects: Optional[dict] = None,
               compression: Any = Compression.none) -> Any:
    """Load a model saved by ``model.save`` and make its optimizer distributed, keeping its state.

    Use it to resume training from a checkpoint on every rank (or load on rank 0 and let
    ``BroadcastGlobalVariablesCallback`` send the state).

    Args:
        filepath: the saved model (``.keras`` or ``.h5``).
        custom_optimizers: your own optimizer classes used by the saved model.
        custom_objects: ``{name: class or function}`` for your own layers, losses...
        compression: the gradient compression of the ``DistributedOptimizer``.

    Returns:
        The model; when it was saved compiled, its optimizer is a ``DistributedOptimizer``.
    """
    from kerasette.saving import load_model as load

    objects = dict(custom_objects or {})
    for cls in custom_optimizers or ():
        objects.setdefault(cls.__name__, cls)
    model = load(filepath, custom_objects=objects or None)
    if getattr(model, "optimizer", None) is not None and not getattr(model.optimizer, "_distributed", False):
        model.optimizer = DistributedOptimizer(model.optimizer, compression=compression)
    return model
