"""The entry points: ``prune_low_magnitude``, ``strip_pruning`` and ``prune_scope`` (TF-MOT's ``prune.py``)."""

from __future__ import annotations

from kerasette import registry
from kerasette.layers.input_layer import InputLayer
from kerasette.layers.layer import Layer
from kerasette.pruning import cloning
from kerasette.pruning import pruning_schedule as pruning_sched
from kerasette.pruning.pruning_wrapper import PruneLowMagnitude


def prune_scope():
    """A scope in which saved pruned models and layers can be deserialized.

    Kept for TF-MOT scripts: kerasette registers ``PruneLowMagnitude`` when ``kerasette.pruning`` is
    imported (``import kerasette`` does), so loading works without it.

    Returns:
        A ``CustomObjectScope`` naming ``PruneLowMagnitude``.

    Example:
        >>> from kerasette import pruning
        >>> with pruning.prune_scope():
        ...     pass  # keras.models.load_model("pruned.keras")
    """
    return registry.CustomObjectScope({"PruneLowMagnitude": PruneLowMagnitude})


def _is_model(obj):
    return registry.is_model_class(type(obj))


def _is_graph_model(obj):
    from kerasette.models import Functional

    return isinstance(obj, Functional)


def prune_low_magnitude(to_prune, pruning_schedule=pruning_sched.ConstantSparsity(0.5, 0), block_size=(1, 1),
                        block_pooling_type="AVG", pruning_policy=None, sparsity_m_by_n=None, **kwargs):
    """Modify a layer or a model so that its weights are pruned during training.

    The smallest-magnitude weights of every prunable weight (kernels, embeddings) are set to zero
    during training, following ``pruning_schedule``: with ``ConstantSparsity(0.5, 0)`` half of each
    kernel ends up zero. Every layer of a model is wrapped in ``PruneLowMagnitude`` (named
    ``prune_low_magnitude_<layer>``), layers without prunable weights included; a wrapper keeps the
    layer itself, so the pruned model shares its weights with the original one, which is how
    pretrained weights carry over (load them before pruning). Train the result with the
    ``UpdatePruningStep`` callback, then call ``strip_pruning`` for a plain model with the zeros.

    Args:
        to_prune: a layer, a list of layers, or a ``Sequential`` or functional model (nested
            models are pruned too).
        pruning_schedule: a ``PruningSchedule``: when the masks are updated and to which sparsity.
            Defaults to ``ConstantSparsity(0.5, 0)``.
        block_size: ``(height, width)`` of the blocks of rank-2 weights pruned together.
            Defaults to ``(1, 1)`` (elementwise).
        block_pooling_type: ``"AVG"`` (default) or ``"MAX"``, how block magnitudes are pooled.
        pruning_policy: TF-MOT's experimental policy object; not supported: anything but None
            raises.
        sparsity_m_by_n: None, or ``(m, n)``: ``m`` zeros in every ``n`` consecutive input-channel
            weights (rank-2 and rank-4 kernels), computed at the first training step.
        **kwargs: base layer arguments for the wrapper (``name``...); only when ``to_prune`` is a
            single layer.

    Returns:
        The wrapped layer, the list of wrapped layers, or a new model of the same kind (uncompiled,
        with the original model's name).

    Raises:
        ValueError: an unsupported layer (the message names it), a subclassed model, or an object
            that is neither a layer nor a model.
        NotImplementedError: ``pruning_policy`` is given.
        TypeError: ``**kwargs`` given with a model or a list.

    Example:
        >>> import numpy as np
        >>> import kerasette as keras
        >>> from kerasette import pruning
        >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, name="hidden"),
        ...                           keras.layers.Dense(1, name="out")])
        >>> pruned = pruning.prune_low_magnitude(
        ...     model, pruning_schedule=pruning.ConstantSparsity(0.75, begin_step=0, frequency=1))
        >>> [layer.name for layer in pruned.layers]
        ['prune_low_magnitude_hidden', 'prune_low_magnitude_out']
        >>> pruned.compile(optimizer="sgd", loss="mse")
        >>> _ = pruned.fit(np.ones((4, 8)), np.ones((4, 1)), epochs=2, verbose=0,
        ...                callbacks=[pruning.UpdatePruningStep()])
        >>> pruning.get_sparsity(pruning.strip_pruning(pruned))
        {'hidden/kernel': 0.75, 'out/kernel': 0.75}
    """
    if pruning_policy is not None:
        raise NotImplementedError(f"`pruning_policy` is not supported by kerasette.pruning (TF-MOT's policies target "
                                  f"TFLite's XNNPack). Pass pruning_policy=None. Received: "
                                  f"pruning_policy={pruning_policy!r}")
    params = {"pruning_schedule": pruning_schedule, "block_size": block_size,
              "block_pooling_type": block_pooling_type, "sparsity_m_by_n": sparsity_m_by_n}
    is_layer = isinstance(to_prune, Layer) and not _is_model(to_prune)
    if kwargs and not is_layer:
        raise TypeError(f"`prune_low_magnitude` passes the keyword arguments {sorted(kwargs)} to the wrapper of a "
                        f"single layer; they cannot be used with a {type(to_prune).__name__}.")

    def add_pruning_wrapper(layer):
        if _is_model(layer):
            if not _is_graph_model(layer):
                raise ValueError("Subclassed models are not supported currently.")
            return cloning.clone_model(layer, add_pruning_wrapper)
        if isinstance(layer, PruneLowMagnitude):
            return layer
        return PruneLowMagnitude(layer, **params)

    if isinstance(to_prune, list):
        return [layer if isinstance(layer, PruneLowMagnitude) else
                InputLayer.from_config(layer.get_config()) if isinstance(layer, InputLayer) else
                PruneLowMagnitude(layer, **params) for layer in to_prune]
    if _is_model(to_prune) and _is_graph_model(to_prune):
        return add_pruning_wrapper(to_prune)
    if is_layer:
        return PruneLowMagnitude(to_prune, **params, **kwargs)
    raise ValueError("`prune_low_magnitude` can only prune an object of the following types: "
                     "keras.models.Sequential, keras functional model, keras.layers.Layer, list of "
                     f"keras.layers.Layer. You passed an object of type: {type(to_prune).__name__}.")


