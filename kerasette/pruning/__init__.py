"""Magnitude pruning for Keras models, with TF Model Optimization's ``tfmot.sparsity.keras`` API.

``prune_low_magnitude(model, pruning_schedule=...)`` wraps the layers so that, during training with
the ``UpdatePruningStep`` callback, the smallest weights of each kernel are set to zero on the
schedule's steps (``ConstantSparsity``, ``PolynomialDecay``), elementwise, by blocks
(``block_size``) or N:M (``sparsity_m_by_n``); ``strip_pruning(model)`` returns the plain model with
the zeros in its weights, which saves in the ordinary Keras layout; ``get_sparsity(model)`` reports
the fraction of zeros of each prunable weight. ``import kerasette as keras`` then ``keras.pruning``.

A whole workflow::

    pruned = pruning.prune_low_magnitude(model, pruning_schedule=pruning.PolynomialDecay(
        initial_sparsity=0.0, final_sparsity=0.8, begin_step=0, end_step=1000))
    pruned.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    pruned.fit(x, y, epochs=2, callbacks=[pruning.UpdatePruningStep()])
    final = pruning.strip_pruning(pruned)   # about 80% of each kernel is zero
"""

from kerasette.pruning.prunable_layer import PrunableLayer
from kerasette.pruning.prune import prune_low_magnitude, prune_scope, strip_pruning
from kerasette.pruning.pruning_callbacks import PruningSummaries, UpdatePruningStep
from kerasette.pruning.pruning_schedule import ConstantSparsity, PolynomialDecay, PruningSchedule
from kerasette.pruning.pruning_wrapper import PruneLowMagnitude
from kerasette.pruning.sparsity import get_sparsity

__all__ = [
    "ConstantSparsity", "PolynomialDecay", "PrunableLayer", "PruneLowMagnitude", "PruningSchedule",
    "PruningSummaries", "UpdatePruningStep", "get_sparsity", "prune_low_magnitude", "prune_scope", "strip_pruning",
]
