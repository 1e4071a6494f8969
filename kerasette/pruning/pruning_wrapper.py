"""``PruneLowMagnitude``: the wrapper layer that holds a layer's pruning masks and applies them."""

from __future__ import annotations

from kerasette import initializers, ops, registry
from kerasette.layers.layer import Layer
from kerasette.layers.wrapper import Wrapper
from kerasette.pruning import prune_registry
from kerasette.pruning import pruning_schedule as pruning_sched
from kerasette.pruning.pruning_impl import Pruning
from kerasette.pruning.weight_slots import WeightSlots
from kerasette.utils import naming

_UNSUPPORTED = ("Please initialize `Prune` with a supported layer. Layers should either be supported by the "
                "PruneRegistry (built-in keras layers) or should be a `PrunableLayer` instance, or should have a "
                "custom defined `get_prunable_weights` method. You passed: {cls} (layer `{name}`).")


def _two_ints(value, name, owner):
    try:
        pair = tuple(value)
    except TypeError:
        pair = None
    if pair is None or len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair):
        raise ValueError(f"Invalid value for argument `{name}` of layer `{owner}`. Expected a tuple/list of 2 "
                         f"integers. Received: {name}={value!r}")
    return pair


@registry.register_keras_serializable(package="kerasette.pruning")
class PruneLowMagnitude(Wrapper):
    """Wraps a layer so the smallest-magnitude entries of its weights are pruned (set to zero) in training.

    For each prunable weight (the kernel of ``Dense`` and the convolutions, ``embeddings``...; see
    ``prune_registry`` and ``PrunableLayer``) the wrapper keeps a ``mask`` of zeros and ones and the
    ``threshold`` magnitude below which weights were pruned, and it counts training steps in
    ``pruning_step`` (all non-trainable variables). The ``UpdatePruningStep`` callback advances the
    step at each batch and recomputes the masks when the schedule says so; every call computes
    the layer with ``weight * mask`` in place of each pruned weight, so pruned weights get no
    gradient, and the callback writes ``weight * mask`` into the weights after each step.

    Block sparsity (``block_size`` other than ``(1, 1)``, rank-2 weights only) prunes whole blocks by
    their pooled magnitude; ``sparsity_m_by_n=(m, n)`` keeps ``n - m`` of every ``n`` consecutive
    input-channel weights (Dense and Conv2D kernels), computed once at the first step.

    Args:
        layer: the layer to prune (a built-in layer of the registry, or one implementing
            ``get_prunable_weights``).
        pruning_schedule: a ``PruningSchedule``. Defaults to ``ConstantSparsity(0.5, 0)``.
        block_size: ``(height, width)`` of the blocks pruned together. Defaults to ``(1, 1)``
            (elementwise).
        block_pooling_type: ``"AVG"`` (default) or ``"MAX"``: how a block's magnitudes are pooled.
        sparsity_m_by_n: None (default) or ``(m, n)`` with ``0 <= m < n``: ``m`` zeros in every ``n``
            consecutive weights; not combinable with ``block_size``.
        **kwargs: base layer arguments. ``name`` defaults to ``prune_low_magnitude_<layer name>``.

    Raises:
        ValueError: ``layer`` is not a layer or not supported, or an argument is invalid.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers, pruning
        >>> dense = layers.Dense(2, kernel_initializer="ones", name="dense")
        >>> wrapper = pruning.PruneLowMagnitude(dense)
        >>> wrapper(np.ones((1, 3))).numpy().tolist()  # masks start all ones
        [[3.0, 3.0]]
        >>> [v.path.split("/")[-1] for v in wrapper.non_trainable_weights]
        ['mask', 'threshold', 'pruning_step']
        >>> wrapper.non_trainable_weights[0].path
        'prune_low_magnitude_dense/mask'
    """

    _PRUNE_CALLBACK_ERROR_MSG = ("Prune() wrapper requires the UpdatePruningStep callback to be provided during "
                                 "training. Please add it as a callback to your model.fit call.")
    autocast = False  # the wrapped layer casts its own inputs
    supports_masking = True

    def __init__(self, layer, pruning_schedule=pruning_sched.ConstantSparsity(0.5, 0), block_size=(1, 1),
                 block_pooling_type="AVG", sparsity_m_by_n=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Prune` layer with a `Layer` instance. You passed: {layer!r}")
        name = kwargs.pop("name", None) or f"{naming.to_snake_case(type(self).__name__)}_{layer.name}"
        if not prune_registry.supports(layer):
            raise ValueError(_UNSUPPORTED.format(cls=type(layer), name=layer.name))
        if block_pooling_type not in ("AVG", "MAX"):
            raise ValueError(f"Unsupported pooling type '{block_pooling_type}'. Should be 'AVG' or 'MAX'.")
        self.block_size = _two_ints(block_size, "block_size", name)
        if min(self.block_size) < 1:
            raise ValueError(f"Invalid value for argument `block_size` of layer `{name}`. Expected 2 positive "
                             f"integers. Received: block_size={block_size!r}")
        self.sparsity_m_by_n = None
        if sparsity_m_by_n:
            self.sparsity_m_by_n = _two_ints(sparsity_m_by_n, "sparsity_m_by_n", name)
            if not 0 <= self.sparsity_m_by_n[0] < self.sparsity_m_by_n[1]:
                raise ValueError(f"Invalid value for argument `sparsity_m_by_n` of layer `{name}`. Expected (m, n) "
                                 f"with 0 <= m < n. Received: sparsity_m_by_n={sparsity_m_by_n!r}")
            if self.block_size != (1, 1):
                raise ValueError(f"Layer `{name}`: `sparsity_m_by_n` and `block_size` cannot be combined. Received: "
                                 f"sparsity_m_by_n={sparsity_m_by_n!r}, block_size={block_size!r}")
        self.pruning_schedule = pruning_sched.deserialize(pruning_schedule)
        self.block_pooling_type = block_pooling_type
        kwargs.setdefault("dtype", layer.dtype)
        super().__init__(layer, name=name, **kwargs)
        if not self._trainable:  # trainable=False given to the wrapper freezes the wrapped layer
            layer.trainable = False
        if self._batch_input_shape is None and layer._batch_input_shape is not None:
            self._batch_input_shape = layer._batch_input_shape  # a wrapped first layer still declares the input
        self.prunable_weights = []
        self.pruning_vars = []
        self.pruning_obj = None
        self._slots = None
        self._step_cache = (None, None)

    # ----- weights -----------------------------------------------------------------------------
    def build(self, input_shape):
        """Build the wrapped layer, then add a mask and a threshold per prunable weight, and ``pruning_step``.

        Args:
            input_shape: the shape of the inputs.

        Raises:
            ValueError: block or N:M sparsity asked for weights of another rank.
        """
        if not self.layer.built:
            self.layer._maybe_build(input_shape)
        weights = prune_registry.get_prunable_weights(self.layer)
        for weight in weights:
            rank_ok = (weight.ndim == 2 if self.block_size != (1, 1) else
                       weight.ndim in (2, 4) if self.sparsity_m_by_n else True)
            if not rank_ok:
                what = "Block sparsity" if self.block_size != (1, 1) else "`sparsity_m_by_n`"
                needed = "2-dimensional" if self.block_size != (1, 1) else "2- or 4-dimensional"
                raise ValueError(f"{what} can only be used for layers which have {needed} weights. Layer "
                                 f"`{self.layer.name}` has weight `{weight.name}` of shape {weight.shape}.")
        masks, thresholds = [], []
        for index, weight in enumerate(weights):
            suffix = f"_{index}" if index else ""
            masks.append(self.add_weight(weight.shape, "ones", dtype=weight.dtype, trainable=False,
                                         name="mask" + suffix))
            thresholds.append(self.add_weight((), "zeros", dtype=weight.dtype, trainable=False,
                                              name="threshold" + suffix))
        self.pruning_step = self.add_weight((), initializers.Constant(-1), dtype="int64", trainable=False,
                                            name="pruning_step")
        self.prunable_weights = weights
        self.pruning_vars = list(zip(weights, masks, thresholds))
        self._slots = WeightSlots(self.layer, weights)
        self.pruning_obj = Pruning(self._step_value, self.pruning_vars, self.pruning_schedule, self.block_size,
                                   self.block_pooling_type, self.sparsity_m_by_n)

    def _step_value(self):
        """``pruning_step`` as an int, read from the device only when the variable changed."""
        version, value = self._step_cache
        if version != self.pruning_step.version:
            value = int(self.pruning_step.numpy())
            self._step_cache = (self.pruning_step.version, value)
        return value

    def _set_step(self, value):
        self.pruning_step.assign(value)
        self._step_cache = (self.pruning_step.version, int(value))

    def advance_step(self):
        """One training batch: add 1 to ``pruning_step``, then update the masks if the schedule says so.

        ``UpdatePruningStep`` calls it at the start of every training batch.

        Returns:
            True if the masks were updated.
        """
        self._set_step(self._step_value() + 1)
        return self.pruning_obj.conditional_mask_update()

    @property
    def trainable(self):
        """Whether the wrapped layer is trained (the wrapper's own variables never are)."""
        return self.layer.trainable

    @trainable.setter
    def trainable(self, value):
        Layer.trainable.fset(self, value)

    # ----- calling -----------------------------------------------------------------------------
    def call(self, inputs, *args, training=None, **kwargs):
        """The wrapped layer's output, computed with ``weight * mask`` for each prunable weight.

        Args:
            inputs: the inputs.
            *args: further positional arguments for the wrapped layer.
            training: whether in training mode.
            **kwargs: further keyword arguments for the wrapped layer.

        Returns:
            The wrapped layer's output.

        Raises:
            RuntimeError: training without the ``UpdatePruningStep`` callback (TF-MOT's message).
        """
        if training and self._step_value() < 1:
            raise RuntimeError(self._PRUNE_CALLBACK_ERROR_MSG)
        stand_ins = []
        for index, (weight, mask, _) in enumerate(self.pruning_vars):
            if self._slots.found(index):
                stand_ins.append(ops.multiply(weight, mask))
            else:  # held somewhere we cannot substitute: write the masked values into the weight (as TF-MOT does)
                with ops.stop_recording():
                    weight.assign(ops.multiply(weight, mask))
                stand_ins.append(None)
        with self._slots.substituted(stand_ins):
            return self.layer(inputs, *args, training=training, **kwargs)

    def compute_output_shape(self, input_shape):
        """The wrapped layer's output shape.

        Args:
            input_shape: the shape of the inputs.

        Returns:
            The output shape.
        """
        return self.layer.compute_output_shape(input_shape)

    def compute_mask(self, inputs, previous_mask=None):
        """The wrapped layer's output mask (None when it does not support masking).

        Args:
            inputs: the inputs.
            previous_mask: the mask they carry.

        Returns:
            The wrapped layer's ``compute_mask``.
        """
        if not self.layer.supports_masking:
            return None
        return self.layer.compute_mask(inputs, previous_mask)

    # ----- config ------------------------------------------------------------------------------
    def get_config(self):
        """The base layer config plus the wrapped layer, the schedule and the block/N:M settings (TF-MOT's keys).

        Returns:
            A JSON-serializable dict.
        """
        from kerasette.layers.rnn.nesting import serialize_sublayer

        return {
            **super().get_config(),
            "layer": serialize_sublayer(self.layer),
            "pruning_schedule": self.pruning_schedule.get_config(),
            "block_size": self.block_size,
            "block_pooling_type": self.block_pooling_type,
            "sparsity_m_by_n": self.sparsity_m_by_n,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the wrapper from ``get_config()``'s output, deserializing the layer and the schedule.

        Args:
            config: the dict ``get_config`` returned (TF-MOT's configs, without ``sparsity_m_by_n``, too).
            custom_objects: optional ``{name: class}`` for custom layers or schedules.

        Returns:
            A new, unbuilt wrapper.
        """
        from kerasette.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        schedule = pruning_sched.deserialize(config.pop("pruning_schedule"), custom_objects)
        return cls(layer, pruning_schedule=schedule, **config)


def collect_prunable_layers(model):
    """The ``PruneLowMagnitude`` wrappers in ``model``, nested models included, in layer order.

    Args:
        model: a model or a layer.

    Returns:
        A list of wrappers.
    """
    return [layer for layer in model._flatten_layers() if isinstance(layer, PruneLowMagnitude)]