def strip_pruning(model):
    """A model without pruning wrappers, whose pruned weights hold their zeros.

    Each ``PruneLowMagnitude`` wrapper first writes ``weight * mask`` into its weights, then is
    replaced by the layer it wraps (the layer itself: the stripped model shares its weights with
    the pruned one). The result has the layers, names and weight layout of an ordinary model, so it
    saves in the plain Keras format and loads in Keras without kerasette.

    Args:
        model: a ``Sequential`` or functional model with pruning wrappers.

    Returns:
        A new model of the same kind, uncompiled.

    Raises:
        ValueError: ``model`` is not a model.
        NotImplementedError: ``model`` is a subclassed model.
    """
    if not _is_model(model):
        raise ValueError(f"Expected model to be a `keras.Model` instance but got: {model!r}")
    if not _is_graph_model(model):
        raise NotImplementedError("`strip_pruning` supports Sequential and functional models only; model "
                                  f"`{model.name}` is a subclassed model.")

    def strip_pruning_wrapper(layer):
        if _is_model(layer):
            return cloning.clone_model(layer, strip_pruning_wrapper)
        if isinstance(layer, PruneLowMagnitude):
            if layer.built:
                layer.pruning_obj.weight_mask_op()
            if layer.layer._batch_input_shape is None and layer._batch_input_shape is not None:
                layer.layer._batch_input_shape = layer._batch_input_shape
            return layer.layer
        return layer

    return cloning.clone_model(model, strip_pruning_wrapper)
