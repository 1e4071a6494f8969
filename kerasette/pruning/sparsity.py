"""``get_sparsity``: the fraction of zeros in each prunable weight of a model or layer."""

from __future__ import annotations

import numpy as np

from kerasette.pruning import prune_registry
from kerasette.pruning.pruning_wrapper import PruneLowMagnitude


def get_sparsity(model_or_layer):
    """The fraction of zeros in each prunable weight, by weight path.

    TF-MOT has no such helper; this one works on pruned models (with ``PruneLowMagnitude``
    wrappers), stripped models and ordinary ones alike. The prunable weights are those pruning
    would prune: the kernels of ``Dense`` and the convolutions, ``embeddings``, recurrent kernels,
    and what a custom layer's ``get_prunable_weights`` returns. For a wrapped weight the value
    counted is ``weight * mask``, the weight the layer computes with. Layers that are not built, or
    that pruning does not support, are skipped.

    Args:
        model_or_layer: a model or a layer.

    Returns:
        A dict ``{weight path: fraction of zeros}`` in layer order, e.g. ``{"dense/kernel": 0.8}``
        (paths are the same before and after ``strip_pruning``).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers, pruning
        >>> dense = layers.Dense(2, name="dense")
        >>> _ = dense(np.ones((1, 2)))
        >>> dense.kernel.assign([[0.0, 1.0], [0.0, 0.0]])  # doctest: +ELLIPSIS
        <Variable path=dense/kernel...>
        >>> pruning.get_sparsity(dense)
        {'dense/kernel': 0.75}
    """
    found, seen = {}, set()
    for layer in model_or_layer._flatten_layers():
        if not layer.built:
            continue
        if isinstance(layer, PruneLowMagnitude):
            pairs = [(weight, mask.numpy()) for weight, mask, _ in layer.pruning_vars]
        elif prune_registry.supports(layer) and not isinstance(layer, _model_types()):
            pairs = [(weight, None) for weight in prune_registry.get_prunable_weights(layer)]
        else:
            continue
        for weight, mask in pairs:
            if id(weight) in seen:
                continue
            seen.add(id(weight))
            value = weight.numpy() if mask is None else weight.numpy() * mask
            found[weight.path] = float(np.mean(value == 0)) if value.size else 0.0
    return found


def _model_types():
    from kerasette.models import Model

    return (Model,)
